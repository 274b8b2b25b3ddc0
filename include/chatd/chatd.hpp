#pragma once

/// chatd as a library: run its actors and HTTP routes inside a program's own CAF actor system,
/// and talk to them by typed messages.
///
///     caf::actor_system_config cfg;
///     caf::actor_system sys{cfg};
///     chatd::config::settings s;            // or chatd::config::load_settings(...)
///     s.listen = "127.0.0.1:8080";
///     chatd::app::service svc{s, &sys};     // database, actors, provider loop, HTTP server
///     auto registry = svc.registry();       // the way in to conversation actors:
///     // request(registry, start_turn_cmd{...}, my_subscriber) → turn_started; then
///     // my_subscriber receives stream_frame / turn_outcome messages.
///     svc.stop();                           // graceful: drains, then closes the database
///
/// The headers this one includes are the whole public surface:
/// - `app/service.hpp`: the service and its lifetime;
/// - `actors/interfaces.hpp`: every typed actor interface and its messages (the registry,
///   conversations, subscribers, accounts, storage, the admin view);
/// - `config/settings.hpp`, `config/settings_loader.hpp`: every setting, and loading them from
///   a file, the environment and flags as chatd does.
/// The long-lived actors are also named in CAF's actor registry: `registry`, `supervisor`,
/// `storage`, `accounts`, `provider`, `admin`.

#include "actors/interfaces.hpp"
#include "app/service.hpp"
#include "config/settings.hpp"
#include "config/settings_loader.hpp"

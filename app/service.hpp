#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"
#include "config/settings.hpp"

namespace caf {
class actor_system;
}

namespace chatd::storage {
struct database_options;
}

namespace chatd::app {

/// The whole service, assembled: database, actors, provider loop, HTTP server, and (without a
/// provider configured) the built-in demo provider. Construction starts it; a failure to start
/// throws std::runtime_error with a message for the operator.
///
/// With `embedding`, chatd's actors run in that (the caller's) actor system, which must outlive
/// this object; otherwise chatd makes its own.
class service {
public:
  explicit service(config::settings settings, caf::actor_system* embedding = nullptr);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  /// The HTTP port actually bound.
  std::uint16_t port() const;

  /// The admin actor's port (0 when `admin_listen` is not set).
  std::uint16_t admin_port() const;

  /// The registry, the way in to conversation actors by typed messages.
  actors::registry_actor registry() const;

  /// The provider's base URL in use (the demo provider's when it runs).
  const std::string& provider_url() const;
  bool demo_provider() const;

  /// The actor system, for programs that embed chatd.
  caf::actor_system& system();

  /// Graceful stop: refuse new turns, let running ones finish until the drain timeout, store
  /// the rest as `interrupted`, flush the streams, close the database. Idempotent.
  void stop();

private:
  struct parts;
  static void start_actors(parts& p, const storage::database_options& db,
                           const std::string& api_key);
  static void start_serving(parts& p);
  std::unique_ptr<parts> parts_;
};

} // namespace chatd::app

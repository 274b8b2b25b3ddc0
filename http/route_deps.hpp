#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <caf/fwd.hpp>
#include <restinio/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/response_channel.hpp"
#include "config/settings.hpp"

namespace chatd::http {

class service_metrics;

/// What the route handlers need from the rest of the service.
struct route_deps {
  caf::actor_system* system = nullptr;
  actors::accounts_actor accounts;
  actors::registry_actor registry;
  actors::storage_reader_actor reader;
  actors::storage_writer_actor writer;
  config::settings settings;
  /// Whether the service should receive traffic (database and actors up, not draining).
  std::function<bool()> ready;
  /// What is wrong with the database, if anything: it refuses changes at the moment (locked
  /// past the busy timeout by another process, a full disk), or its file was deleted or
  /// replaced. Not ready then either, and said so.
  std::function<std::optional<std::string>()> database_problem;
  /// Prometheus text of the service's counters.
  std::function<std::string()> metrics;
};

using route_result = restinio::request_handling_status_t;

/// Answers at once with an error body.
route_result reply_error(const restinio::request_handle_t& req, domain::error_code code,
                         std::string message);

/// Answers at once with a JSON body.
route_result reply_json(const restinio::request_handle_t& req, int status, std::string body,
                        actors::header_list headers = {});

/// The checks every state-changing route makes first: the `Origin`, then the body's size.
/// Returns the refusal to send, if any.
std::optional<route_result> refuse_unsafe(const route_deps& deps,
                                          const restinio::request_handle_t& req);

/// Continues `work` in a short-lived actor once the request's session is known; answers
/// `401 unauthenticated` itself when there is none. The actor lives as long as `work` has
/// requests pending.
using session_work = std::function<void(caf::event_based_actor* self, const domain::session_info&,
                                        const actors::response_channel_ptr&)>;
route_result with_session(const route_deps& deps, const restinio::request_handle_t& req,
                          session_work work);

} // namespace chatd::http

#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>

#include <caf/actor_addr.hpp>

#include "actors/interfaces.hpp"
#include "actors/upstream.hpp"

namespace chatd::actors {

struct supervisor_config {
  /// Failed turns (fallbacks, and calls with none that failed) within `breaker_window` that
  /// mark the provider down, for `breaker_window`.
  std::size_t breaker_threshold = 20;
  std::chrono::milliseconds breaker_window{10'000};
};

struct supervisor_state {
  static constexpr const char* name = "supervisor";

  /// A running upstream and what it takes to restart it.
  struct child {
    std::uint64_t job = 0;
    upstream_sink_actor sink;
    domain::responses_request request;
    std::string request_id;
    bool fallback = false;
    upstream_actor handle;
  };

  supervisor_config config;
  std::shared_ptr<const upstream_config> upstream;
  registry_actor listener; ///< told when the provider is marked down
  std::unordered_map<caf::actor_addr, child> children;
  std::unordered_map<std::uint64_t, caf::actor_addr> by_job;
  std::deque<domain::unix_ms> recent_failures; ///< see note_provider_failure
  domain::unix_ms down_until = 0;
  // Counters for the admin view and /metrics.
  std::uint64_t restarts = 0;
  std::uint64_t failures = 0;
};

/// A process-wide unique id for a new upstream job.
std::uint64_t new_job_id();

/// Supervises upstream actors like an OTP supervisor with transient children: a child that
/// ends normally (answer complete) or is cancelled is forgotten; a stream that fails (HTTP
/// error, cut connection, provider failure, stall, crash) is restarted once, in fallback
/// (non-streaming) mode; when that fails too, or a call that was not streaming fails, its
/// conversation hears `upstream_failed`.
/// Too many fallbacks in a short time mean the provider is down: new calls are refused with
/// `upstream_unavailable` for a while instead of piling up.
supervisor_actor::behavior_type
supervisor(supervisor_actor::stateful_pointer<supervisor_state> self, supervisor_config config,
           std::shared_ptr<const upstream_config> upstream);

} // namespace chatd::actors

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "domain/responses_event_decoder.hpp"
#include "domain/retry_policy.hpp"

namespace chatd::http {
class provider_client;
}

namespace chatd::actors {

/// How every upstream actor reaches the provider; shared, read-only.
struct upstream_config {
  std::string base_url;
  std::string api_key; ///< a secret: never logged
  domain::retry_policy retry;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds first_byte_timeout{60'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds request_timeout{300'000};
  http::provider_client* client = nullptr;
};

struct upstream_state {
  static constexpr const char* name = "upstream";

  std::shared_ptr<const upstream_config> config;
  upstream_sink_actor sink;
  std::uint64_t job = 0;
  domain::responses_request request;
  bool fallback = false;
  std::string request_id;

  int retries = 0;                              ///< retries made so far
  std::uint64_t transfer = 0;                   ///< the current attempt's transfer
  std::shared_ptr<std::uint64_t> live_transfer; ///< read by the exit hook to cancel it
  long status = 0; ///< HTTP status of the current attempt, 0 before the head
  std::optional<std::chrono::milliseconds> retry_hint; ///< the provider's Retry-After
  std::string body;          ///< error or non-streaming body of the current attempt
  bool relayed_text = false; ///< text went out: never retry as a stream
  bool heard_from_provider = false;
  std::chrono::steady_clock::time_point last_activity;
  std::uint64_t watchdog_round = 0;
  domain::responses_event_decoder decoder;
  std::vector<domain::provider_event> events;
};

/// One provider call for one turn, streaming or (as the supervisor's fallback) not.
///
///   provider loop ──transfer_*──▶ upstream ──upstream_started/text/done──▶ conversation
///                                    │ retries 408/409/429/5xx and connection errors with
///                                    │ back-off, only before any text went out
///                                    └─ quits with an error otherwise: the supervisor decides
upstream_actor::behavior_type upstream(upstream_actor::stateful_pointer<upstream_state> self,
                                       std::shared_ptr<const upstream_config> config,
                                       upstream_sink_actor sink, std::uint64_t job,
                                       domain::responses_request request, bool fallback,
                                       std::string request_id);

/// The retryable flag that an upstream's exit error carries (see upstream_failure()).
bool is_retryable_failure(const caf::error& err);

} // namespace chatd::actors

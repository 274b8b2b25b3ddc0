#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "domain/error.hpp"
#include "domain/records.hpp"

namespace chatd::domain {

/// When and how soon to repeat a failed provider call: the policy of OpenAI's own SDKs.
struct retry_policy {
  int max_retries = 2;                               ///< 3 attempts in all
  std::chrono::milliseconds base_delay{500};         ///< doubled on every retry
  std::chrono::milliseconds max_delay{8000};         ///< cap of the computed back-off
  std::chrono::milliseconds max_server_delay{60000}; ///< longest Retry-After honoured
};

/// Statuses worth another attempt: 408, 409, 429 and every 5xx.
bool is_retryable_status(long status);

/// The code a failing status of the provider is reported with once no retry is left: a timeout
/// (408, 504), a provider that is overloaded or down (429, 503, 529: try again later), else an
/// error of the provider (500, 502 and the rest).
error_code upstream_code_of_status(long status);

/// The server's wish from `retry-after-ms` (preferred) or `Retry-After` (seconds or an HTTP
/// date, compared with `now`). Empty when absent, unreadable or negative.
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view retry_after_ms, std::string_view retry_after, unix_ms now);

/// The wait before retry number `retry` (0-based). A server hint within the policy's limit wins;
/// otherwise `min(base · 2^retry, max)` less up to 25 % jitter (`jitter01` in [0, 1)).
std::chrono::milliseconds backoff_delay(const retry_policy& policy, int retry, double jitter01,
                                        std::optional<std::chrono::milliseconds> server_hint);

} // namespace chatd::domain

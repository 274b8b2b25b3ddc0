#pragma once
// The log of requests to /v1/responses that tests read through `GET /mock/requests`, with the
// long poll that lets a test wait for "N requests arrived" without sleeping.

// Standard headers first: asio 1.22 decides how it allocates handler memory from a libstdc++
// macro, and a file that includes asio before any standard header would decide differently
// from the others (an ODR break that ASan reports as alloc-dealloc-mismatch).
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <restinio/asio_include.hpp>

namespace chatd::mock {

class request_log {
public:
  explicit request_log(std::size_t keep = 1000) : keep_(keep) {}

  /// Adds one request (`body` is the parsed JSON, or the raw text when it was not JSON) and
  /// answers the waiters it satisfies.
  void record(bool stream, nlohmann::json body, nlohmann::json headers);

  /// Calls `reply` with `{"requests":[...]}` once `count` requests have been recorded since the
  /// last reset, or when `timeout` has passed, whichever comes first. Never blocks: the wait is
  /// a timer on `io`. `reply` runs exactly once, on some thread of `io` or inside this call.
  void wait_for(restinio::asio_ns::io_context& io, std::size_t count,
                std::chrono::milliseconds timeout, std::function<void(std::string)> reply);

  /// Forgets every request; numbering starts again at 1.
  void reset();

private:
  struct waiter;
  std::string snapshot_locked() const;

  std::size_t keep_;
  mutable std::mutex mutex_;
  std::deque<nlohmann::json> entries_;
  std::size_t total_ = 0; ///< Since the last reset, including entries no longer kept.
  /// Weak: a waiter lives in its timer's handler, so a stopped server frees it with the loop.
  std::vector<std::weak_ptr<waiter>> waiters_;
};

} // namespace chatd::mock

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <functional>

namespace chatd::http {

/// One HTTP call to the model provider.
struct provider_call {
  std::string url;
  std::string body;
  std::string api_key;    ///< a secret: sent, never logged
  std::string request_id; ///< sent as X-Client-Request-Id, to match logs on both sides
  bool streaming = true;
  std::chrono::milliseconds connect_timeout{10'000};
  /// Limit on the whole transfer; zero for none (streams are watched by their upstream actor).
  std::chrono::milliseconds total_timeout{0};
};

/// Where a transfer's events go. Called on the provider loop's thread, in order: `on_head`
/// once (status line and retry hints), `on_data` for body bytes, `on_end` last (curl_code 0
/// when the transfer completed). They must not block: an upstream actor's hand them to its
/// mailbox.
struct transfer_sink {
  std::function<void(std::uint64_t transfer, long status, std::string retry_after_ms,
                     std::string retry_after)>
      on_head;
  std::function<void(std::uint64_t transfer, std::string bytes)> on_data;
  std::function<void(std::uint64_t transfer, int curl_code, std::string error)> on_end;
};

/// Every provider transfer of the process on one thread: a libcurl multi handle driven by
/// epoll (curl_multi_socket_action), so thousands of streams cost one thread and only the
/// sockets that are ready are touched.
///
///   start()/cancel() ──▶ command queue + eventfd ──▶ loop thread ──▶ libcurl
///                                                        │
///   transfer_sink ◀── on_head / on_data / on_end ─────────┘
///
/// Bytes that arrive in one wake-up are sent as one message per transfer.
class provider_client {
public:
  provider_client();
  ~provider_client();
  provider_client(const provider_client&) = delete;
  provider_client& operator=(const provider_client&) = delete;

  /// Starts a transfer whose events go to `sink`; returns its id. Thread-safe.
  std::uint64_t start(provider_call call, transfer_sink sink);

  /// Abandons a transfer; its sink hears nothing more. Thread-safe, idempotent.
  void cancel(std::uint64_t transfer);

  /// Ends every transfer and the thread. Idempotent; also done by the destructor.
  void stop();

  /// Transfers currently running.
  std::size_t active() const { return active_.load(std::memory_order_relaxed); }

private:
  struct loop;
  std::unique_ptr<loop> loop_;
  std::atomic<std::size_t> active_{0};
};

} // namespace chatd::http

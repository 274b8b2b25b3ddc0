#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "actors/interfaces.hpp"

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

/// Every provider transfer of the process on one thread: a libcurl multi handle driven by
/// epoll (curl_multi_socket_action), so thousands of streams cost one thread and only the
/// sockets that are ready are touched.
///
///   start()/cancel() ──▶ command queue + eventfd ──▶ loop thread ──▶ libcurl
///                                                        │
///   upstream actor ◀── transfer_head / transfer_data / transfer_end
///
/// Bytes that arrive in one wake-up are sent as one message per transfer.
class provider_client {
public:
  provider_client();
  ~provider_client();
  provider_client(const provider_client&) = delete;
  provider_client& operator=(const provider_client&) = delete;

  /// Starts a transfer whose events go to `sink`; returns its id. Thread-safe.
  std::uint64_t start(provider_call call, actors::upstream_actor sink);

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

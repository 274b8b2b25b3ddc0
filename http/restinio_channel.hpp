#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include <restinio/all.hpp>

#include "actors/response_channel.hpp"

namespace chatd::http {

/// The response_channel of one RESTinio request. Writes are handed to RESTinio, which runs
/// them on the connection's own I/O thread; nothing here blocks.
class restinio_channel final : public actors::response_channel,
                               public std::enable_shared_from_this<restinio_channel> {
public:
  explicit restinio_channel(restinio::request_handle_t req);
  ~restinio_channel() override;

  void send_json(int status, std::string body, actors::header_list headers = {}) override;
  void start_stream() override;
  void write(std::shared_ptr<const std::string> bytes, bool last) override;
  void on_write_failure(std::function<void()> callback) override;
  std::size_t writes_in_flight() const override { return in_flight_.load(); }
  void on_drained(std::function<void()> callback) override;
  bool await_drained() override;
  const std::string& request_id() const override { return request_id_; }

private:
  void write_done(const asio::error_code& ec);

  restinio::request_handle_t req_;
  std::chrono::steady_clock::time_point created_;
  std::string request_id_;
  std::optional<restinio::response_builder_t<restinio::chunked_output_t>> stream_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> drain_awaited_{false};
  std::function<void()> on_drained_; ///< set before the first write, then only read
  std::mutex failure_mtx_;
  std::function<void()> on_failure_;
  bool failed_ = false;
};

/// Responses (event streams or not) not yet written to the end and released.
std::size_t open_responses();

/// The reason phrase for the statuses the service uses.
const char* reason_phrase(int status);

/// Headers every response of the service carries.
template<class Builder> Builder& with_common_headers(Builder& b) {
  b.append_header("X-Content-Type-Options", "nosniff");
  b.append_header("Referrer-Policy", "same-origin");
  return b;
}

} // namespace chatd::http

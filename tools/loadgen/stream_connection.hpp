#pragma once
// One measured stream: its own TCP connection, one request, then every byte of the answer read
// through the HTTP and SSE readers as it arrives. Lives on the run's single event-loop thread.
//
//   connect ─▶ write request ─▶ read ─▶ head (200?) ─▶ events ─▶ complete │ error │ EOF │ abort

#include "tools/loadgen/dialect.hpp"
#include "tools/loadgen/http_response.hpp"
#include "tools/loadgen/sse_reader.hpp"

#ifndef ASIO_STANDALONE
#define ASIO_STANDALONE // asio without Boost
#endif
#include <asio.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace chatd::loadgen {

enum class outcome {
  pending,
  ok,         ///< ended well with every expected chunk
  failed,     ///< refused, an error status or event, a broken response
  incomplete, ///< cut short: connection closed, chunks missing, or the run's deadline
};

/// What one stream saw; times are CLOCK_MONOTONIC ns.
struct stream_result {
  outcome result = outcome::pending;
  std::string error;         ///< Why it did not end `ok`.
  std::uint64_t sent_at = 0; ///< Request handed to the socket.
  std::uint64_t head_at = 0; ///< Response head read.
  std::uint64_t first_content_at = 0;
  std::uint64_t ended_at = 0;
  std::optional<std::uint64_t> provider_recv_ns; ///< From the first delta's stamp.
  std::optional<std::uint64_t> first_send_ns;    ///< The first delta's send stamp.
  std::size_t events = 0;
  std::size_t contents = 0;
  std::size_t bad_stamps = 0; ///< Content events without a readable stamp.
};

/// The run's side of a stream: where samples and state changes go.
class stream_observer {
public:
  /// The first content event arrived, or the stream ended before one did. (Not at the
  /// response head: the relay may still be calling the provider then, and the run's
  /// sampling of /proc at that moment would be timed as the relay's.)
  virtual void on_under_way(const stream_result& r) = 0;
  /// One content event, read at `received_at` (monotonic ns), `latency_ns` after the mock
  /// stamped it.
  virtual void on_chunk(std::int64_t latency_ns, std::uint64_t received_at) = 0;
  virtual void on_event() = 0;
  virtual void on_end(const stream_result& r) = 0;

protected:
  ~stream_observer() = default;
};

class stream_connection {
public:
  stream_connection(asio::io_context& io, target_kind target, std::size_t expected_chunks,
                    int rcvbuf, stream_observer& observer);

  /// Connects and sends `request` (kept alive by the connection until written).
  void start(const asio::ip::tcp::endpoint& server, std::string request);

  /// Ends a stream that is still running as incomplete (the run's deadline).
  void abort(const std::string& why);

  const stream_result& result() const { return result_; }

private:
  void on_connected(const std::error_code& ec);
  void read();
  void on_read(const std::error_code& ec, std::size_t n);
  void on_body(std::string_view bytes, std::uint64_t now);
  void on_sse_event(std::string_view data, std::uint64_t now);
  void finish(outcome o, std::string why);
  /// Tells the run once that this stream has its first chunk or has ended.
  void under_way();

  asio::ip::tcp::socket socket_;
  target_kind target_;
  std::size_t expected_chunks_;
  int rcvbuf_;
  stream_observer& observer_;
  std::string request_;
  http_response_reader http_;
  sse_reader sse_;
  std::string error_body_; ///< The start of a non-200 answer, for the report.
  bool under_way_ = false;
  stream_result result_;
  // 4 KiB holds dozens of events; a larger burst just takes another read.
  std::array<char, 4096> buffer_;
};

} // namespace chatd::loadgen

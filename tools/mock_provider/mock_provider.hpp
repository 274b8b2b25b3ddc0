#pragma once
/// The mock provider: an OpenAI-compatible test server (Responses API subset) with fault
/// switches. chatd's integration tests, its offline demo mode and the load benchmark talk to it.
///
/// This header is all an embedding program sees; it pulls in no RESTinio or asio.
///
/// ## Routes (OpenAI compatible, under /v1; all need `Authorization: Bearer <key>`)
/// - `GET  /v1/models`          -> one model, `mock-model`.
/// - `POST /v1/conversations`   -> `{"id":"conv_<hex>","object":"conversation",...}`.
/// - `POST /v1/responses`       -> a response object, or with `"stream": true` the SSE event
///   sequence `response.created`, `response.in_progress`, `response.output_item.added`,
///   `response.content_part.added`, N x `response.output_text.delta`,
///   `response.output_text.done`, `response.content_part.done`, `response.output_item.done`,
///   `response.completed` (each `event: <type>\ndata: <json>\n\n`, `sequence_number` from 0).
///
/// ## Answer text (stable: tests compare it)
///     Echo: <user text> (turn <k>; first message: "<first user text>")
/// where the user text is the last user item of `input` with directives stripped, `k` is the
/// number of user texts in the chain (earlier turns reached through `previous_response_id` or
/// `conversation`, plus every user item of this request's `input`) and the first user text is
/// the chain's first. The answer is sent as one delta per word (cut after each space) unless
/// `deltas=N` asks for exactly N pieces; pieces never split a UTF-8 character.
///
/// ## Directives, anywhere in the last user text (stripped from the echo)
///     [[mock key=value key=value ...]]
/// keys: fail=http_500|http_503|http_429|cut|response_failed|incomplete|error_event|stall,
/// after=N, retry_after=S, retry_after_ms=M, scope=stream|all, times=N, deltas=N, rate=R,
/// chop=B, delay_ms=D, stall_ms=M, text=<url-encoded>, stamp=0|1, id=<anything>.
/// An unknown key or a bad value answers 400 (`code: "invalid_mock_directive"`).
/// See directives.hpp for the meaning of each key.
///
/// ## Benchmark mode (`stamp`)
/// Every delta is `@<CLOCK_MONOTONIC ns at write time>;<filler word> `, except that a streamed
/// response's first delta also carries when the request was received (its handler began,
/// the whole request read): `@<send ns>;r<receipt ns>;<filler word> `. A parser that reads the
/// digits between `@` and the first `;` gets the send time from every delta, as before. With
/// both, a client on the same machine splits its wait for the first delta into the request's
/// way to the provider (receipt − its send time) and the provider's own time (send − receipt).
/// Non-streamed answers carry send times only.
///
/// ## Observation endpoints for tests (not OpenAI's; no auth)
/// - `GET  /mock/requests?wait_for=N&timeout_ms=T` long-polls until N requests to
///   /v1/responses were received since the last reset (or T ms passed, default 5000), then
///   `{"requests":[{"seq","received_at_ms","stream","body","headers"}]}` (the last 1000).
/// - `POST /mock/reset` clears that log and the `times=` counters.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace chatd::mock {

/// How the mock provider listens and what it does when a request carries no directive.
struct mock_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;       ///< 0 = let the system pick a free port.
  std::string required_api_key; ///< Empty = accept any non-empty bearer token.
  int default_deltas = 0;       ///< 0 = one delta per word of the answer.
  double default_rate = 0;      ///< Deltas per second; 0 = as fast as the socket takes them.
  bool stamp = false;           ///< Benchmark mode: every delta carries its send time.
  std::size_t io_threads = 1;   ///< Threads running the server's event loop.
};

/// A running mock provider. It serves on its own thread(s); no call blocks the caller except
/// `start` (until the socket listens) and `stop` (until the threads have ended).
class mock_provider {
public:
  /// Starts listening. @throws std::exception when the address cannot be bound or is invalid.
  static std::unique_ptr<mock_provider> start(mock_options opts);

  /// The bound port (the system's pick when `port` was 0).
  std::uint16_t port() const;

  /// `http://<host>:<port>/v1`, with a wildcard host shown as the loopback address.
  std::string base_url() const;

  /// Stops serving and joins the threads; open streams are dropped. Idempotent. Not to be
  /// called from inside the mock's own threads.
  void stop();

  ~mock_provider();
  mock_provider(const mock_provider&) = delete;
  mock_provider& operator=(const mock_provider&) = delete;

  struct impl;

private:
  explicit mock_provider(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

} // namespace chatd::mock

#pragma once
// Writes one streamed response: OpenAI's SSE event sequence, paced, chopped and broken on demand.
//
//   preamble ──▶ delta 0 ──▶ delta 1 ──▶ … ──▶ delta N-1 ──▶ done events + response.completed
//   (created,     ▲ each delta waits for its slot t0 + i/rate on the stream's one timer,
//    in_progress,   then for its write to finish (so a slow client slows us, nothing piles up)
//    item/part
//    added)       at delta `after` a mid-stream fault replaces the rest:
//                 cut │ response.failed │ response.incomplete │ error │ stall (then resume)
//
// One step runs at a time (a timer wait or a write is always the only thing pending), so a
// stream needs no lock even when the server runs several threads.

#include "tools/mock_provider/directives.hpp"
#include "tools/mock_provider/openai_objects.hpp"
#include "tools/mock_provider/sse_writer.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chatd::mock {

/// Everything a stream needs, decided by the route before the first byte.
struct stream_plan {
  response_meta meta;
  std::vector<std::string> pieces; ///< The text deltas, in order.
  bool stamp = false;              ///< Replace each piece by `@<ns>;<word> ` at write time.
  /// With `stamp`: when the request was received (CLOCK_MONOTONIC ns), carried by delta 0 as
  /// `@<ns>;r<received_ns>;<word> ` so a client can tell its request's transit from our pace.
  std::optional<std::uint64_t> received_ns;
  double rate = 0;                     ///< Deltas per second; 0 = no pacing.
  std::size_t chop = 0;                ///< >0: write the bytes in pieces of this size.
  fault_kind fault = fault_kind::none; ///< A mid-stream fault, or none.
  std::size_t fault_after = 0;         ///< Deltas sent before it.
  std::optional<std::chrono::milliseconds> stall_for; ///< With `stall`: resume after this.
  /// Called with the final text just before a completed or incomplete response's last events
  /// are written, so a client that reacts to them finds the turn already recorded.
  std::function<void(const std::string& text)> on_produced;
};

/// Starts writing `plan` to `writer`; the stream keeps itself alive until it ends or the
/// client goes away, and is dropped with the event loop if the server stops first.
void start_responses_stream(restinio::asio_ns::io_context& io, sse_writer writer, stream_plan plan);

} // namespace chatd::mock

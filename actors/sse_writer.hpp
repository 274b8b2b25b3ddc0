#pragma once

#include <chrono>
#include <variant>

#include "actors/interfaces.hpp"
#include "actors/response_channel.hpp"

namespace chatd::actors {

struct sse_writer_state {
  static constexpr const char* name = "sse_writer";

  response_channel_ptr channel;
  std::chrono::milliseconds keepalive{15'000};
  bool started = false; ///< the event-stream headers went out
  bool ended = false;
  std::chrono::steady_clock::time_point last_write;
  std::string held;               ///< frames held back while the client catches up, in order
  bool held_terminal = false;     ///< the last of them ends the stream
  std::uint64_t seen_through = 0; ///< a resume's Last-Event-ID: the client has events up to it
};

/// What opens a stream: a new turn, or following an existing answer.
using stream_opening = std::variant<start_turn_cmd, attach_cmd>;

/// Writes one browser's event stream: it asks the registry to start (or attach to) an answer,
/// answers refusals with a plain JSON error, and otherwise writes each frame to the socket the
/// moment it arrives, with a keep-alive comment when the stream is quiet. It ends with the
/// terminal event, or when the client goes away — which ends only this writer, never the
/// answer.
sse_writer_actor::behavior_type
sse_writer(sse_writer_actor::stateful_pointer<sse_writer_state> self, response_channel_ptr channel,
           std::chrono::milliseconds keepalive, registry_actor registry, stream_opening opening);

struct whole_answer_state {
  static constexpr const char* name = "whole_answer";
  response_channel_ptr channel;
};

/// `POST /api/chat`: starts a turn and answers with the whole answer once it is stored.
subscriber_actor::behavior_type
whole_answer(subscriber_actor::stateful_pointer<whole_answer_state> self,
             response_channel_ptr channel, registry_actor registry, start_turn_cmd cmd);

/// Answers `channel` with the error inside `err` (status, JSON body, Retry-After when known).
void send_error(response_channel& channel, const caf::error& err);

} // namespace chatd::actors

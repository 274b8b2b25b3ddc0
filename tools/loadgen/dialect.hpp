#pragma once
// How each target is asked for an answer and how its events read: chatd and the Node peer speak
// API.md's `/api/chat/stream`; the mock (and the TCP relay in front of it) speaks OpenAI's
// Responses stream.

#include "tools/loadgen/options.hpp"

#include <string>
#include <string_view>

namespace chatd::loadgen {

enum class event_kind {
  other,   ///< start, keep-alive-ish and bookkeeping events
  content, ///< one relayed text delta
  success, ///< the answer ended well (`complete` / `response.completed`)
  failure, ///< the answer ended badly (`error`, `response.failed`, ...)
};

/// True for the targets that speak OpenAI's Responses stream (the mock, directly or relayed).
bool speaks_responses_api(target_kind target);

/// `[[mock deltas=N rate=R stamp=1]]`: the directive that makes the mock pace stamped deltas.
std::string mock_directive(std::size_t deltas, double rate);

/// The whole HTTP/1.1 request that opens one stream.
std::string stream_request(target_kind target, const endpoint& server, std::string_view token,
                           std::size_t deltas, double rate);

/// What an event of `type` (the JSON `type` member) means for `target`.
event_kind classify(target_kind target, std::string_view type);

/// The JSON member holding a content event's text.
std::string_view text_member(target_kind target);

} // namespace chatd::loadgen

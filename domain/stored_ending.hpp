#pragma once

// How an answer ended, as stored beside it: what its `complete` or `error` event said apart
// from the text, so that the event rebuilt from the database (after a restart, or a resume
// past the events held in memory) says the same as the live one.

#include <optional>
#include <string>

#include "domain/stream_event.hpp"

namespace chatd::domain {

/// `{"chunks","duration_ms","time_to_first_chunk_ms","fallback"}` of a `complete` event, or
/// `{"code","message","retryable"}` of an `error` one; empty for any other event.
std::string encode_stored_ending(const stream_event& terminal);

/// The stats of a stored `complete` ending (`total_chars` is left to the caller); nothing when
/// `text` is empty or not such an ending.
std::optional<streaming_stats> decode_stored_stats(const std::string& text);

/// The error of a stored `error` ending (`stored_in_db` is left to the caller).
std::optional<error_event> decode_stored_error(const std::string& text);

} // namespace chatd::domain

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/stream_event.hpp"

namespace chatd::domain {

/// One SSE frame: `id: <id>\ndata: <json>\n\n`. The JSON never holds a raw newline, so the
/// frame is always exactly one `data:` line, as plain `data:` parsers expect.
std::string encode_sse(std::uint64_t id, const stream_event& ev);

/// The JSON object of an event alone (what follows `data: `).
std::string encode_event_json(const stream_event& ev);

/// The content frame built straight from its parts: the hot path of every relayed delta.
std::string encode_content_sse(std::uint64_t id, std::string_view delta, std::uint64_t chunk_id,
                               std::uint64_t total_chars);

/// `frame` (as `encode_sse` writes it) numbered `id` instead.
std::string renumber_sse(std::string_view frame, std::uint64_t id);

/// A comment frame that keeps proxies from closing a quiet stream.
inline std::string_view keep_alive_frame() {
  return ": keep-alive\n\n";
}

} // namespace chatd::domain

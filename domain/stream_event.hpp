#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "domain/error.hpp"
#include "domain/records.hpp"

namespace chatd::domain {

/// How the answer was obtained: streamed, or by the supervisor's non-streaming retry.
enum class fallback_mode { none, non_streaming };

struct streaming_stats {
  std::uint64_t chunks = 0;
  std::uint64_t total_chars = 0;
  std::int64_t duration_ms = 0;
  /// Empty when no chunk was relayed (for instance an answer from the fallback).
  std::optional<std::int64_t> time_to_first_chunk_ms;
  fallback_mode fallback = fallback_mode::none;
};

// The four events of API.md's streaming table, before encoding.

struct start_event {
  std::string message;
  std::string conversation_id;
  std::string user_message_id;
  std::string assistant_message_id;
  unix_ms timestamp = 0;
};

struct content_event {
  std::string data;
  std::uint64_t chunk_id = 0;
  std::uint64_t total_chars = 0;
};

struct complete_event {
  std::string final_content;
  std::string message_id;
  message_status status = message_status::complete;
  bool stored_in_db = false;
  streaming_stats stats;
};

struct error_event {
  api_error error;
  bool retryable = false;
  bool stored_in_db = false;
};

using stream_event = std::variant<start_event, content_event, complete_event, error_event>;

/// True for the two events that end a stream.
inline bool is_terminal(const stream_event& ev) {
  return std::holds_alternative<complete_event>(ev) || std::holds_alternative<error_event>(ev);
}

} // namespace chatd::domain

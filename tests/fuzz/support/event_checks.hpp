#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "domain/stream_event.hpp"
#include "support/check.hpp"

namespace chatd::fuzz {

// Checks that a parsed SSE `data` object holds exactly the fields API.md's streaming table
// names for the event, with the event's values (text byte-exact).

inline bool is_string(const nlohmann::json& j, const char* key, const std::string& value) {
  return j.contains(key) && j[key].is_string() && j[key].get_ref<const std::string&>() == value;
}

inline bool is_bool(const nlohmann::json& j, const char* key, bool value) {
  return j.contains(key) && j[key].is_boolean() && j[key].get<bool>() == value;
}

template<class T> bool is_integer(const nlohmann::json& j, const char* key, T value) {
  return j.contains(key) && j[key].is_number_integer() && j[key].get<T>() == value;
}

inline void check_stats_json(const nlohmann::json& j, const domain::streaming_stats& s) {
  FUZZ_CHECK(j.is_object() && j.size() == 6);
  FUZZ_CHECK(is_integer(j, "chunks", s.chunks));
  FUZZ_CHECK(is_integer(j, "total_chars", s.total_chars));
  FUZZ_CHECK(is_integer(j, "duration_ms", s.duration_ms));
  if (s.time_to_first_chunk_ms)
    FUZZ_CHECK(is_integer(j, "time_to_first_chunk_ms", *s.time_to_first_chunk_ms));
  else
    FUZZ_CHECK(j.contains("time_to_first_chunk_ms") && j["time_to_first_chunk_ms"].is_null());
  // Characters per second over the whole answer, one decimal; 0 when no time passed.
  const double seconds = static_cast<double>(s.duration_ms) / 1000.0;
  const double cps = seconds > 0 ? static_cast<double>(s.total_chars) / seconds : 0.0;
  FUZZ_CHECK(j.contains("chars_per_second") && j["chars_per_second"].is_number());
  FUZZ_CHECK(j["chars_per_second"].get<double>() == std::round(cps * 10.0) / 10.0);
  FUZZ_CHECK(is_string(j, "fallback",
                       s.fallback == domain::fallback_mode::none ? "none" : "non_streaming"));
}

inline void check_event_json(const nlohmann::json& j, const domain::stream_event& ev) {
  using namespace chatd::domain;
  if (auto* e = std::get_if<start_event>(&ev)) {
    FUZZ_CHECK(j.size() == 6 && is_string(j, "type", "start"));
    FUZZ_CHECK(is_string(j, "message", e->message));
    FUZZ_CHECK(is_string(j, "conversation_id", e->conversation_id));
    FUZZ_CHECK(is_string(j, "user_message_id", e->user_message_id));
    FUZZ_CHECK(is_string(j, "assistant_message_id", e->assistant_message_id));
    FUZZ_CHECK(is_integer(j, "timestamp", e->timestamp));
  } else if (auto* e = std::get_if<content_event>(&ev)) {
    FUZZ_CHECK(j.size() == 4 && is_string(j, "type", "content"));
    FUZZ_CHECK(is_string(j, "data", e->data));
    FUZZ_CHECK(is_integer(j, "chunk_id", e->chunk_id));
    FUZZ_CHECK(is_integer(j, "total_chars", e->total_chars));
  } else if (auto* e = std::get_if<complete_event>(&ev)) {
    FUZZ_CHECK(j.size() == 6 && is_string(j, "type", "complete"));
    FUZZ_CHECK(is_string(j, "final_content", e->final_content));
    FUZZ_CHECK(is_string(j, "message_id", e->message_id));
    FUZZ_CHECK(is_string(j, "status", std::string(to_string(e->status))));
    FUZZ_CHECK(is_bool(j, "stored_in_db", e->stored_in_db));
    FUZZ_CHECK(j.contains("streaming_stats"));
    check_stats_json(j["streaming_stats"], e->stats);
  } else {
    auto& err = std::get<error_event>(ev);
    FUZZ_CHECK(j.size() == 4 && is_string(j, "type", "error"));
    FUZZ_CHECK(j.contains("error") && j["error"].is_object() && j["error"].size() == 2);
    FUZZ_CHECK(is_string(j["error"], "code", std::string(to_string(err.error.code))));
    FUZZ_CHECK(is_string(j["error"], "message", err.error.message));
    FUZZ_CHECK(is_bool(j, "retryable", err.retryable));
    FUZZ_CHECK(is_bool(j, "stored_in_db", err.stored_in_db));
  }
}

} // namespace chatd::fuzz

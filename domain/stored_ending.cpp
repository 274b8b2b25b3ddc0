#include "domain/stored_ending.hpp"

#include <nlohmann/json.hpp>

namespace chatd::domain {

namespace {

using nlohmann::json;

/// `text` parsed as a JSON object, or nothing (a row written before endings were stored).
std::optional<json> object_of(const std::string& text) {
  if (text.empty())
    return std::nullopt;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  return j;
}

} // namespace

std::string encode_stored_ending(const stream_event& terminal) {
  if (const auto* done = std::get_if<complete_event>(&terminal)) {
    const auto& s = done->stats;
    json j = {{"chunks", s.chunks},
              {"duration_ms", s.duration_ms},
              {"time_to_first_chunk_ms", nullptr},
              {"fallback", s.fallback == fallback_mode::non_streaming ? "non_streaming" : "none"}};
    if (s.time_to_first_chunk_ms)
      j["time_to_first_chunk_ms"] = *s.time_to_first_chunk_ms;
    return j.dump();
  }
  if (const auto* failed = std::get_if<error_event>(&terminal))
    return json{{"code", to_string(failed->error.code)},
                {"message", failed->error.message},
                {"retryable", failed->retryable}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
  return {};
}

std::optional<streaming_stats> decode_stored_stats(const std::string& text) {
  auto j = object_of(text);
  if (!j || !j->contains("chunks"))
    return std::nullopt;
  streaming_stats s;
  s.chunks = j->value("chunks", std::uint64_t{0});
  s.duration_ms = j->value("duration_ms", std::int64_t{0});
  if (auto t = j->find("time_to_first_chunk_ms"); t != j->end() && t->is_number_integer())
    s.time_to_first_chunk_ms = t->get<std::int64_t>();
  s.fallback = j->value("fallback", std::string("none")) == "non_streaming"
                   ? fallback_mode::non_streaming
                   : fallback_mode::none;
  return s;
}

std::optional<error_event> decode_stored_error(const std::string& text) {
  auto j = object_of(text);
  if (!j)
    return std::nullopt;
  auto code = parse_error_code(j->value("code", std::string()));
  if (!code)
    return std::nullopt;
  return error_event{
      {*code, j->value("message", std::string())}, j->value("retryable", true), true};
}

} // namespace chatd::domain

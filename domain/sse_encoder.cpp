#include "domain/sse_encoder.hpp"

#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "domain/json_text.hpp"
#include "domain/utf8.hpp"

namespace chatd::domain {

namespace {

// Ordered, so that `type` comes first, as a person reading the stream expects.
using event_json = nlohmann::ordered_json;

event_json stats_json(const streaming_stats& s) {
  const double seconds = static_cast<double>(s.duration_ms) / 1000.0;
  const double cps = seconds > 0 ? static_cast<double>(s.total_chars) / seconds : 0.0;
  event_json j = {{"chunks", s.chunks},
                  {"total_chars", s.total_chars},
                  {"duration_ms", s.duration_ms},
                  {"time_to_first_chunk_ms", nullptr},
                  {"chars_per_second", std::round(cps * 10.0) / 10.0},
                  {"fallback", s.fallback == fallback_mode::none ? "none" : "non_streaming"}};
  if (s.time_to_first_chunk_ms)
    j["time_to_first_chunk_ms"] = *s.time_to_first_chunk_ms;
  return j;
}

struct to_json_visitor {
  event_json operator()(const start_event& e) const {
    return {{"type", "start"},
            {"message", e.message},
            {"conversation_id", e.conversation_id},
            {"user_message_id", e.user_message_id},
            {"assistant_message_id", e.assistant_message_id},
            {"timestamp", e.timestamp}};
  }
  event_json operator()(const content_event& e) const {
    return {{"type", "content"},
            {"data", e.data},
            {"chunk_id", e.chunk_id},
            {"total_chars", e.total_chars}};
  }
  event_json operator()(const complete_event& e) const {
    return {{"type", "complete"},
            {"final_content", e.final_content},
            {"message_id", e.message_id},
            {"status", to_string(e.status)},
            {"stored_in_db", e.stored_in_db},
            {"streaming_stats", stats_json(e.stats)}};
  }
  event_json operator()(const error_event& e) const {
    return {{"type", "error"},
            {"error", {{"code", to_string(e.error.code)}, {"message", e.error.message}}},
            {"retryable", e.retryable},
            {"stored_in_db", e.stored_in_db}};
  }
};

/// A complete event holds the whole answer: it is written straight out, as a JSON value would
/// copy the text and then escape it a byte at a time (38 µs for a 7.6 KB answer, at the end of
/// every answer). Same bytes as the JSON value's, for valid UTF-8; other text takes that path,
/// which writes replacement characters for it.
std::optional<std::string> direct_complete_json(const complete_event& e) {
  if (!is_valid_utf8(e.final_content) || !is_valid_utf8(e.message_id))
    return std::nullopt;
  std::string out;
  out.reserve(e.final_content.size() + 256);
  out.append(R"({"type":"complete","final_content":)");
  append_json_string(out, e.final_content);
  out.append(R"(,"message_id":)");
  append_json_string(out, e.message_id);
  out.append(R"(,"status":)");
  append_json_string(out, to_string(e.status));
  out.append(e.stored_in_db ? R"(,"stored_in_db":true)" : R"(,"stored_in_db":false)");
  out.append(R"(,"streaming_stats":)");
  out.append(stats_json(e.stats).dump());
  out.push_back('}');
  return out;
}

void append_frame_head(std::string& out, std::uint64_t id) {
  out.append("id: ");
  out.append(std::to_string(id));
  out.append("\ndata: ");
}

} // namespace

std::string encode_event_json(const stream_event& ev) {
  if (auto* c = std::get_if<complete_event>(&ev))
    if (auto direct = direct_complete_json(*c))
      return std::move(*direct);
  return std::visit(to_json_visitor{}, ev)
      .dump(-1, ' ', false, event_json::error_handler_t::replace);
}

std::string encode_sse(std::uint64_t id, const stream_event& ev) {
  if (auto* c = std::get_if<content_event>(&ev))
    return encode_content_sse(id, c->data, c->chunk_id, c->total_chars);
  std::string out;
  append_frame_head(out, id);
  out.append(encode_event_json(ev));
  out.append("\n\n");
  return out;
}

std::string renumber_sse(std::string_view frame, std::uint64_t id) {
  std::string out;
  out.reserve(frame.size() + 8);
  append_frame_head(out, id);
  auto data = frame.find("\ndata: ");
  out.append(data == std::string_view::npos ? frame : frame.substr(data + 7));
  return out;
}

std::string encode_content_sse(std::uint64_t id, std::string_view delta, std::uint64_t chunk_id,
                               std::uint64_t total_chars) {
  std::string out;
  out.reserve(delta.size() + 96);
  append_frame_head(out, id);
  out.append(R"({"type":"content","data":)");
  append_json_string(out, delta);
  out.append(R"(,"chunk_id":)");
  out.append(std::to_string(chunk_id));
  out.append(R"(,"total_chars":)");
  out.append(std::to_string(total_chars));
  out.append("}\n\n");
  return out;
}

} // namespace chatd::domain

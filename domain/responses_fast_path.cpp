#include "domain/responses_fast_path.hpp"

#include "domain/json_scanner.hpp"
#include "domain/utf8.hpp"

namespace chatd::domain {

namespace {

/// Reads a string member once; a second one gives up (a full parse keeps the last).
bool read_once(json_scanner& in, bool& seen, std::string& out) {
  if (seen)
    return false;
  seen = true;
  return in.string(&out);
}

/// Reads a whole event object with `on_member` for its members: a well-formed object and
/// nothing after it, in valid UTF-8.
template<class OnMember> bool read_event(std::string_view event_json, OnMember&& on_member) {
  json_scanner in(event_json);
  return in.members([&](const std::string& key) { return on_member(in, key); }) && in.at_end() &&
         is_valid_utf8(event_json);
}

/// One `output[]` item: appends the text of its `content[]` parts of type `output_text`.
bool append_item_text(json_scanner& in, std::string& text) {
  bool content_seen = false;
  return in.members([&](const std::string& key) {
    if (key != "content")
      return in.skip_value();
    if (content_seen)
      return false;
    content_seen = true;
    return in.elements([&] {
      bool type_seen = false, text_seen = false;
      std::string type, part_text;
      if (!in.members([&](const std::string& part_key) {
            if (part_key == "type")
              return read_once(in, type_seen, type);
            if (part_key == "text")
              return read_once(in, text_seen, part_text);
            return in.skip_value();
          }))
        return false;
      if (type == "output_text")
        text += part_text;
      return true;
    });
  });
}

/// The `response` object: its `id` and the text of its output.
bool read_response(json_scanner& in, provider_completed& done) {
  bool id_seen = false, output_seen = false;
  return in.members([&](const std::string& key) {
    if (key == "id")
      return read_once(in, id_seen, done.response_id);
    if (key != "output")
      return in.skip_value();
    if (output_seen)
      return false;
    output_seen = true;
    return in.elements([&] { return append_item_text(in, done.text); });
  });
}

} // namespace

std::optional<std::string> text_delta_of(std::string_view event_json) {
  bool type_seen = false, delta_seen = false;
  std::string type, delta;
  if (!read_event(event_json,
                  [&](json_scanner& in, const std::string& key) {
                    if (key == "type")
                      return read_once(in, type_seen, type) && type == "response.output_text.delta";
                    if (key == "delta")
                      return read_once(in, delta_seen, delta);
                    return in.skip_value();
                  }) ||
      !type_seen || !delta_seen)
    return std::nullopt;
  return delta;
}

std::optional<std::string> event_type_of(std::string_view event_json) {
  bool type_seen = false;
  std::string type;
  if (!read_event(event_json,
                  [&](json_scanner& in, const std::string& key) {
                    return key == "type" ? read_once(in, type_seen, type) : in.skip_value();
                  }) ||
      type.empty())
    return std::nullopt;
  return type;
}

std::optional<provider_completed> completed_of(std::string_view event_json) {
  bool type_seen = false, response_seen = false;
  std::string type;
  provider_completed done;
  if (!read_event(event_json,
                  [&](json_scanner& in, const std::string& key) {
                    if (key == "type")
                      return read_once(in, type_seen, type) && type == "response.completed";
                    if (key != "response")
                      return in.skip_value();
                    if (response_seen)
                      return false;
                    response_seen = true;
                    return read_response(in, done);
                  }) ||
      !type_seen || !response_seen)
    return std::nullopt;
  return done;
}

} // namespace chatd::domain

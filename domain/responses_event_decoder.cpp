#include "domain/responses_event_decoder.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "domain/responses_fast_path.hpp"
#include "domain/utf8.hpp"

namespace chatd::domain {

namespace {

using nlohmann::json;

std::string string_field(const json& obj, const char* key) {
  if (!obj.is_object())
    return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

/// A member by reference, or null when absent: `json::value` would copy it, and a copy of a
/// deeply nested value recurses once per level (a hostile provider could overflow the stack).
const json& member(const json& obj, const char* key) {
  static const json absent;
  if (!obj.is_object())
    return absent;
  auto it = obj.find(key);
  return it == obj.end() ? absent : *it;
}

std::string output_text_of(const json& response) {
  std::string text;
  auto output = response.find("output");
  if (output == response.end() || !output->is_array())
    return text;
  for (auto& item : *output) {
    auto content = item.is_object() ? item.find("content") : item.end();
    if (!item.is_object() || content == item.end() || !content->is_array())
      continue;
    for (auto& part : *content)
      if (string_field(part, "type") == "output_text")
        text += string_field(part, "text");
  }
  return text;
}

provider_failed failure_of(const json& response, const char* fallback_code) {
  provider_failed f{fallback_code, "the provider could not complete the answer"};
  if (!response.is_object())
    return f;
  if (auto err = response.find("error"); err != response.end() && err->is_object()) {
    if (auto code = string_field(*err, "code"); !code.empty())
      f.code = code;
    if (auto msg = string_field(*err, "message"); !msg.empty())
      f.message = msg;
  } else if (auto details = response.find("incomplete_details");
             details != response.end() && details->is_object()) {
    if (auto reason = string_field(*details, "reason"); !reason.empty())
      f.message = "the answer is incomplete: " + reason;
  }
  return f;
}

/// `text` with every run of blanks and line breaks made one space, trimmed.
std::string one_line(std::string_view text) {
  std::string out;
  bool blank = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      blank = !out.empty();
      continue;
    }
    if (blank)
      out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

/// The event types `decode_event_by_full_parse` turns into provider events; it skips the others.
constexpr std::array<std::string_view, 7> decoded_types = {"response.output_text.delta",
                                                           "response.refusal.delta",
                                                           "response.created",
                                                           "response.completed",
                                                           "response.failed",
                                                           "response.incomplete",
                                                           "error"};

} // namespace

void responses_event_decoder::feed(std::string_view bytes, std::vector<provider_event>& out) {
  messages_.clear();
  bool intact = parser_.feed(bytes, messages_);
  for (auto& msg : messages_)
    decode_event(msg, out);
  if (!intact && !reported_broken_) {
    reported_broken_ = true;
    out.push_back(provider_failed{"bad_event", "the provider sent an oversized event"});
  }
}

void decode_event(const sse_message& msg, std::vector<provider_event>& out) {
  if (auto delta = text_delta_of(msg.data)) {
    if (!delta->empty())
      out.push_back(provider_text{std::move(*delta)});
    return;
  }
  // Like the delta reader, this one gives up at a `type` first in the event if it is another
  // (OpenAI writes it first): the closing event is read in one pass, the others cost little.
  if (auto done = completed_of(msg.data)) {
    out.push_back(std::move(*done));
    return;
  }
  if (auto type = event_type_of(msg.data);
      type && std::find(decoded_types.begin(), decoded_types.end(), *type) == decoded_types.end())
    return; // well-formed, and a type the full parse would skip as well
  decode_event_by_full_parse(msg, out);
}

void decode_event_by_full_parse(const sse_message& msg, std::vector<provider_event>& out) {
  if (msg.data == "[DONE]")
    return; // a terminator some compatible providers send after the last event
  auto payload = json::parse(msg.data, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    out.push_back(provider_failed{"bad_event", "the provider sent an unreadable event"});
    return;
  }
  auto type = string_field(payload, "type");
  if (type.empty())
    type = msg.event;
  if (type == "response.output_text.delta" || type == "response.refusal.delta") {
    // A delta without its text would silently lose part of the answer.
    const auto& delta = member(payload, "delta");
    if (!delta.is_string())
      out.push_back(provider_failed{"bad_event", "the provider sent a delta without text"});
    else if (auto text = delta.get<std::string>(); !text.empty())
      out.push_back(provider_text{std::move(text)});
  } else if (type == "response.created") {
    out.push_back(provider_started{string_field(member(payload, "response"), "id")});
  } else if (type == "response.completed") {
    const auto& response = member(payload, "response");
    out.push_back(provider_completed{string_field(response, "id"), output_text_of(response)});
  } else if (type == "response.failed") {
    out.push_back(failure_of(member(payload, "response"), "response_failed"));
  } else if (type == "response.incomplete") {
    out.push_back(failure_of(member(payload, "response"), "response_incomplete"));
  } else if (type == "error") {
    provider_failed f{string_field(payload, "code"), string_field(payload, "message")};
    if (f.code.empty())
      f.code = "provider_error";
    if (f.message.empty())
      f.message = "the provider reported an error";
    out.push_back(std::move(f));
  }
}

provider_event decode_response_object(std::string_view body) {
  auto response = json::parse(body, nullptr, false);
  if (response.is_discarded() || !response.is_object())
    return provider_failed{"bad_response", "the provider sent an unreadable response"};
  auto status = string_field(response, "status");
  if (status == "failed" || status == "incomplete" || status == "cancelled")
    return failure_of(response, status == "failed" ? "response_failed" : "response_incomplete");
  if (response.contains("error") && response["error"].is_object())
    return failure_of(response, "provider_error");
  return provider_completed{string_field(response, "id"), output_text_of(response)};
}

bool is_lost_chain_error(std::string_view body) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return false;
  const auto& err = member(parsed, "error");
  return string_field(err, "code") == "previous_response_not_found" ||
         string_field(err, "param") == "previous_response_id";
}

std::string describe_error_body(std::string_view body) {
  auto parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object()) {
    if (auto err = parsed.find("error"); err != parsed.end() && err->is_object()) {
      auto msg = string_field(*err, "message");
      if (!msg.empty())
        return msg;
    }
  }
  if (!is_valid_utf8(body))
    return "(unreadable body)";
  // A proxy's or gateway's HTML page is named by its title: its markup means nothing to a person.
  auto text = body.substr(std::min(body.size(), body.find_first_not_of(" \t\r\n")));
  if (!text.empty() && text.front() == '<') {
    std::string lower(text.substr(0, 4096));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto open = lower.find("<title>");
    auto close = open == std::string::npos ? open : lower.find("</title>", open);
    if (close == std::string::npos)
      return "an HTML page";
    static constexpr std::string_view html_page = "an HTML page: ";
    auto title = one_line(text.substr(open + 7, close - open - 7));
    return std::string(html_page) +
           std::string(prefix_by_code_points(title, 200 - html_page.size()));
  }
  return one_line(prefix_by_code_points(body, 200));
}

} // namespace chatd::domain

// The provider's side: domain::responses_event_decoder on a stream cut at input-chosen points
// (each event decoded by the fast readers and by a full parse, which must agree),
// and decode_response_object / describe_error_body on the same bytes as a whole body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/responses_event_decoder.hpp"
#include "support/check.hpp"
#include "support/pieces.hpp"
#include "support/small_stack.hpp"
#include "support/utf8_oracle.hpp"

using namespace chatd::domain;
using chatd::fuzz::oracle_code_points;
using chatd::fuzz::oracle_valid_utf8;

namespace {

/// Every field of an event, in order, so that two events compare by content.
std::vector<std::string> fields(const provider_event& ev) {
  if (auto* e = std::get_if<provider_started>(&ev))
    return {"started", e->response_id};
  if (auto* e = std::get_if<provider_text>(&ev))
    return {"text", e->delta};
  if (auto* e = std::get_if<provider_completed>(&ev))
    return {"completed", e->response_id, e->text};
  auto& f = std::get<provider_failed>(ev);
  return {"failed", f.code, f.message};
}

bool same(const std::vector<provider_event>& a, const std::vector<provider_event>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fields(a[i]) != fields(b[i]))
      return false;
  return true;
}

void check_event(const provider_event& ev) {
  // Every string the decoder hands on comes out of a JSON string (nlohmann rejects ill-formed
  // UTF-8 and lone surrogates) or is our own text: it is valid UTF-8 whatever the input was,
  // which is what lets the relay skip re-validating each delta.
  for (const auto& field : fields(ev))
    FUZZ_CHECK(oracle_valid_utf8(field));
  if (auto* t = std::get_if<provider_text>(&ev))
    FUZZ_CHECK(!t->delta.empty()); // an empty delta would become an empty content event
  if (auto* f = std::get_if<provider_failed>(&ev))
    FUZZ_CHECK(!f->code.empty() && !f->message.empty());
}

void check_stream(const chatd::fuzz::split_input& in) {
  std::vector<provider_event> whole;
  responses_event_decoder whole_decoder;
  whole_decoder.feed(in.payload, whole);

  std::vector<provider_event> pieces;
  responses_event_decoder pieces_decoder;
  chatd::fuzz::feed_in_pieces(in.payload, in.sizes,
                              [&](std::string_view piece) { pieces_decoder.feed(piece, pieces); });

  FUZZ_CHECK(same(whole, pieces));
  for (const auto& ev : whole)
    check_event(ev);

  // At most one event per SSE message: the decoder never invents events. And the fast readers
  // of each message agree with a full parse of it.
  std::vector<sse_message> messages;
  sse_parser parser;
  parser.feed(in.payload, messages);
  FUZZ_CHECK(whole.size() <= messages.size());
  for (const auto& msg : messages) {
    std::vector<provider_event> fast, full;
    decode_event(msg, fast);
    decode_event_by_full_parse(msg, full);
    FUZZ_CHECK(same(fast, full));
  }
}

/// `text`'s words (runs of anything but blanks and line breaks), joined by single spaces.
std::string words_of(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (i < text.size()) {
    while (i < text.size() && blank(text[i]))
      ++i;
    std::size_t start = i;
    while (i < text.size() && !blank(text[i]))
      ++i;
    if (i > start) {
      if (!out.empty())
        out += ' ';
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

/// Whether the first character after any blanks is `<`: a page of markup.
bool is_html(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '<';
}

void check_body(std::string_view body) {
  const auto ev = decode_response_object(body);
  check_event(ev);
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    FUZZ_CHECK(std::holds_alternative<provider_failed>(ev));

  // describe_error_body: the provider's error message when there is one, else a short
  // readable excerpt of the body; always text that can be logged and shown.
  const auto description = describe_error_body(body);
  FUZZ_CHECK(oracle_valid_utf8(description));
  std::string message;
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
    const auto& err = parsed["error"];
    if (err.contains("message") && err["message"].is_string())
      message = err["message"].get<std::string>();
  }
  if (!message.empty())
    FUZZ_CHECK(description == message);
  else if (!oracle_valid_utf8(body))
    FUZZ_CHECK(description == "(unreadable body)");
  else if (is_html(body))
    FUZZ_CHECK(oracle_code_points(description) <= 200 &&
               description.rfind("an HTML page", 0) == 0 &&
               description.find_first_of("\r\n\t") == std::string::npos);
  else
    FUZZ_CHECK(oracle_code_points(description) <= 200 &&
               words_of(body).substr(0, description.size()) == description);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto in = chatd::fuzz::read_split_input(data, size);
  chatd::fuzz::run_on_small_stack([&] {
    check_stream(in);
    check_body(in.payload);
  });
  return 0;
}

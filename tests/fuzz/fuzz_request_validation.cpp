// Every request body parser of domain/request_validation.hpp on the same bytes, judged
// against API.md's rules re-read here with nlohmann directly; plus the id, idempotency-key
// and title helpers, and the UTF-8 helpers they stand on.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/request_validation.hpp"
#include "domain/utf8.hpp"
#include "support/check.hpp"
#include "support/small_stack.hpp"
#include "support/utf8_oracle.hpp"

using namespace chatd::domain;
using chatd::fuzz::oracle_code_points;
using chatd::fuzz::oracle_valid_utf8;
using nlohmann::json;

namespace {

/// "Empty" in API.md's sense: nothing but whitespace (the set domain/ uses, C's isspace).
bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

bool valid_text(const std::string& s) {
  return is_valid_utf8(s) && oracle_valid_utf8(s);
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// API.md: 3–64 characters of `[A-Za-z0-9_.-]`.
bool is_username(std::string_view name) {
  if (name.size() < 3 || name.size() > 64)
    return false;
  for (char c : name)
    if (!(is_alnum(c) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

/// The body as API.md reads it: a UTF-8 JSON object, or nothing.
std::optional<json> object_of(std::string_view body) {
  if (!oracle_valid_utf8(body))
    return std::nullopt;
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return std::nullopt;
  return parsed;
}

/// A field that must be a non-blank string when present.
std::optional<std::string> text_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string() || blank(it->get_ref<const std::string&>()))
    return std::nullopt;
  return it->get<std::string>();
}

bool absent(const json& obj, const char* key) {
  return !obj.contains(key) || obj[key].is_null();
}

template<class T> void check_error(const result<T>& r) {
  if (!r)
    FUZZ_CHECK(r.error().code == error_code::invalid_json ||
               r.error().code == error_code::invalid_request);
}

void check_credentials(std::string_view body, const std::optional<json>& obj) {
  const auto r = parse_credentials(body);
  check_error(r);
  std::optional<std::string> name, password;
  if (obj) {
    name = text_field(*obj, "username");
    if (auto it = obj->find("password"); it != obj->end() && it->is_string())
      password = it->get<std::string>();
  }
  const bool expected =
      name && password && is_username(*name) && password->size() >= 8 && password->size() <= 1024;
  FUZZ_CHECK(r.ok() == expected);
  if (r) {
    FUZZ_CHECK(r->username == *name && r->password == *password);
    FUZZ_CHECK(valid_text(r->username) && valid_text(r->password));
  }
}

void check_chat(std::string_view body, const std::optional<json>& obj) {
  const auto r = parse_chat_request(body);
  check_error(r);
  const auto message = obj ? text_field(*obj, "message") : std::nullopt;
  const auto conversation = obj ? text_field(*obj, "conversation_id") : std::nullopt;
  FUZZ_CHECK(r.ok() == (message && (absent(*obj, "conversation_id") || conversation)));
  if (!r)
    return;
  FUZZ_CHECK(r->message == *message && valid_text(r->message) && !blank(r->message));
  FUZZ_CHECK(r->conversation_id == conversation);
  if (r->conversation_id)
    FUZZ_CHECK(valid_text(*r->conversation_id) && !blank(*r->conversation_id));
  const auto title = title_from_message(r->message);
  FUZZ_CHECK(valid_text(title) && oracle_code_points(title) <= 61);
}

void check_titles(std::string_view body, const std::optional<json>& obj) {
  const auto title = obj ? text_field(*obj, "title") : std::nullopt;
  const bool title_fits = title && oracle_code_points(*title) <= max_title_points;

  const auto renamed = parse_rename(body);
  check_error(renamed);
  FUZZ_CHECK(renamed.ok() == title_fits);
  if (renamed)
    FUZZ_CHECK(renamed->title == title && valid_text(*renamed->title));

  // A new conversation's body may also be empty (no title at all).
  const auto created = parse_new_conversation(body);
  check_error(created);
  const bool empty_body = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  const bool no_title = empty_body || (obj && absent(*obj, "title"));
  FUZZ_CHECK(created.ok() == (no_title || title_fits));
  if (created && !no_title)
    FUZZ_CHECK(created->title == title && valid_text(*created->title));
  if (created && no_title)
    FUZZ_CHECK(!created->title);
}

void check_stop(std::string_view body, const std::optional<json>& obj) {
  const auto r = parse_stop_request(body);
  check_error(r);
  const auto id = obj ? text_field(*obj, "message_id") : std::nullopt;
  FUZZ_CHECK(r.ok() == id.has_value());
  if (r)
    FUZZ_CHECK(r->message_id == *id && valid_text(r->message_id));
}

void check_helpers(std::string_view text) {
  const bool valid = oracle_valid_utf8(text);
  FUZZ_CHECK(is_valid_utf8(text) == valid);
  if (valid) {
    FUZZ_CHECK(count_code_points(text) == oracle_code_points(text));
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{60}}) {
      const auto prefix = prefix_by_code_points(text, n);
      FUZZ_CHECK(text.substr(0, prefix.size()) == prefix && oracle_valid_utf8(prefix));
      FUZZ_CHECK(oracle_code_points(prefix) == std::min(n, oracle_code_points(text)));
    }
  }

  // Ids: 1–64 of `[A-Za-z0-9_-]`; idempotency keys: 1–255 visible ASCII characters.
  bool id_chars = !text.empty() && text.size() <= 64;
  bool key_chars = !text.empty() && text.size() <= 255;
  for (char c : text) {
    id_chars = id_chars && (is_alnum(c) || c == '_' || c == '-');
    key_chars = key_chars && c >= 0x21 && c <= 0x7E;
  }
  FUZZ_CHECK(is_well_formed_id(text) == id_chars);
  FUZZ_CHECK(is_valid_idempotency_key(text) == key_chars);

  // The title: the first non-blank line, at most 60 code points plus an ellipsis.
  const auto title = title_from_message(text);
  FUZZ_CHECK(!title.empty() && title.find_first_of("\r\n") == std::string::npos);
  if (valid)
    FUZZ_CHECK(oracle_valid_utf8(title) && oracle_code_points(title) <= 61);
  const auto start = text.find_first_not_of(" \t\r\n\f\v");
  if (start != std::string_view::npos) {
    // What precedes a trailing ellipsis is the start of the first line.
    std::string_view head = title;
    const std::string_view ellipsis = "\xE2\x80\xA6";
    if (head.size() >= ellipsis.size() && head.substr(head.size() - ellipsis.size()) == ellipsis)
      head.remove_suffix(ellipsis.size());
    FUZZ_CHECK(text.substr(start, head.size()) == head);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  chatd::fuzz::run_on_small_stack([&] {
    const auto obj = object_of(body);
    check_credentials(body, obj);
    check_chat(body, obj);
    check_titles(body, obj);
    check_stop(body, obj);
    check_helpers(body);
  });
  return 0;
}

#include "domain/request_validation.hpp"

#include <nlohmann/json.hpp>

#include "domain/utf8.hpp"

namespace chatd::domain {

namespace {

using nlohmann::json;

api_error invalid(std::string message) {
  return {error_code::invalid_request, std::move(message)};
}

/// Parses `body` as a UTF-8 JSON object.
result<json> parse_object(std::string_view body, bool empty_is_object = false) {
  if (!is_valid_utf8(body))
    return invalid("the body is not valid UTF-8");
  if (empty_is_object && body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return json::object();
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded())
    return api_error{error_code::invalid_json, "the body is not valid JSON"};
  if (!parsed.is_object())
    return invalid("the body must be a JSON object");
  return parsed;
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

/// A required string field, non-blank.
result<std::string> required_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return invalid(std::string("`") + key + "` is required");
  if (!it->is_string())
    return invalid(std::string("`") + key + "` must be a string");
  auto value = it->get<std::string>();
  if (is_blank(value))
    return invalid(std::string("`") + key + "` must not be empty");
  return value;
}

/// An optional string field: absent or null → nullopt; present → must be a non-blank string.
result<std::optional<std::string>> optional_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return std::optional<std::string>{};
  auto value = required_string(obj, key);
  if (!value)
    return value.error();
  return std::optional<std::string>{std::move(value.value())};
}

result<std::string> checked_title(std::string title) {
  if (count_code_points(title) > max_title_points)
    return invalid("`title` is longer than 200 characters");
  return title;
}

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

/// The fields every credentials body has: `username`, a non-empty string, and `password`, a
/// string (non-empty too unless `empty_password_ok`); `password_error` says what was wrong.
result<credentials> credential_fields(std::string_view body, bool empty_password_ok,
                                      const char* password_error) {
  auto obj = parse_object(body);
  if (!obj)
    return obj.error();
  auto username = required_string(*obj, "username");
  if (!username)
    return username.error();
  auto it = obj->find("password");
  if (it == obj->end() || !it->is_string() ||
      (!empty_password_ok && it->get_ref<const std::string&>().empty()))
    return invalid(password_error);
  return credentials{std::move(username.value()), it->get<std::string>()};
}

} // namespace

result<credentials> parse_credentials(std::string_view body) {
  auto fields = credential_fields(body, true, "`password` is required and must be a string");
  if (!fields)
    return fields.error();
  const auto& name = fields.value().username;
  const auto& password = fields.value().password;
  if (name.size() < 3 || name.size() > 64)
    return invalid("`username` must be 3 to 64 characters long");
  for (char c : name)
    if (!is_username_char(c))
      return invalid("`username` may hold only letters, digits, '_', '.' and '-'");
  if (password.size() < 8 || password.size() > 1024)
    return invalid("`password` must be 8 to 1024 bytes long");
  return fields;
}

result<credentials> parse_login(std::string_view body) {
  return credential_fields(body, false, "`password` is required and must be a non-empty string");
}

result<chat_request> parse_chat_request(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj)
    return obj.error();
  auto message = required_string(*obj, "message");
  if (!message)
    return message.error();
  auto conversation_id = optional_string(*obj, "conversation_id");
  if (!conversation_id)
    return conversation_id.error();
  return chat_request{std::move(message.value()), std::move(conversation_id.value())};
}

result<title_request> parse_new_conversation(std::string_view body) {
  auto obj = parse_object(body, true);
  if (!obj)
    return obj.error();
  auto title = optional_string(*obj, "title");
  if (!title)
    return title.error();
  if (!title.value())
    return title_request{};
  auto checked = checked_title(std::move(*title.value()));
  if (!checked)
    return checked.error();
  return title_request{std::move(checked.value())};
}

result<title_request> parse_rename(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj)
    return obj.error();
  auto title = required_string(*obj, "title");
  if (!title)
    return title.error();
  auto checked = checked_title(std::move(title.value()));
  if (!checked)
    return checked.error();
  return title_request{std::move(checked.value())};
}

result<stop_request> parse_stop_request(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj)
    return obj.error();
  auto id = required_string(*obj, "message_id");
  if (!id)
    return id.error();
  return stop_request{std::move(id.value())};
}

bool is_well_formed_id(std::string_view id) {
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-'))
      return false;
  return true;
}

bool is_valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 255)
    return false;
  for (char c : key)
    if (c < 0x21 || c > 0x7E)
      return false;
  return true;
}

std::string title_from_message(std::string_view message) {
  auto start = message.find_first_not_of(" \t\r\n\f\v");
  if (start == std::string_view::npos)
    return "New conversation";
  message.remove_prefix(start);
  auto line = message.substr(0, message.find_first_of("\r\n"));
  auto title = prefix_by_code_points(line, 60);
  std::string out(title);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t'))
    out.pop_back();
  if (title.size() < line.size())
    out += "…";
  return out;
}

} // namespace chatd::domain

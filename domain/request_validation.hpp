#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace chatd::domain {

// Parsing and validation of every request body of API.md. Each function checks that the body
// is UTF-8 JSON holding an object, then the fields; unknown fields are ignored.

struct credentials {
  std::string username;
  std::string password;
};

struct chat_request {
  std::string message;
  std::optional<std::string> conversation_id;
};

struct title_request {
  std::optional<std::string> title;
};

struct stop_request {
  std::string message_id;
};

/// Limits that API.md states (usernames 3–64 of `[A-Za-z0-9_.-]`, passwords 8–1024 bytes).
inline constexpr std::size_t max_title_points = 200;

/// Registration: the username and password rules apply.
result<credentials> parse_credentials(std::string_view body);
/// Login: only the shape is checked (a wrong-length name is simply not an account).
result<credentials> parse_login(std::string_view body);
result<chat_request> parse_chat_request(std::string_view body);
/// `POST /api/conversations`: an empty body or `{}` is fine (no title).
result<title_request> parse_new_conversation(std::string_view body);
/// `PATCH /api/conversations/{id}`: the title is required.
result<title_request> parse_rename(std::string_view body);
result<stop_request> parse_stop_request(std::string_view body);

/// Ids are opaque to clients but always 1–64 characters of `[A-Za-z0-9_-]`; anything else
/// names nothing (and must not reach a query).
bool is_well_formed_id(std::string_view id);

/// `Idempotency-Key`: 1–255 printable ASCII characters.
bool is_valid_idempotency_key(std::string_view key);

/// A default title for a conversation started by `message`: its first line, shortened.
std::string title_from_message(std::string_view message);

} // namespace chatd::domain

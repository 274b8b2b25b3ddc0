#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::domain {

/// Milliseconds since the Unix epoch, UTC; the one time unit stored and passed around.
using unix_ms = std::int64_t;

/// How long an `Idempotency-Key` names the turn it started (API.md: 24 h).
inline constexpr unix_ms idempotency_key_lifetime_ms = 24LL * 3600 * 1000;

enum class message_role { user, assistant };
enum class message_status { complete, streaming, stopped, failed, interrupted };

std::string_view to_string(message_role role);
std::string_view to_string(message_status status);
std::optional<message_role> parse_role(std::string_view text);
std::optional<message_status> parse_status(std::string_view text);

/// A finished status can no longer change; `streaming` is the only live one.
inline bool is_final(message_status s) {
  return s != message_status::streaming;
}

struct user_record {
  std::string id;
  std::string username;
};

struct conversation_record {
  std::string id;
  std::string user_id;
  std::string title;
  /// The provider's handle on the conversation so far (the last response id); empty at first.
  std::string provider_ref;
  unix_ms created_at = 0;
  unix_ms updated_at = 0;
};

struct message_record {
  std::string id;
  std::string conversation_id;
  message_role role = message_role::user;
  std::string content;
  message_status status = message_status::complete;
  unix_ms created_at = 0;
  /// How a finished answer ended, beyond its text (domain/stored_ending.hpp); empty when that
  /// is unknown (a crash, or a row stored before endings were).
  std::string ending;
};

/// A message the provider must be told again: its chain of responses does not hold it.
struct context_message {
  message_role role = message_role::user;
  std::string content;
};

/// The two messages a turn creates: the user's (complete) and the assistant's (growing).
struct turn_record {
  std::string conversation_id;
  message_record user_message;
  message_record assistant_message;
  /// The conversation's messages since its last complete answer, oldest first: turns that
  /// were interrupted, stopped or failed, which the provider's chain does not hold.
  std::vector<context_message> unchained;
  /// For a turn that continues the provider's chain: the conversation's newest messages before
  /// this turn, oldest first, to send instead if the provider has lost the chain.
  std::vector<context_message> history;
};

/// How a client proves who it is: a browser's cookie or a program's bearer token.
enum class session_kind { cookie, bearer };

/// An address an account signed in from, and when it last did.
struct sign_in_place {
  std::string username;
  std::string address;
  unix_ms at = 0;
};

/// A live session, as found by its token's hash.
struct session_info {
  user_record user;
  session_kind kind = session_kind::cookie;
  unix_ms last_seen_at = 0;
  unix_ms expires_at = 0;
};

} // namespace chatd::domain

#pragma once

// The payloads of the accounts actor and the password hasher. Those that carry a password or
// a token have no inspect overload on purpose: CAF cannot print or serialize them, so a secret
// can never reach a log or the wire. They travel only between local actors.

#include <string>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/domain_inspect.hpp"

namespace chatd::actors {

struct register_cmd {
  std::string username;
  std::string password;
};

struct login_cmd {
  std::string username;
  std::string password;
  std::string address; ///< the client's IP address, for throttling
};

/// A signed-in user and the new session's token (to hand to the client, once).
struct login_result {
  domain::user_record user;
  std::string token;
};

struct logout_cmd {
  std::string token;
};

/// Who holds this cookie or bearer token?
struct authenticate_query {
  std::string token;
};

/// A new bearer token for a signed-in user.
struct issue_token_cmd {
  domain::user_record user;
};

/// A bearer token, returned once.
struct issued_token {
  std::string token;
};

struct hash_password_cmd {
  std::string password;
};

struct verify_password_cmd {
  std::string password_hash;
  std::string password;
};

} // namespace chatd::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::register_cmd)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::login_cmd)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::login_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::logout_cmd)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::authenticate_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::issued_token)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::hash_password_cmd)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::verify_password_cmd)

namespace chatd::actors {
CHATD_INSPECT(issue_token_cmd, x.user)
} // namespace chatd::actors

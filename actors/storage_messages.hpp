#pragma once

// The payloads of the storage actors' requests, declared once.

#include <string>
#include <vector>

#include "actors/domain_inspect.hpp"

namespace chatd::actors {

// -- storage: commands (writer) -------------------------------------------------------------

struct create_user_cmd {
  std::string username;
  std::string password_hash;
};
CHATD_INSPECT(create_user_cmd, x.username, x.password_hash)

struct create_session_cmd {
  std::string token_hash;
  std::string user_id;
  domain::session_kind kind = domain::session_kind::cookie;
  domain::unix_ms expires_at = 0;
  std::string sign_in_address; ///< a login's client address, noted as a place; empty: none
};
CHATD_INSPECT(create_session_cmd, x.token_hash, x.user_id, x.kind, x.expires_at, x.sign_in_address)

struct touch_session_cmd {
  std::string token_hash;
};
CHATD_INSPECT(touch_session_cmd, x.token_hash)

struct revoke_session_cmd {
  std::string token_hash;
};
CHATD_INSPECT(revoke_session_cmd, x.token_hash)

struct create_conversation_cmd {
  std::string user_id;
  std::string title;
};
CHATD_INSPECT(create_conversation_cmd, x.user_id, x.title)

struct rename_conversation_cmd {
  std::string user_id;
  std::string conversation_id;
  std::string title;
};
CHATD_INSPECT(rename_conversation_cmd, x.user_id, x.conversation_id, x.title)

struct delete_conversation_cmd {
  std::string user_id;
  std::string conversation_id;
};
CHATD_INSPECT(delete_conversation_cmd, x.user_id, x.conversation_id)

struct begin_turn_cmd {
  std::string user_id;
  std::string conversation_id;
  std::string text;
  std::string idempotency_key; ///< empty: none
  /// A new conversation's first turn: the conversation is stored with it, in one commit.
  bool new_conversation = false;
  std::string new_conversation_title;
  /// The turn continues the provider's chain: the history to replace it comes along.
  bool chained = false;
};
CHATD_INSPECT(begin_turn_cmd, x.user_id, x.conversation_id, x.text, x.idempotency_key,
              x.new_conversation, x.new_conversation_title, x.chained)

struct checkpoint_cmd {
  std::string message_id;
  std::string content;
};
CHATD_INSPECT(checkpoint_cmd, x.message_id, x.content)

struct finish_turn_cmd {
  std::string message_id;
  std::string conversation_id;
  std::string content;
  domain::message_status status = domain::message_status::complete;
  std::string provider_ref; ///< empty: keep the conversation's reference
  std::string ending;       ///< domain/stored_ending.hpp
};
CHATD_INSPECT(finish_turn_cmd, x.message_id, x.conversation_id, x.content, x.status, x.provider_ref,
              x.ending)

// -- storage: queries (readers) ---------------------------------------------------------------

/// A user and their password hash, for a login.
struct user_secret {
  domain::user_record user;
  std::string password_hash;
};
CHATD_INSPECT(user_secret, x.user, x.password_hash)

struct find_user_query {
  std::string username;
};
CHATD_INSPECT(find_user_query, x.username)

struct find_session_query {
  std::string token_hash;
  domain::unix_ms idle_cutoff = 0;
};
CHATD_INSPECT(find_session_query, x.token_hash, x.idle_cutoff)

struct list_conversations_query {
  std::string user_id;
};
CHATD_INSPECT(list_conversations_query, x.user_id)

/// By id alone: conversation actors check the owner themselves.
struct get_conversation_query {
  std::string conversation_id;
};
CHATD_INSPECT(get_conversation_query, x.conversation_id)

struct get_messages_query {
  std::string conversation_id;
};
CHATD_INSPECT(get_messages_query, x.conversation_id)

struct find_message_query {
  std::string user_id;
  std::string message_id;
};
CHATD_INSPECT(find_message_query, x.user_id, x.message_id)

struct find_turn_query {
  std::string user_id;
  std::string idempotency_key;
};
CHATD_INSPECT(find_turn_query, x.user_id, x.idempotency_key)

/// The places accounts signed in from after `since` (newest first, a bounded number).
struct recent_sign_in_places_query {
  domain::unix_ms since = 0;
};
CHATD_INSPECT(recent_sign_in_places_query, x.since)

/// A conversation with its messages, in order.
struct conversation_view {
  domain::conversation_record conversation;
  std::vector<domain::message_record> messages;
};
CHATD_INSPECT(conversation_view, x.conversation, x.messages)

} // namespace chatd::actors

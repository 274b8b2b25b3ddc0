#pragma once

// Every SQL statement of the service, as named constants: never built by concatenation, every
// value bound with soci::use.

namespace chatd::storage::sql {

// -- users ------------------------------------------------------------------------------------
inline constexpr const char* insert_user =
    "INSERT INTO users(id, username, password_hash, created_at) "
    "VALUES(:id, :username, :hash, :now)";
inline constexpr const char* select_user_by_name =
    "SELECT id, username, password_hash FROM users WHERE username = :username";

// -- sessions ---------------------------------------------------------------------------------
inline constexpr const char* insert_session =
    "INSERT INTO sessions(token_hash, user_id, kind, created_at, last_seen_at, expires_at) "
    "VALUES(:hash, :user_id, :kind, :now, :now, :expires)";
inline constexpr const char* select_live_session =
    "SELECT s.user_id, u.username, s.kind, s.last_seen_at, s.expires_at FROM sessions s "
    "JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = :hash AND s.revoked_at IS NULL AND s.expires_at > :now "
    "AND (s.kind <> 'cookie' OR s.last_seen_at > :idle_cutoff)";
inline constexpr const char* touch_session =
    "UPDATE sessions SET last_seen_at = :now WHERE token_hash = :hash";
inline constexpr const char* revoke_session =
    "UPDATE sessions SET revoked_at = :now WHERE token_hash = :hash AND revoked_at IS NULL";
inline constexpr const char* delete_dead_sessions =
    "DELETE FROM sessions WHERE expires_at <= :now OR revoked_at IS NOT NULL";

// -- sign-in places ---------------------------------------------------------------------------
inline constexpr const char* upsert_sign_in_place =
    "INSERT INTO sign_in_places(user_id, address, last_sign_in_at) VALUES(:user_id, :address, "
    ":now) "
    "ON CONFLICT(user_id, address) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at";
inline constexpr const char* select_recent_sign_in_places =
    "SELECT u.username, p.address, p.last_sign_in_at FROM sign_in_places p "
    "JOIN users u ON u.id = p.user_id WHERE p.last_sign_in_at > :since "
    "ORDER BY p.last_sign_in_at DESC LIMIT :limit";
inline constexpr const char* delete_old_sign_in_places =
    "DELETE FROM sign_in_places WHERE last_sign_in_at <= :before";

// -- conversations ----------------------------------------------------------------------------
inline constexpr const char* insert_conversation =
    "INSERT INTO conversations(id, user_id, title, provider_ref, created_at, updated_at) "
    "VALUES(:id, :user_id, :title, '', :now, :now)";
inline constexpr const char* select_conversation =
    "SELECT id, user_id, title, provider_ref, created_at, updated_at FROM conversations "
    "WHERE id = :id AND user_id = :user_id";
inline constexpr const char* select_conversation_by_id =
    "SELECT id, user_id, title, provider_ref, created_at, updated_at FROM conversations "
    "WHERE id = :id";
inline constexpr const char* select_conversations_of_user =
    "SELECT id, user_id, title, provider_ref, created_at, updated_at FROM conversations "
    "WHERE user_id = :user_id ORDER BY updated_at DESC, rowid DESC";
inline constexpr const char* rename_conversation =
    "UPDATE conversations SET title = :title, updated_at = :now WHERE id = :id AND user_id = "
    ":user_id";
inline constexpr const char* delete_conversation =
    "DELETE FROM conversations WHERE id = :id AND user_id = :user_id";
inline constexpr const char* touch_conversation =
    "UPDATE conversations SET updated_at = :now WHERE id = :id";
inline constexpr const char* set_provider_ref =
    "UPDATE conversations SET provider_ref = :ref, updated_at = :now WHERE id = :id";

// -- messages ---------------------------------------------------------------------------------
inline constexpr const char* insert_message =
    "INSERT INTO messages(id, conversation_id, role, content, status, created_at, updated_at) "
    "VALUES(:id, :conversation_id, :role, :content, :status, :now, :now)";
/// The newest messages after the conversation's last complete answer, newest first (answers
/// with no text left out).
inline constexpr const char* select_unchained_messages =
    "SELECT role, content FROM messages WHERE conversation_id = :conversation_id AND rowid > "
    "COALESCE((SELECT MAX(rowid) FROM messages WHERE conversation_id = :conversation_id "
    "AND role = 'assistant' AND status = 'complete'), 0) "
    "AND NOT (role = 'assistant' AND content = '') ORDER BY rowid DESC LIMIT :limit";
/// The conversation's newest messages, newest first (answers with no text left out).
inline constexpr const char* select_recent_messages =
    "SELECT role, content FROM messages WHERE conversation_id = :conversation_id "
    "AND NOT (role = 'assistant' AND content = '') ORDER BY rowid DESC LIMIT :limit";
inline constexpr const char* select_messages_of_conversation =
    "SELECT id, conversation_id, role, content, status, created_at, ending FROM messages "
    "WHERE conversation_id = :conversation_id ORDER BY rowid";
inline constexpr const char* select_message_of_user =
    "SELECT m.id, m.conversation_id, m.role, m.content, m.status, m.created_at, m.ending "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
    "WHERE m.id = :id AND c.user_id = :user_id";
inline constexpr const char* select_message_with_owner =
    "SELECT m.id, m.conversation_id, m.role, m.content, m.status, m.created_at, m.ending, "
    "c.user_id "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = :id";
inline constexpr const char* checkpoint_message =
    "UPDATE messages SET content = :content, updated_at = :now "
    "WHERE id = :id AND status = 'streaming'";
inline constexpr const char* finish_message =
    "UPDATE messages SET content = :content, status = :status, ending = :ending, "
    "updated_at = :now WHERE id = :id AND status = 'streaming'";
inline constexpr const char* interrupt_streaming_messages =
    "UPDATE messages SET status = 'interrupted', updated_at = :now WHERE status = 'streaming'";

// -- idempotency keys ---------------------------------------------------------------------------
inline constexpr const char* insert_idempotency_key =
    "INSERT INTO idempotency_keys(user_id, key, conversation_id, user_message_id, "
    "assistant_message_id, created_at) VALUES(:user_id, :key, :conversation_id, :user_message_id, "
    ":assistant_message_id, :now)";
inline constexpr const char* select_idempotency_key =
    "SELECT conversation_id, user_message_id, assistant_message_id FROM idempotency_keys "
    "WHERE user_id = :user_id AND key = :key AND created_at > :since";
inline constexpr const char* delete_expired_idempotency_key =
    "DELETE FROM idempotency_keys WHERE user_id = :user_id AND key = :key AND created_at <= :since";
inline constexpr const char* delete_old_idempotency_keys =
    "DELETE FROM idempotency_keys WHERE created_at <= :since";

} // namespace chatd::storage::sql

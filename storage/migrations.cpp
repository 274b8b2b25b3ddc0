#include "storage/migrations.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace chatd::storage {

namespace {

/// Each migration is a list of statements. Append new ones; never edit a released one.
const std::vector<std::vector<const char*>>& migrations() {
  static const std::vector<std::vector<const char*>> all = {
      // 1: accounts, sessions, conversations, messages, idempotency keys.
      {
          "CREATE TABLE users ("
          " id TEXT PRIMARY KEY,"
          " username TEXT NOT NULL UNIQUE COLLATE NOCASE,"
          " password_hash TEXT NOT NULL,"
          " created_at BIGINT NOT NULL)",
          "CREATE TABLE sessions ("
          " token_hash TEXT PRIMARY KEY,"
          " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
          " kind TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),"
          " created_at BIGINT NOT NULL,"
          " last_seen_at BIGINT NOT NULL,"
          " expires_at BIGINT NOT NULL,"
          " revoked_at BIGINT)",
          "CREATE INDEX sessions_by_user ON sessions(user_id)",
          "CREATE TABLE conversations ("
          " id TEXT PRIMARY KEY,"
          " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
          " title TEXT NOT NULL,"
          " provider_ref TEXT NOT NULL DEFAULT '',"
          " created_at BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL)",
          "CREATE INDEX conversations_by_user ON conversations(user_id, updated_at)",
          "CREATE TABLE messages ("
          " id TEXT PRIMARY KEY,"
          " conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
          " role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),"
          " content TEXT NOT NULL,"
          " status TEXT NOT NULL"
          "  CHECK (status IN ('complete', 'streaming', 'stopped', 'failed', 'interrupted')),"
          " created_at BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL)",
          "CREATE INDEX messages_by_conversation ON messages(conversation_id)",
          "CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming'",
          "CREATE TABLE idempotency_keys ("
          " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
          " key TEXT NOT NULL,"
          " conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
          " user_message_id TEXT NOT NULL,"
          " assistant_message_id TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " PRIMARY KEY (user_id, key))",
      },
      // 2: the places (client addresses) each account signed in from, so that the login
      // throttle still knows its owners' places after a restart; how each answer ended.
      {
          "CREATE TABLE sign_in_places ("
          " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
          " address TEXT NOT NULL,"
          " last_sign_in_at BIGINT NOT NULL,"
          " PRIMARY KEY (user_id, address))",
          "CREATE INDEX sign_in_places_by_time ON sign_in_places(last_sign_in_at)",
          // How each answer ended beyond its text (domain/stored_ending.hpp).
          "ALTER TABLE messages ADD COLUMN ending TEXT NOT NULL DEFAULT ''",
      },
  };
  return all;
}

} // namespace

int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

void migrate(soci::session& sql) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
         " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
  int current = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(current, ind);
  if (ind == soci::i_null)
    current = 0;
  if (current > latest_schema_version())
    throw std::runtime_error("the database has schema version " + std::to_string(current) +
                             ", newer than this program's " +
                             std::to_string(latest_schema_version()));
  for (int version = current + 1; version <= latest_schema_version(); ++version) {
    soci::transaction tr(sql);
    for (const char* statement : migrations()[static_cast<std::size_t>(version - 1)])
      sql << statement;
    long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    sql << "INSERT INTO schema_migrations(version, applied_at) VALUES(:v, :now)",
        soci::use(version), soci::use(now);
    tr.commit();
  }
}

} // namespace chatd::storage

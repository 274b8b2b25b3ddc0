#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/records.hpp"

namespace soci {
class session;
}

namespace chatd::storage {

/// Users and their sessions. Blocking; call only from a storage actor's own thread.
class accounts_repository {
public:
  explicit accounts_repository(soci::session& sql) : sql_(sql) {}

  /// A user whose password hash is stored alongside; for logins only.
  struct user_secret {
    domain::user_record user;
    std::string password_hash;
  };

  /// The new user, or nullopt when the name is taken (names compare case-insensitively).
  std::optional<domain::user_record>
  create_user(const std::string& username, const std::string& password_hash, domain::unix_ms now);
  std::optional<user_secret> find_user(const std::string& username);

  void create_session(const std::string& token_hash, const std::string& user_id,
                      domain::session_kind kind, domain::unix_ms now, domain::unix_ms expires_at);
  /// The session if it is neither revoked, expired nor (for cookies) idle since `idle_cutoff`.
  std::optional<domain::session_info>
  find_session(const std::string& token_hash, domain::unix_ms now, domain::unix_ms idle_cutoff);
  void touch_session(const std::string& token_hash, domain::unix_ms now);
  void revoke_session(const std::string& token_hash, domain::unix_ms now);
  /// Forgets expired and revoked sessions; returns how many.
  long long purge_sessions(domain::unix_ms now);

  /// Notes that the user signed in from `address` at `now`.
  void note_sign_in_place(const std::string& user_id, const std::string& address,
                          domain::unix_ms now);
  /// The places of sign-ins after `since`, newest first, at most `limit`.
  std::vector<domain::sign_in_place> recent_sign_in_places(domain::unix_ms since,
                                                           std::size_t limit);
  /// Forgets the places last used at or before `before`.
  long long purge_sign_in_places(domain::unix_ms before);

private:
  soci::session& sql_;
};

} // namespace chatd::storage

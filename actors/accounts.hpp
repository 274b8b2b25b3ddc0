#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "actors/interfaces.hpp"
#include "domain/login_throttle.hpp"

namespace chatd::actors {

struct accounts_config {
  std::chrono::seconds session_idle_timeout{7 * 24 * 3600};
  std::chrono::seconds session_lifetime{30 * 24 * 3600};
  domain::login_throttle::limits login_limits;
  /// Password hashes and checks queued or running at once (one takes ~0.1 s of the hasher):
  /// over this, a login or registration gets `rate_limited` at once instead of a place in a
  /// queue that every other user's login would wait behind.
  std::size_t max_password_jobs = 32;
  /// Logins being checked at once from one address.
  std::size_t max_logins_per_address = 4;
};

struct accounts_state {
  static constexpr const char* name = "accounts";

  accounts_state() : throttle(domain::login_throttle::limits{}) {}

  accounts_config config;
  storage_reader_actor reader;
  storage_writer_actor writer;
  password_hasher_actor hasher;
  /// Verified against when a login names an unknown user, so that it costs as much as a
  /// wrong password and reveals nothing.
  std::string dummy_hash;
  domain::login_throttle throttle;
  std::size_t password_jobs = 0; ///< hashes and checks asked of the hasher, not yet answered
  std::unordered_map<std::string, std::size_t> logins_by_address; ///< being checked
  /// Sessions looked up lately, by token hash, with when they were read: a request of a busy
  /// session skips the database. Logout drops its entry here, so only a change made to the
  /// database behind chatd's back is seen late, and at most `session_cache_ttl` late.
  struct cached_session {
    domain::session_info info;
    domain::unix_ms read_at = 0;
  };
  std::unordered_map<std::string, cached_session> sessions;
  domain::unix_ms sessions_swept_at = 0;
};

/// Registration, logins, logouts, bearer tokens and token look-ups.
///
///   login ──▶ throttle ──▶ reader: find user ──▶ hasher: verify ──▶ writer: new session ──▶ reply
///
/// Tokens are only ever stored hashed; a failed login counts against its (account, address).
accounts_actor::behavior_type accounts(accounts_actor::stateful_pointer<accounts_state> self,
                                       accounts_config config, storage_reader_actor reader,
                                       storage_writer_actor writer, password_hasher_actor hasher,
                                       std::string dummy_hash);

} // namespace chatd::actors

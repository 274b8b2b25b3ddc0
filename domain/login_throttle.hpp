#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

#include "domain/records.hpp"

namespace chatd::domain {

/// Counts failed logins per (account, address) and per account in sliding windows. The pair
/// limit stops guessing from one place; the wider account limit stops a distributed attack,
/// and is much higher. An address the account signed in from lately is exempt from the
/// account limit (not from its pair limit), so that an attacker elsewhere cannot lock the
/// owner out of the places the owner uses.
class login_throttle {
public:
  struct limits {
    std::size_t per_pair = 10;
    std::chrono::milliseconds pair_window{15 * 60 * 1000};
    std::size_t per_account = 100;
    std::chrono::milliseconds account_window{60 * 60 * 1000};
    /// How long a successful sign-in makes its address known to the account.
    std::chrono::milliseconds known_for{30LL * 24 * 60 * 60 * 1000};
  };

  explicit login_throttle(limits l) : limits_(l) {}

  std::chrono::milliseconds known_for() const { return limits_.known_for; }

  /// Seconds to wait before this login may be tried; 0 when it may be tried now.
  std::int64_t retry_after(const std::string& account, const std::string& address, unix_ms now);

  /// A login about to be checked: it counts as failed from now on, until record_success says
  /// otherwise. Counted at the start, guesses sent in parallel all count before any answer,
  /// so they cannot run past the limits while the first ones are still being checked.
  void record_attempt(const std::string& account, const std::string& address, unix_ms now);

  /// The attempt made at `attempted_at` had the right password: it no longer counts against
  /// the account, the failures of this (account, address) are cleared, and the address is
  /// known to the account from now on.
  void record_success(const std::string& account, const std::string& address, unix_ms attempted_at);

  /// The account signed in from this address at `at` (remembered from an earlier run): the
  /// address is known from then on, as after record_success.
  void remember_place(const std::string& account, const std::string& address, unix_ms at);

  /// Whether the account signed in from this address lately (see the class comment).
  bool is_known(const std::string& account, const std::string& address, unix_ms now) const;

  /// Drops everything older than the windows; call now and then to bound memory.
  void prune(unix_ms now);

  std::size_t tracked_keys() const {
    return per_pair_.size() + per_account_.size() + known_.size();
  }

private:
  using history = std::deque<unix_ms>;

  static std::int64_t wait_for(history& h, std::size_t limit, std::chrono::milliseconds window,
                               unix_ms now);

  limits limits_;
  std::unordered_map<std::string, history> per_pair_;
  std::unordered_map<std::string, history> per_account_;
  std::unordered_map<std::string, unix_ms> known_; ///< pair key → last successful sign-in
};

} // namespace chatd::domain

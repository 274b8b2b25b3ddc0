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
/// and is much higher so that someone elsewhere cannot lock the owner out for long.
class login_throttle {
public:
  struct limits {
    std::size_t per_pair = 10;
    std::chrono::milliseconds pair_window{15 * 60 * 1000};
    std::size_t per_account = 100;
    std::chrono::milliseconds account_window{60 * 60 * 1000};
  };

  explicit login_throttle(limits l) : limits_(l) {}

  /// Seconds to wait before this login may be tried; 0 when it may be tried now.
  std::int64_t retry_after(const std::string& account, const std::string& address, unix_ms now);

  /// A login about to be checked: it counts as failed from now on, until record_success says
  /// otherwise. Counted at the start, guesses sent in parallel all count before any answer,
  /// so they cannot run past the limits while the first ones are still being checked.
  void record_attempt(const std::string& account, const std::string& address, unix_ms now);

  /// The attempt made at `attempted_at` had the right password: it no longer counts against
  /// the account, and the failures of this (account, address) are cleared.
  void record_success(const std::string& account, const std::string& address, unix_ms attempted_at);

  /// Drops everything older than the windows; call now and then to bound memory.
  void prune(unix_ms now);

  std::size_t tracked_keys() const { return per_pair_.size() + per_account_.size(); }

private:
  using history = std::deque<unix_ms>;

  static std::int64_t wait_for(history& h, std::size_t limit, std::chrono::milliseconds window,
                               unix_ms now);

  limits limits_;
  std::unordered_map<std::string, history> per_pair_;
  std::unordered_map<std::string, history> per_account_;
};

} // namespace chatd::domain

#include "domain/login_throttle.hpp"

#include <algorithm>
#include <iterator>

namespace chatd::domain {

namespace {

std::string pair_key(const std::string& account, const std::string& address) {
  return account + '\n' + address;
}

void drop_older(std::deque<unix_ms>& h, unix_ms cutoff) {
  while (!h.empty() && h.front() <= cutoff)
    h.pop_front();
}

template<class Map> void prune_map(Map& m, std::chrono::milliseconds window, unix_ms now) {
  for (auto it = m.begin(); it != m.end();) {
    drop_older(it->second, now - window.count());
    it = it->second.empty() ? m.erase(it) : std::next(it);
  }
}

} // namespace

std::int64_t login_throttle::wait_for(history& h, std::size_t limit,
                                      std::chrono::milliseconds window, unix_ms now) {
  drop_older(h, now - window.count());
  if (h.size() < limit)
    return 0;
  // The oldest failure that keeps the count at the limit must leave the window first.
  const unix_ms frees_at = h[h.size() - limit] + window.count();
  return (frees_at - now + 999) / 1000;
}

std::int64_t login_throttle::retry_after(const std::string& account, const std::string& address,
                                         unix_ms now) {
  std::int64_t wait = 0;
  if (auto it = per_pair_.find(pair_key(account, address)); it != per_pair_.end())
    wait = wait_for(it->second, limits_.per_pair, limits_.pair_window, now);
  if (is_known(account, address, now))
    return wait;
  if (auto it = per_account_.find(account); it != per_account_.end())
    wait = std::max(wait, wait_for(it->second, limits_.per_account, limits_.account_window, now));
  return wait;
}

bool login_throttle::is_known(const std::string& account, const std::string& address,
                              unix_ms now) const {
  auto known = known_.find(pair_key(account, address));
  return known != known_.end() && now - known->second < limits_.known_for.count();
}

void login_throttle::record_attempt(const std::string& account, const std::string& address,
                                    unix_ms now) {
  per_pair_[pair_key(account, address)].push_back(now);
  per_account_[account].push_back(now);
}

void login_throttle::remember_place(const std::string& account, const std::string& address,
                                    unix_ms at) {
  auto& last = known_[pair_key(account, address)];
  last = std::max(last, at);
}

void login_throttle::record_success(const std::string& account, const std::string& address,
                                    unix_ms attempted_at) {
  auto pair = pair_key(account, address);
  per_pair_.erase(pair);
  known_[pair] = attempted_at;
  auto it = per_account_.find(account);
  if (it == per_account_.end())
    return;
  auto& h = it->second;
  for (auto at = h.rbegin(); at != h.rend(); ++at)
    if (*at == attempted_at) {
      h.erase(std::next(at).base());
      break;
    }
  if (h.empty())
    per_account_.erase(it);
}

void login_throttle::prune(unix_ms now) {
  prune_map(per_pair_, limits_.pair_window, now);
  prune_map(per_account_, limits_.account_window, now);
  for (auto it = known_.begin(); it != known_.end();)
    it = now - it->second >= limits_.known_for.count() ? known_.erase(it) : std::next(it);
}

} // namespace chatd::domain

#pragma once
// The `times=N` budgets: how often each distinct directive text has already made a request fail.

#include <mutex>
#include <string>
#include <unordered_map>

namespace chatd::mock {

class fault_counters {
public:
  /// True (and counts one) while `identity` has failed fewer than `times` requests.
  bool take(const std::string& identity, long times) {
    std::lock_guard lock{mutex_};
    auto& used = used_[identity];
    if (used >= times)
      return false;
    ++used;
    return true;
  }

  void reset() {
    std::lock_guard lock{mutex_};
    used_.clear();
  }

private:
  std::mutex mutex_;
  std::unordered_map<std::string, long> used_;
};

} // namespace chatd::mock

#include "domain/timer_slots.hpp"

#include <algorithm>

namespace chatd::domain {

std::chrono::nanoseconds slotted_delay(std::chrono::nanoseconds now,
                                       std::chrono::nanoseconds interval) {
  using std::chrono::nanoseconds;
  const nanoseconds slot =
      std::max(nanoseconds(1), std::min<nanoseconds>(std::chrono::milliseconds(50), interval / 4));
  const auto due = now + interval;
  return due - due % slot - now;
}

} // namespace chatd::domain

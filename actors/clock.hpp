#pragma once

#include <chrono>

#include "domain/records.hpp"
#include "domain/timer_slots.hpp"

namespace chatd::actors {

/// Wall-clock time for timestamps that are stored or shown.
inline domain::unix_ms now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// How long a periodic timer started now waits, on the grid of slots that all such timers
/// share (domain/timer_slots.hpp).
inline std::chrono::nanoseconds slotted_delay_from_now(std::chrono::nanoseconds interval) {
  return domain::slotted_delay(std::chrono::steady_clock::now().time_since_epoch(), interval);
}

} // namespace chatd::actors

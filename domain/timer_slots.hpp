#pragma once

#include <chrono>

namespace chatd::domain {

/// The delay until a periodic timer should fire so that it fires no later than `interval` from
/// `now`, and on a shared grid of slots: every timer due in the same slot fires at the same
/// instant. Thousands of live answers' timers then wake the clock a few dozen times a second
/// instead of thousands. The slot is at most 50 ms and at most a quarter of the interval, so a
/// timer fires at most that much early.
std::chrono::nanoseconds slotted_delay(std::chrono::nanoseconds now,
                                       std::chrono::nanoseconds interval);

} // namespace chatd::domain

#pragma once

#include <chrono>

#include "domain/records.hpp"

namespace chatd::actors {

/// Wall-clock time for timestamps that are stored or shown.
inline domain::unix_ms now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace chatd::actors

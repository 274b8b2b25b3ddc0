#pragma once

#include <string>

#include "domain/records.hpp"

namespace chatd::domain {

/// RFC 3339 in UTC with milliseconds, e.g. `2026-11-25T16:24:25.123Z`.
std::string format_rfc3339(unix_ms t);

} // namespace chatd::domain

#include "domain/time_format.hpp"

#include <cstdio>

namespace chatd::domain {

namespace {

// Howard Hinnant's days-to-civil algorithm: exact for the proleptic Gregorian calendar and
// free of the C library's time zone state.
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

} // namespace

std::string format_rfc3339(unix_ms t) {
  std::int64_t days = t / 86400000;
  std::int64_t rest = t % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  int year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  const auto secs = rest / 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, month, day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), static_cast<int>(rest % 1000));
  return buf;
}

} // namespace chatd::domain

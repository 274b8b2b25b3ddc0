#include "domain/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace chatd::domain {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 32)
    return std::nullopt;
  // Plain decimal only: strtod would also take hex, exponents and "inf".
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.'))
      return std::nullopt;
  char buf[40];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  if (end != buf + s.size() || !(v >= 0) || v > 1e9)
    return std::nullopt;
  return v;
}

// Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, the form HTTP servers send.
std::optional<unix_ms> parse_http_date(std::string_view s) {
  s = trim(s);
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(25) != " GMT")
    return std::nullopt;
  char mon[4] = {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  std::string buf(s);
  if (std::sscanf(buf.c_str() + 5, "%2d %3s %4d %2d:%2d:%2d", &day, mon, &year, &hh, &mm, &ss) != 6)
    return std::nullopt;
  auto it = std::find_if(months.begin(), months.end(),
                         [&](const char* m) { return std::strcmp(m, mon) == 0; });
  if (it == months.end() || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
    return std::nullopt;
  auto month = static_cast<unsigned>(it - months.begin() + 1);
  auto days = days_from_civil(year, month, static_cast<unsigned>(day));
  return ((days * 24 + hh) * 60 + mm) * 60000LL + ss * 1000LL;
}

} // namespace

bool is_retryable_status(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

error_code upstream_code_of_status(long status) {
  if (status == 408 || status == 504)
    return error_code::upstream_timeout;
  if (status == 429 || status == 503 || status == 529)
    return error_code::upstream_unavailable;
  return error_code::upstream_error;
}

std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view retry_after_ms, std::string_view retry_after, unix_ms now) {
  if (auto ms = parse_number(retry_after_ms))
    return std::chrono::milliseconds(static_cast<std::int64_t>(*ms));
  if (auto secs = parse_number(retry_after))
    return std::chrono::milliseconds(static_cast<std::int64_t>(*secs * 1000));
  if (auto date = parse_http_date(retry_after); date && *date >= now)
    return std::chrono::milliseconds(*date - now);
  return std::nullopt;
}

std::chrono::milliseconds backoff_delay(const retry_policy& policy, int retry, double jitter01,
                                        std::optional<std::chrono::milliseconds> server_hint) {
  if (server_hint && *server_hint <= policy.max_server_delay)
    return *server_hint;
  std::chrono::milliseconds delay = policy.base_delay * (1LL << std::clamp(retry, 0, 20));
  delay = std::min(delay, policy.max_delay);
  const double factor = 1.0 - 0.25 * std::clamp(jitter01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(delay.count() * factor));
}

} // namespace chatd::domain

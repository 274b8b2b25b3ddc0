#include "domain/retry_policy.hpp"

#include <catch2/catch.hpp>

using namespace chatd::domain;
using std::chrono::milliseconds;

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
constexpr unix_ms rfc_example = 784111777000;

std::optional<milliseconds> after(std::string_view ms, std::string_view header,
                                  unix_ms now = rfc_example) {
  return parse_retry_after(ms, header, now);
}

} // namespace

TEST_CASE("retryable statuses: 408, 409, 429 and every 5xx", "[retry_policy]") {
  for (long status : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 529L, 599L})
    CHECK(is_retryable_status(status));
  for (long status : {0L, 200L, 204L, 301L, 400L, 401L, 403L, 404L, 413L, 422L, 499L})
    CHECK_FALSE(is_retryable_status(status));
}

TEST_CASE("a failing status is a timeout, an unavailable provider or the provider's error",
          "[retry_policy]") {
  for (long status : {408L, 504L})
    CHECK(upstream_code_of_status(status) == error_code::upstream_timeout);
  for (long status : {429L, 503L, 529L})
    CHECK(upstream_code_of_status(status) == error_code::upstream_unavailable);
  for (long status : {409L, 500L, 502L, 599L, 400L, 404L})
    CHECK(upstream_code_of_status(status) == error_code::upstream_error);
}

TEST_CASE("retry-after-ms is read in milliseconds and preferred over Retry-After",
          "[retry_policy]") {
  CHECK(after("1500", "") == milliseconds(1500));
  CHECK(after("250", "10") == milliseconds(250));
  CHECK(after(" 40 ", "") == milliseconds(40));
  CHECK(after("12.9", "") == milliseconds(12));
}

TEST_CASE("Retry-After in seconds", "[retry_policy]") {
  CHECK(after("", "3") == milliseconds(3000));
  CHECK(after("", "0") == milliseconds(0));
  CHECK(after("", "1.5") == milliseconds(1500));
  CHECK(after("", "\t20\r") == milliseconds(20000));
}

TEST_CASE("Retry-After as an HTTP date counts from now", "[retry_policy]") {
  CHECK(after("", "Sun, 06 Nov 1994 08:50:07 GMT") == milliseconds(30000));
  CHECK(after("", "Sun, 06 Nov 1994 08:49:37 GMT") == milliseconds(0));
  CHECK(after("", "Sun, 06 Nov 1994 08:50:07 GMT", rfc_example + 250) == milliseconds(29750));
  CHECK(after("", "Mon, 07 Nov 1994 08:49:37 GMT") == milliseconds(24 * 3600 * 1000));
  CHECK(after("", "Thu, 01 Jan 2026 00:00:10 GMT", 1767225600000) == milliseconds(10000));
  CHECK(after("", "Thu, 29 Feb 2024 12:00:00 GMT", 1709164800000) == milliseconds(12 * 3600000));
}

TEST_CASE("a date in the past is no hint", "[retry_policy]") {
  CHECK_FALSE(after("", "Sun, 06 Nov 1994 08:49:36 GMT"));
}

TEST_CASE("garbage and negative values are ignored", "[retry_policy]") {
  for (const char* bad : {"", " ", "soon", "-1", "-0.5", "1s", "10 seconds", "nan", "inf", "1e99",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                          "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC"}) {
    INFO(bad);
    CHECK_FALSE(after("", bad));
    CHECK_FALSE(after(bad, ""));
  }
  CHECK(after("garbage", "2") == milliseconds(2000)); // an unreadable ms header falls back
}

TEST_CASE("hexadecimal numbers are not delay-seconds", "[retry_policy]") {
  CHECK_FALSE(after("", "0x10"));
  CHECK_FALSE(after("0x10", ""));
}

TEST_CASE("back-off doubles from 0.5 s and stops at 8 s", "[retry_policy]") {
  const retry_policy policy;
  const long long expected[] = {500, 1000, 2000, 4000, 8000, 8000, 8000};
  for (int retry = 0; retry < 7; ++retry) {
    INFO("retry " << retry);
    CHECK(backoff_delay(policy, retry, 0.0, std::nullopt) == milliseconds(expected[retry]));
  }
  CHECK(backoff_delay(policy, 62, 0.0, std::nullopt) == milliseconds(8000));
  CHECK(backoff_delay(policy, -3, 0.0, std::nullopt) == milliseconds(500));
}

TEST_CASE("jitter takes off at most 25 %", "[retry_policy]") {
  const retry_policy policy;
  CHECK(backoff_delay(policy, 1, 0.5, std::nullopt) == milliseconds(875));
  CHECK(backoff_delay(policy, 4, 0.25, std::nullopt) == milliseconds(7500));
  for (int retry = 0; retry < 6; ++retry)
    for (double j : {0.0, 0.1, 0.5, 0.9, 0.999999, 1.0, 7.0, -1.0}) {
      const auto full = backoff_delay(policy, retry, 0.0, std::nullopt);
      const auto d = backoff_delay(policy, retry, j, std::nullopt);
      INFO("retry " << retry << " jitter " << j);
      CHECK(d <= full);
      CHECK(d.count() >= full.count() * 3 / 4);
    }
}

TEST_CASE("a server hint up to 60 s wins and a longer one is ignored", "[retry_policy]") {
  const retry_policy policy;
  CHECK(backoff_delay(policy, 0, 0.9, milliseconds(3000)) == milliseconds(3000));
  CHECK(backoff_delay(policy, 5, 0.9, milliseconds(20)) == milliseconds(20));
  CHECK(backoff_delay(policy, 0, 0.0, milliseconds(0)) == milliseconds(0));
  CHECK(backoff_delay(policy, 0, 0.0, milliseconds(60000)) == milliseconds(60000));
  CHECK(backoff_delay(policy, 0, 0.0, milliseconds(60001)) == milliseconds(500));
  CHECK(backoff_delay(policy, 3, 0.0, milliseconds(3600000)) == milliseconds(4000));
}

TEST_CASE("the policy's own limits are used", "[retry_policy]") {
  retry_policy policy;
  policy.base_delay = milliseconds(100);
  policy.max_delay = milliseconds(250);
  policy.max_server_delay = milliseconds(1000);
  CHECK(backoff_delay(policy, 0, 0.0, std::nullopt) == milliseconds(100));
  CHECK(backoff_delay(policy, 1, 0.0, std::nullopt) == milliseconds(200));
  CHECK(backoff_delay(policy, 2, 0.0, std::nullopt) == milliseconds(250));
  CHECK(backoff_delay(policy, 0, 0.0, milliseconds(1001)) == milliseconds(100));
  CHECK(policy.max_retries == 2);
}

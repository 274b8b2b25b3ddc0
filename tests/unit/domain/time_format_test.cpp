#include "domain/time_format.hpp"

#include <catch2/catch.hpp>

using namespace chatd::domain;

TEST_CASE("the epoch", "[time_format]") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("a known timestamp with milliseconds", "[time_format]") {
  CHECK(format_rfc3339(1234567890123) == "2009-02-13T23:31:30.123Z");
  CHECK(format_rfc3339(1764087865123) == "2025-11-25T16:24:25.123Z");
  CHECK(format_rfc3339(2147483648) == "1970-01-25T20:31:23.648Z"); // 2^31 ms
  CHECK(format_rfc3339(1) == "1970-01-01T00:00:00.001Z");
  CHECK(format_rfc3339(86399999) == "1970-01-01T23:59:59.999Z");
}

TEST_CASE("leap years", "[time_format]") {
  CHECK(format_rfc3339(951782400000) == "2000-02-29T00:00:00.000Z"); // divisible by 400
  CHECK(format_rfc3339(951782400000 + 86400000) == "2000-03-01T00:00:00.000Z");
  CHECK(format_rfc3339(1709164800000) == "2024-02-29T00:00:00.000Z");
  CHECK(format_rfc3339(4107542400000) == "2100-03-01T00:00:00.000Z"); // 2100 is no leap year
  CHECK(format_rfc3339(4107542400000 - 1) == "2100-02-28T23:59:59.999Z");
  CHECK(format_rfc3339(1704067199999) == "2023-12-31T23:59:59.999Z");
}

TEST_CASE("times before the epoch", "[time_format]") {
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_rfc3339(-86400000) == "1969-12-31T00:00:00.000Z");
  CHECK(format_rfc3339(-86400001) == "1969-12-30T23:59:59.999Z");
  CHECK(format_rfc3339(-2208988800000) == "1900-01-01T00:00:00.000Z");
}

TEST_CASE("far future", "[time_format]") {
  CHECK(format_rfc3339(253402300799999) == "9999-12-31T23:59:59.999Z");
}

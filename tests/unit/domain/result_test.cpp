#include "domain/result.hpp"

#include <string>

#include <catch2/catch.hpp>

using namespace chatd::domain;

TEST_CASE("a result holds either a value or an api_error", "[result]") {
  result<std::string> good(std::string("value"));
  REQUIRE(good.ok());
  CHECK(static_cast<bool>(good));
  CHECK(*good == "value");
  CHECK(good->size() == 5);
  good.value() += "!";
  CHECK(good.value() == "value!");

  result<std::string> bad(api_error{error_code::not_found, "gone"});
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.error().code == error_code::not_found);
  CHECK(bad.error().message == "gone");
}

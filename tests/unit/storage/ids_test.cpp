#include "storage/ids.hpp"

#include <set>

#include <catch2/catch.hpp>

#include "domain/request_validation.hpp"

using namespace chatd::storage;

TEST_CASE("new_id is the kind, '_' and 32 lowercase hex digits", "[storage][ids]") {
  for (char kind : {'u', 'c', 'm'}) {
    const auto id = new_id(kind);
    INFO(id);
    REQUIRE(id.size() == 34);
    CHECK(id[0] == kind);
    CHECK(id[1] == '_');
    CHECK(id.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
    CHECK(chatd::domain::is_well_formed_id(id));
  }
}

TEST_CASE("new ids do not repeat", "[storage][ids]") {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i)
    CHECK(seen.insert(new_id('m')).second);
}

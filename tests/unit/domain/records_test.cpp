#include "domain/records.hpp"

#include <catch2/catch.hpp>

using namespace chatd::domain;

TEST_CASE("roles round-trip through their names", "[records]") {
  CHECK(to_string(message_role::user) == "user");
  CHECK(to_string(message_role::assistant) == "assistant");
  for (auto role : {message_role::user, message_role::assistant})
    CHECK(parse_role(to_string(role)) == role);
}

TEST_CASE("statuses round-trip through their names", "[records]") {
  const std::pair<message_status, const char*> table[] = {
      {message_status::complete, "complete"},       {message_status::streaming, "streaming"},
      {message_status::stopped, "stopped"},         {message_status::failed, "failed"},
      {message_status::interrupted, "interrupted"},
  };
  for (auto& [status, name] : table) {
    INFO(name);
    CHECK(to_string(status) == name);
    CHECK(parse_status(name) == status);
  }
}

TEST_CASE("unknown names parse to nothing", "[records]") {
  for (const char* text : {"", "User", "USER", "system", "user "})
    CHECK_FALSE(parse_role(text));
  for (const char* text : {"", "Complete", "done", "streaming\n", "cancelled"})
    CHECK_FALSE(parse_status(text));
}

TEST_CASE("only streaming is a live status", "[records]") {
  CHECK_FALSE(is_final(message_status::streaming));
  for (auto s : {message_status::complete, message_status::stopped, message_status::failed,
                 message_status::interrupted})
    CHECK(is_final(s));
}

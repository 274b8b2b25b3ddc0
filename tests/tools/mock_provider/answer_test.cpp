#include "tests/tools/mock_provider/test_client.hpp"
#include "tools/mock_provider/answer.hpp"
#include "tools/mock_provider/utf8.hpp"

#include <catch2/catch.hpp>

using namespace chatd::mock;

namespace {
std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& p : v)
    s += p;
  return s;
}
} // namespace

TEST_CASE("the echo names the turn and the first message", "[mock][answer]") {
  CHECK(echo_answer("how are you?", 2, "hello") ==
        "Echo: how are you? (turn 2; first message: \"hello\")");
}

TEST_CASE("default split: one piece per word", "[mock][answer]") {
  const auto pieces = split_after_spaces("Echo: a  b 世界");
  REQUIRE(pieces == std::vector<std::string>{"Echo: ", "a ", " ", "b ", "世界"});
  CHECK(split_after_spaces("").empty());
  CHECK(split_after_spaces("one") == std::vector<std::string>{"one"});
}

TEST_CASE("split_into gives exactly n whole characters", "[mock][answer]") {
  const std::string text = "héllo 世界 👋🏽 ok";
  for (std::size_t n : {1u, 2u, 3u, 5u, 7u, 11u}) {
    const auto pieces = split_into(text, n);
    REQUIRE(pieces.size() == n);
    for (const auto& p : pieces) {
      CHECK_FALSE(p.empty());
      CHECK(utf8::is_valid(p));
    }
    CHECK(join(pieces) == text);
  }
}

TEST_CASE("split_into repeats a short text to fill n pieces", "[mock][answer]") {
  const auto pieces = split_into("好", 4);
  REQUIRE(pieces.size() == 4);
  CHECK(join(pieces) == "好 好 好"); // repeated until it has at least 4 characters
  const auto dots = split_into("", 3);
  REQUIRE(dots.size() == 3);
  for (const auto& p : dots)
    CHECK_FALSE(p.empty());
}

TEST_CASE("stamped deltas carry the monotonic clock", "[mock][answer]") {
  const auto before = monotonic_ns();
  const auto d = stamped_delta(monotonic_ns(), 1);
  const auto after = monotonic_ns();
  const auto ns = chatd::mock::test::stamp_of(d);
  REQUIRE(ns);
  CHECK(*ns >= before);
  CHECK(*ns <= after);
  CHECK(d.substr(d.find(';')) == ";ipsum ");
  CHECK_FALSE(chatd::mock::test::receipt_of(d));
  CHECK_FALSE(chatd::mock::test::stamp_of("@12;"));
  CHECK_FALSE(chatd::mock::test::stamp_of("12;word "));
}

TEST_CASE("utf8 validation", "[mock][answer]") {
  CHECK(utf8::is_valid("plain ascii"));
  CHECK(utf8::is_valid("世界 👋"));
  CHECK_FALSE(utf8::is_valid("\xE4\xB8"));     // cut inside a character
  CHECK_FALSE(utf8::is_valid("\xC0\xAF"));     // overlong
  CHECK_FALSE(utf8::is_valid("\xED\xA0\x80")); // surrogate
  CHECK(utf8::count_code_points("a世👋") == 3);
}

TEST_CASE("a first stamped delta can carry the request's receipt time", "[mock][answer]") {
  const auto d = stamped_delta(2000, 0, std::uint64_t{1500});
  CHECK(d == "@2000;r1500;lorem ");
  CHECK(chatd::mock::test::stamp_of(d) == 2000u);
  CHECK(chatd::mock::test::receipt_of(d) == 1500u);
  CHECK_FALSE(chatd::mock::test::stamp_of("@2000;r;lorem "));
  CHECK_FALSE(chatd::mock::test::stamp_of("@2000;r15x;lorem "));
  CHECK_FALSE(chatd::mock::test::stamp_of("@2000;r1500;"));
}

#include "tools/mock_provider/directives.hpp"

#include <catch2/catch.hpp>

using namespace chatd::mock;

TEST_CASE("a text without directive is left alone", "[mock][directives]") {
  const auto p = parse_directives("Hello there, 世界 👋");
  CHECK_FALSE(p.dir.present);
  CHECK(p.text == "Hello there, 世界 👋");
  CHECK(p.dir.fail == fault_kind::none);
}

TEST_CASE("a directive is parsed and stripped", "[mock][directives]") {
  const auto p = parse_directives("Hello [[mock fail=cut after=3 id=t1]] world");
  CHECK(p.dir.present);
  CHECK(p.text == "Hello world");
  CHECK(p.dir.fail == fault_kind::cut);
  CHECK(p.dir.after == 3);
  CHECK(p.dir.identity == "[[mock fail=cut after=3 id=t1]]");
  CHECK(p.dir.scope == fault_scope::stream);
}

TEST_CASE("every key is understood", "[mock][directives]") {
  const auto p = parse_directives(
      "[[mock fail=http_429 retry_after=2 retry_after_ms=1500 scope=all times=3 deltas=7 "
      "rate=12.5 chop=3 delay_ms=40 stall_ms=90 text=a%20b+c%F0%9F%98%80 stamp=1]]");
  CHECK(p.text.empty());
  CHECK(p.dir.fail == fault_kind::http_429);
  CHECK(is_http_fault(p.dir.fail));
  CHECK(p.dir.retry_after_s == 2);
  CHECK(p.dir.retry_after_ms == 1500);
  CHECK(p.dir.scope == fault_scope::all);
  CHECK(p.dir.times == 3);
  CHECK(p.dir.deltas == 7u);
  CHECK(p.dir.rate == Approx(12.5));
  CHECK(p.dir.chop == 3u);
  CHECK(p.dir.delay_ms == 40);
  CHECK(p.dir.stall_ms == 90);
  CHECK(p.dir.text == std::string("a b c\xF0\x9F\x98\x80"));
  CHECK(p.dir.stamp == true);
}

TEST_CASE("directives merge, later keys winning", "[mock][directives]") {
  const auto p = parse_directives("[[mock deltas=2 fail=cut]] hi [[mock deltas=5]]");
  CHECK(p.text == "hi");
  CHECK(p.dir.deltas == 5u);
  CHECK(p.dir.fail == fault_kind::cut);
  CHECK(p.dir.identity == "[[mock deltas=2 fail=cut]] [[mock deltas=5]]");
}

TEST_CASE("look-alikes are not directives", "[mock][directives]") {
  CHECK_FALSE(parse_directives("[[mockery fail=cut]]").dir.present);
  CHECK_FALSE(parse_directives("[[mock fail=cut").dir.present);
  CHECK(parse_directives("[[mock]]").dir.present);
}

TEST_CASE("bad directives are refused", "[mock][directives]") {
  CHECK_THROWS_AS(parse_directives("[[mock fail=explode]]"), directive_error);
  CHECK_THROWS_AS(parse_directives("[[mock colour=blue]]"), directive_error);
  CHECK_THROWS_AS(parse_directives("[[mock deltas=0]]"), directive_error);
  CHECK_THROWS_AS(parse_directives("[[mock deltas=two]]"), directive_error);
  CHECK_THROWS_AS(parse_directives("[[mock after]]"), directive_error);
  CHECK_THROWS_AS(parse_directives("[[mock text=%E9]]"), directive_error); // not UTF-8
  CHECK_THROWS_AS(parse_directives("[[mock text=%4]]"), directive_error);
}

TEST_CASE("strip_directives never throws", "[mock][directives]") {
  CHECK(strip_directives("a [[mock fail=explode]] b") == "a b");
  CHECK(strip_directives("  [[mock x]]  ") == "");
}

TEST_CASE("url_decode", "[mock][directives]") {
  CHECK(url_decode("%3Cimg%20src%3Dx%3E") == std::string("<img src=x>"));
  CHECK(url_decode("a+b%2Bc") == std::string("a b+c"));
  CHECK_FALSE(url_decode("%G1").has_value());
  CHECK_FALSE(url_decode("abc%").has_value());
}

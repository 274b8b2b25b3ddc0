#include "tools/loadgen/options.hpp"

#include <catch2/catch.hpp>

using namespace chatd::loadgen;

TEST_CASE("options: url forms", "[loadgen][options]") {
  const auto e = parse_url("http://127.0.0.1:8080");
  REQUIRE(e);
  CHECK(e->host == "127.0.0.1");
  CHECK(e->port == 8080);
  const auto with_path = parse_url("http://localhost:9/v1");
  REQUIRE(with_path);
  CHECK(with_path->host == "localhost");
  CHECK(with_path->port == 9);
  CHECK(parse_url("http://[::1]:7")->host == "::1");
  CHECK_FALSE(parse_url("https://127.0.0.1:1"));
  CHECK_FALSE(parse_url("http://127.0.0.1"));
  CHECK_FALSE(parse_url("http://127.0.0.1:0"));
  CHECK_FALSE(parse_url("http://127.0.0.1:70000"));
}

TEST_CASE("options: flags and their checks", "[loadgen][options]") {
  const auto parsed = parse_options({"--target", "peer", "--url", "http://127.0.0.1:5", "--streams",
                                     "1000", "--rate", "4", "--pid", "77", "--json", "out.json"});
  REQUIRE(std::holds_alternative<options>(parsed));
  const auto& o = std::get<options>(parsed);
  CHECK(o.target == target_kind::peer);
  CHECK(o.server.port == 5);
  CHECK(o.streams == 1000);
  CHECK(o.rate == 4);
  CHECK(o.deltas == 200);
  CHECK(o.pid == 77);
  CHECK(o.json_path == "out.json");
  CHECK(o.concurrency == 0); // all at once

  const auto one_by_one = parse_options({"--url", "http://h:1", "--concurrency", "1"});
  REQUIRE(std::holds_alternative<options>(one_by_one));
  CHECK(std::get<options>(one_by_one).concurrency == 1);

  const auto relay = parse_options({"--target", "tcp-relay", "--url", "http://127.0.0.1:6"});
  REQUIRE(std::holds_alternative<options>(relay));
  CHECK(std::get<options>(relay).target == target_kind::tcp_relay);
  CHECK(target_name(target_kind::tcp_relay) == "tcp-relay");

  auto error = [](std::vector<std::string> args) {
    const auto r = parse_options(args);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
  };
  CHECK_FALSE(error({"--streams", "3"}).empty()); // no --url
  CHECK_FALSE(error({"--url", "http://h:1", "--target", "nginx"}).empty());
  CHECK_FALSE(error({"--url", "http://h:1", "--streams", "0"}).empty());
  CHECK_FALSE(error({"--url", "http://h:1", "--rate", "fast"}).empty());
  CHECK_FALSE(error({"--url", "http://h:1", "--streams", "5x"}).empty());
  CHECK_FALSE(error({"--url", "http://h:1", "--bogus", "1"}).empty());
  CHECK_FALSE(error({"--url", "http://h:1", "--concurrency", "0"}).empty());
  CHECK_FALSE(error({"--url"}).empty());
}

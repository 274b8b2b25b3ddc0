// chatd-tcp-relay (the benchmark's floor for any relay) between a real libcurl client and the
// mock provider, over loopback: it must pass every byte, in order, and pass on every hang-up.

#include "support/child_process.hpp"
#include "tests/tools/mock_provider/test_client.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace chatd::mock;
using namespace chatd::mock::test;
using chatd::test::child_process;

namespace {

/// The relay binary in front of `upstream_port`, on a port of its own.
struct relay_process {
  explicit relay_process(std::uint16_t upstream_port)
      : process(CHATD_TCP_RELAY_BINARY,
                {"--upstream", "127.0.0.1:" + std::to_string(upstream_port)}) {
    const auto line = process.wait_for_line("listening on http://", std::chrono::seconds(10));
    REQUIRE(line);
    url = line->substr(line->find("http://"));
  }

  http_result respond(const std::string& input) const {
    return post_json(url + "/v1/responses", responses_body(input, true).dump());
  }

  child_process process;
  std::string url;
};

} // namespace

TEST_CASE("a stream through the relay arrives as the mock sent it", "[tcp_relay]") {
  mock_fixture mock;
  relay_process relay(mock.port());
  // chop=1: the mock writes one byte at a time, so the relay moves many tiny pieces.
  const auto relayed = relay.respond("hello relay [[mock chop=1]]");
  REQUIRE(relayed.code == CURLE_OK);
  REQUIRE(relayed.status == 200);
  const auto direct = mock.respond("hello relay", true);
  REQUIRE(direct.code == CURLE_OK);

  const auto relayed_events = parse_sse(relayed.body);
  CHECK(types_of(relayed_events) == types_of(parse_sse(direct.body)));
  CHECK(joined(deltas_of(relayed_events)) ==
        "Echo: hello relay (turn 1; first message: \"hello relay\")");
  CHECK(relayed.writes > 1);
}

TEST_CASE("the relay passes a connection the mock cuts on to the client", "[tcp_relay]") {
  mock_fixture mock;
  relay_process relay(mock.port());
  const auto r = relay.respond("one two three four [[mock fail=cut after=2]]");
  CHECK(r.status == 200);
  CHECK(r.code == CURLE_PARTIAL_FILE); // the chunked body never ends: closed, not timed out
  CHECK(deltas_of(parse_sse(r.body)) == std::vector<std::string>{"Echo: ", "one "});
}

TEST_CASE("a client of an upstream that refuses gets an empty reply", "[tcp_relay]") {
  std::uint16_t closed_port = 0;
  {
    mock_fixture gone;
    closed_port = gone.port();
  } // stopped: nothing listens there now
  relay_process relay(closed_port);
  const auto r = relay.respond("anyone there");
  CHECK(r.code == CURLE_GOT_NOTHING);
}

TEST_CASE("the relay stops cleanly on SIGTERM and refuses bad arguments", "[tcp_relay]") {
  mock_fixture mock;
  relay_process relay(mock.port());
  CHECK(relay.process.stop(SIGTERM) == 0);

  child_process no_upstream(CHATD_TCP_RELAY_BINARY, {});
  CHECK(no_upstream.output_to_end(std::chrono::seconds(10)).empty());
  CHECK(no_upstream.stop(SIGTERM) == 2);
}

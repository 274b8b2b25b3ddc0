// The fault switches, as a client sees them.

#include "tests/tools/mock_provider/test_client.hpp"

#include <catch2/catch.hpp>

using namespace chatd::mock;
using namespace chatd::mock::test;
using nlohmann::json;

TEST_CASE("HTTP status faults come before any byte, with Retry-After", "[mock][faults]") {
  mock_fixture mock;
  const auto r500 = mock.respond("x [[mock fail=http_500]]", true);
  CHECK(r500.status == 500);
  CHECK(r500.json().at("error").at("type") == "server_error");

  const auto r503 = mock.respond("x [[mock fail=http_503 retry_after_ms=1500]]", true);
  CHECK(r503.status == 503);
  CHECK(r503.headers.at("retry-after-ms") == "1500");
  CHECK(r503.headers.count("retry-after") == 0);

  const auto r429 = mock.respond("x [[mock fail=http_429 retry_after=2]]", true);
  CHECK(r429.status == 429);
  CHECK(r429.headers.at("retry-after") == "2");
  const auto error = r429.json().at("error");
  CHECK(error.at("code") == "rate_limit_exceeded");
  CHECK(error.at("param").is_null());
  CHECK(error.at("message").is_string());
}

TEST_CASE("scope: by default only streaming requests fail", "[mock][faults]") {
  mock_fixture mock;
  CHECK(mock.respond("x [[mock fail=http_500]]", false).status == 200);
  const auto all = mock.respond("x [[mock fail=http_500 scope=all]]", false);
  CHECK(all.status == 500);
  CHECK(mock.respond("x [[mock fail=http_503 scope=all]]", true).status == 503);
  // A mid-stream fault with scope=all breaks a plain reply too.
  CHECK(mock.respond("x [[mock fail=response_failed scope=all]]", false).status == 500);
  const auto cut = mock.respond("x [[mock fail=cut scope=all]]", false);
  CHECK(cut.code == CURLE_GOT_NOTHING);
}

TEST_CASE("cut closes the connection mid-stream", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("one two three four five [[mock fail=cut after=2]]", true);
  CHECK(r.status == 200);
  CHECK(r.code == CURLE_PARTIAL_FILE); // chunked body without its terminating chunk
  const auto events = parse_sse(r.body);
  CHECK(types_of(events) ==
        std::vector<std::string>{"response.created", "response.in_progress",
                                 "response.output_item.added", "response.content_part.added",
                                 "response.output_text.delta", "response.output_text.delta"});
  // The server is fine afterwards.
  CHECK(mock.respond("again", true).code == CURLE_OK);
}

TEST_CASE("response_failed ends the stream with a failed response", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("a b c [[mock fail=response_failed after=1]]", true);
  CHECK(r.code == CURLE_OK);
  const auto events = parse_sse(r.body);
  REQUIRE(events.size() == 6);
  CHECK(events[4].type() == "response.output_text.delta");
  const auto& last = events.back();
  CHECK(last.name == "response.failed");
  CHECK(last.data.at("sequence_number") == 5);
  const auto& response = last.data.at("response");
  CHECK(response.at("status") == "failed");
  CHECK(response.at("error").at("code") == "server_error");
  CHECK(response.at("error").at("message").is_string());
}

TEST_CASE("incomplete ends with response.incomplete", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("a b c [[mock fail=incomplete after=2]]", true);
  CHECK(r.code == CURLE_OK);
  const auto events = parse_sse(r.body);
  CHECK(deltas_of(events) == std::vector<std::string>{"Echo: ", "a "});
  const auto& last = events.back();
  CHECK(last.type() == "response.incomplete");
  CHECK(last.data.at("response").at("status") == "incomplete");
  CHECK(last.data.at("response").at("incomplete_details").at("reason") == "max_output_tokens");
}

TEST_CASE("error_event sends an error event and ends", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("a b [[mock fail=error_event]]", true);
  CHECK(r.code == CURLE_OK);
  const auto events = parse_sse(r.body);
  REQUIRE(events.size() == 5);
  const auto& e = events.back();
  CHECK(e.name == "error");
  CHECK(e.data.at("type") == "error");
  CHECK(e.data.at("code") == "server_error");
  CHECK(e.data.at("message").is_string());
  CHECK(e.data.at("param").is_null());
  CHECK(e.data.at("sequence_number") == 4);
}

TEST_CASE("stall with stall_ms pauses, then completes", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("a b c d [[mock fail=stall after=2 stall_ms=300]]", true);
  CHECK(r.code == CURLE_OK);
  CHECK(r.elapsed >= std::chrono::milliseconds(290));
  const auto events = parse_sse(r.body);
  CHECK(events.back().type() == "response.completed");
  CHECK(joined(deltas_of(events)) == "Echo: a b c d (turn 1; first message: \"a b c d\")");
}

TEST_CASE("stall without stall_ms holds the stream until the client gives up", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("a b c [[mock fail=stall after=1]]", true, {}, 400);
  CHECK(r.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(r.status == 200);
  CHECK(deltas_of(parse_sse(r.body)).size() == 1);
  const auto plain = mock.respond("a [[mock fail=stall scope=all]]", false, {}, 300);
  CHECK(plain.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(mock.respond("still serving", true).code == CURLE_OK);
}

TEST_CASE("times=1 fails once, then the same directive succeeds", "[mock][faults]") {
  mock_fixture mock;
  const std::string text = "retry me [[mock fail=http_503 times=1 id=times-test]]";
  CHECK(mock.respond(text, true).status == 503);
  const auto second = mock.respond(text, true);
  CHECK(second.status == 200);
  CHECK(parse_sse(second.body).back().type() == "response.completed");
  // Another id has its own budget, and reset restores this one.
  CHECK(mock.respond("x [[mock fail=http_503 times=1 id=other]]", true).status == 503);
  mock.post("/mock/reset", "");
  CHECK(mock.respond(text, true).status == 503);
  // Requests out of the fault's scope do not use the budget up.
  const std::string scoped = "y [[mock fail=cut times=1 id=scoped]]";
  CHECK(mock.respond(scoped, false).status == 200);
  CHECK(mock.respond(scoped, true).code == CURLE_PARTIAL_FILE);
  CHECK(mock.respond(scoped, true).code == CURLE_OK);
}

TEST_CASE("delay_ms waits before the headers", "[mock][faults]") {
  mock_fixture mock;
  const auto r = mock.respond("slow [[mock delay_ms=200]]", false);
  CHECK(r.status == 200);
  CHECK(r.elapsed >= std::chrono::milliseconds(190));
}

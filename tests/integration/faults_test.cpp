// Every provider failure the design names, one test each, against the mock provider's
// switches: what the client was sent, and what the database holds. Nothing lost, nothing
// doubled.

#include <catch2/catch.hpp>

#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

/// Fast back-off and timeouts, so that fault tests take milliseconds, not seconds.
std::vector<std::string> quick_settings() {
  return {"--provider-retry-base-delay-ms",   "20",  "--provider-idle-timeout-ms", "400",
          "--provider-first-byte-timeout-ms", "2000"};
}

struct turn_result {
  checked_stream stream;
  stored_message user;
  stored_message answer;
};

turn_result run_turn(service_fixture& svc, const std::string& message) {
  auto client =
      svc.signed_in_client("u" + std::to_string(std::hash<std::string>{}(message) % 100000));
  auto s =
      check_stream(client->stream("POST", "/api/chat/stream", json{{"message", message}}.dump()));
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 2);
  return {s, rows[0], rows[1]};
}

int calls_with_stream(const json& calls, bool stream) {
  int n = 0;
  for (auto& c : calls)
    n += c["body"]["stream"] == stream ? 1 : 0;
  return n;
}

/// Timeouts short enough for a test and far enough apart to tell which one fired: the idle one
/// 300 ms, the first-byte one as given, the request timeout 10 s.
std::vector<std::string> distinct_timeouts(const std::string& first_byte_ms) {
  return {
      "--provider-retry-base-delay-ms",   "20",          "--provider-idle-timeout-ms",    "300",
      "--provider-first-byte-timeout-ms", first_byte_ms, "--provider-request-timeout-ms", "10000"};
}

/// Quick settings, and a provider marked down after two fallbacks within a minute.
std::vector<std::string> breaker_settings() {
  auto args = quick_settings();
  args.insert(args.end(), {"--breaker-threshold", "2", "--breaker-window-ms", "60000"});
  return args;
}

/// A streamed turn in a new conversation of `client`'s user.
checked_stream new_turn(http_client& client, const std::string& message) {
  return check_stream(client.stream("POST", "/api/chat/stream", json{{"message", message}}.dump()));
}

/// A turn through `POST /api/chat`, the non-streaming one.
http_response whole_turn(service_fixture& svc, const std::string& user,
                         const std::string& message) {
  return svc.signed_in_client(user)->post("/api/chat", json{{"message", message}});
}

/// A fault the supervisor recovers from: the answer arrives whole from the fallback.
void expect_fallback_answer(const turn_result& r, const std::string& echoed) {
  REQUIRE(r.stream.terminal["type"] == "complete");
  CHECK(r.stream.terminal["status"] == "complete");
  CHECK(r.stream.terminal["stored_in_db"] == true);
  CHECK(r.stream.terminal["streaming_stats"]["fallback"] == "non_streaming");
  auto final_content = r.stream.terminal["final_content"].get<std::string>();
  CHECK(final_content.find(echoed) != std::string::npos);
  CHECK(r.user.status == "complete");
  CHECK(r.answer.status == "complete");
  CHECK(r.answer.content == final_content);
}

} // namespace

TEST_CASE("HTTP 500 on the streaming call: retried, then answered by the fallback",
          "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "five hundred [[mock fail=http_500]]");
  expect_fallback_answer(r, "five hundred");
  CHECK(r.stream.contents.empty());
  auto calls = mock_requests(svc.mock_url(), 4);
  CHECK(calls_with_stream(calls, true) == 3); // the first try and two retries
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("a connection cut after a few deltas: the fallback's text replaces what was shown",
          "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "cut me off [[mock fail=cut after=3]]");
  CHECK(r.stream.contents.size() == 3);
  expect_fallback_answer(r, "cut me off");
  // Text went out, so the stream was not retried as a stream.
  auto calls = mock_requests(svc.mock_url(), 2);
  CHECK(calls_with_stream(calls, true) == 1);
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("response.failed mid-stream: answered by the fallback", "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "failing response [[mock fail=response_failed after=2]]");
  CHECK(r.stream.contents.size() == 2);
  expect_fallback_answer(r, "failing response");
}

TEST_CASE("an error event mid-stream: answered by the fallback", "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "error event [[mock fail=error_event after=1]]");
  CHECK(r.stream.contents.size() == 1);
  expect_fallback_answer(r, "error event");
}

TEST_CASE("a stall past the idle timeout: answered by the fallback", "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "stalling [[mock fail=stall after=2]]");
  CHECK(r.stream.contents.size() == 2);
  expect_fallback_answer(r, "stalling");
}

TEST_CASE("a provider that lost a conversation's earlier answers is told them again, and the "
          "conversation goes on",
          "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto client = svc.signed_in_client("amnesia");
  auto first = new_turn(*client, "remember the apples");
  REQUIRE(first.terminal["type"] == "complete");
  auto conversation = first.start["conversation_id"].get<std::string>();
  // A provider that never saw this conversation: another key or provider, or stored responses
  // that expired. It answers `previous_response_not_found`.
  svc.mock = chatd::mock::mock_provider::start(chatd::mock::mock_options{});
  svc.restart();
  http_client again(svc.chatd->url());
  REQUIRE(again.post("/api/auth/login", {{"username", "amnesia"}, {"password", "correct horse"}})
              .status == 200);
  auto ask = [&](const std::string& text) {
    return check_stream(
        again.stream("POST", "/api/chat/stream",
                     json{{"message", text}, {"conversation_id", conversation}}.dump()));
  };
  auto second = ask("which fruit?");
  // Before: `upstream_error` "Previous response … not found", on this turn and every later one.
  REQUIRE(second.terminal["type"] == "complete");
  CHECK(second.terminal["streaming_stats"]["fallback"] == "none");
  // The mock counts the user texts it is told, and names the first.
  CHECK(second.terminal["final_content"] ==
        "Echo: which fruit? (turn 2; first message: \"remember the apples\")");
  auto calls = mock_requests(svc.mock_url(), 2);
  REQUIRE(calls.size() == 2);
  CHECK(calls[0]["body"].contains("previous_response_id"));
  CHECK_FALSE(calls[1]["body"].contains("previous_response_id"));
  CHECK(calls[1]["body"]["input"].size() == 3); // the first question, its answer, the new one
  // The answer started a new chain, which the next turn follows: one call.
  auto third = ask("and now?");
  REQUIRE(third.terminal["type"] == "complete");
  CHECK(third.terminal["final_content"] ==
        "Echo: and now? (turn 3; first message: \"remember the apples\")");
  CHECK(mock_requests(svc.mock_url(), 3).size() == 3);
}

TEST_CASE("a model that thinks in silence longer than the idle timeout is waited for",
          "[integration][faults]") {
  // The events before the text come at once, then nothing for 1 s: over the idle timeout
  // (400 ms), within the wait for the first text (2 s).
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "think first [[mock fail=stall after=0 stall_ms=1000]]");
  REQUIRE(r.stream.terminal["type"] == "complete");
  CHECK(r.stream.terminal["streaming_stats"]["fallback"] == "none");
  CHECK(r.answer.content == r.stream.streamed_text);
  // One call: before, the silence ended it after 400 ms and it was asked again.
  CHECK(mock_requests(svc.mock_url(), 1).size() == 1);
}

TEST_CASE("a provider that answered and then went silent is not asked again as a stream",
          "[integration][faults]") {
  // Past the wait for the first text a retry would wait as long again, and a real provider
  // bills the abandoned call: the fallback is tried once instead.
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "silent [[mock fail=stall after=0]]");
  expect_fallback_answer(r, "silent");
  auto calls = mock_requests(svc.mock_url(), 2);
  CHECK(calls_with_stream(calls, true) == 1); // before: 3
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("a provider out of quota is neither retried nor asked without streaming",
          "[integration][faults]") {
  // `Retry-After: 3600`, over the longest wait chatd honours; and a 429 would be the answer to
  // the same request without streaming too.
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "no quota [[mock fail=http_429 retry_after=3600 scope=all]]");
  REQUIRE(r.stream.terminal["type"] == "error");
  CHECK(r.stream.terminal["error"]["code"] == "upstream_unavailable");
  CHECK(r.stream.terminal["retryable"] == true);
  CHECK(r.answer.status == "failed");
  CHECK(mock_requests(svc.mock_url(), 1).size() == 1); // before: 6, within 3 s
}

TEST_CASE("429 with Retry-After: 1 is retried after a second, still streaming",
          "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto started = std::chrono::steady_clock::now();
  auto r = run_turn(svc, "busy [[mock fail=http_429 retry_after=1 times=1]]");
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(r.stream.terminal["type"] == "complete");
  CHECK(r.stream.terminal["streaming_stats"]["fallback"] == "none");
  CHECK(r.stream.terminal["final_content"] == r.stream.streamed_text);
  CHECK(r.answer.content == r.stream.streamed_text);
  CHECK(took >= std::chrono::milliseconds(950));
  auto calls = mock_requests(svc.mock_url(), 2);
  CHECK(calls_with_stream(calls, true) == 2);
}

TEST_CASE("when everything fails: one error event, the user's message and the partial answer kept",
          "[integration][faults]") {
  service_fixture svc(quick_settings());
  auto r = run_turn(svc, "doomed [[mock fail=cut after=2 scope=all]]");
  CHECK(r.stream.contents.size() == 2);
  REQUIRE(r.stream.terminal["type"] == "error");
  CHECK(r.stream.terminal["retryable"] == true);
  CHECK(r.stream.terminal["stored_in_db"] == true);
  // A provider that was reached and cut the answer off is not "unreachable".
  CHECK(r.stream.terminal["error"]["code"] == "upstream_error");
  CHECK(r.stream.terminal["error"]["message"].get<std::string>().rfind(
            "the provider broke off the connection: ", 0) == 0);
  CHECK(r.user.content == "doomed [[mock fail=cut after=2 scope=all]]");
  CHECK(r.user.status == "complete");
  CHECK(r.answer.status == "failed");
  CHECK(r.answer.content == r.stream.streamed_text);
}

TEST_CASE("a provider that refuses the key fails fast with a non-retryable error",
          "[integration][faults]") {
  temp_dir dir;
  auto mock = chatd::mock::mock_provider::start(
      chatd::mock::mock_options{"127.0.0.1", 0, "the-only-right-key", 0, 0, false, 1});
  chatd_process chatd(dir.path() / "chatd.db", mock->base_url(), quick_settings());
  http_client client(chatd.url());
  REQUIRE(client.post("/api/auth/register", {{"username", "keyless"}, {"password", "password1"}})
              .status == 201);
  auto s = check_stream(client.stream("POST", "/api/chat/stream", R"({"message":"hello"})"));
  REQUIRE(s.terminal["type"] == "error");
  CHECK(s.terminal["retryable"] == false);
  CHECK(s.terminal["error"]["code"] == "upstream_error");
  // The key never leaks into what the client sees.
  CHECK(s.terminal.dump().find("sk-test-key") == std::string::npos);
  // No fallback call: it would be refused the same way.
  auto calls = mock_requests(mock->base_url(), 1);
  CHECK(calls.size() == 1);
  // The operator can tell why from the log.
  chatd.stop();
  auto log = chatd.process().output();
  CHECK(log.find("status=401 reason=\"the provider refused the API key\"") != std::string::npos);
}

TEST_CASE("a stall after text is caught by the idle timeout, not the first-byte one",
          "[integration][faults][timeouts]") {
  // The stall outlasts the idle timeout tenfold but ends well before the first-byte one.
  service_fixture svc(distinct_timeouts("10000"));
  // Unnoticed, it would end and the stream complete with no fallback.
  auto r = run_turn(svc, "quiet spell [[mock fail=stall after=1 stall_ms=3000]]");
  CHECK(r.stream.contents.size() == 1);
  expect_fallback_answer(r, "quiet spell");
  auto calls = mock_requests(svc.mock_url(), 2);
  CHECK(calls_with_stream(calls, true) == 1); // text went out: no retry as a stream
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("POST /api/chat: a whole answer slower than the first-byte timeout arrives",
          "[integration][faults][timeouts]") {
  service_fixture svc(distinct_timeouts("300"));
  auto r = whole_turn(svc, "patient", "slow whole [[mock delay_ms=1000]]");
  REQUIRE(r.status == 200);
  CHECK(r.json()["message"]["status"] == "complete");
  CHECK(r.json()["message"]["content"].get<std::string>().find("slow whole") != std::string::npos);
  auto calls = mock_requests(svc.mock_url(), 1);
  CHECK(calls.size() == 1);
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("a fallback slower than the first-byte timeout still answers",
          "[integration][faults][timeouts]") {
  // Every streaming attempt times out before its first byte; the fallback must wait longer.
  service_fixture svc(distinct_timeouts("300"));
  auto r = run_turn(svc, "slow start [[mock delay_ms=1000]]");
  CHECK(r.stream.contents.empty());
  expect_fallback_answer(r, "slow start");
  auto calls = mock_requests(svc.mock_url(), 4);
  CHECK(calls_with_stream(calls, true) == 3);
  CHECK(calls_with_stream(calls, false) == 1);
}

TEST_CASE("POST /api/chat: the request timeout bounds a whole answer",
          "[integration][faults][timeouts]") {
  service_fixture svc(
      {"--provider-retry-base-delay-ms", "20", "--provider-request-timeout-ms", "400"});
  auto r = whole_turn(svc, "hasty", "too slow [[mock delay_ms=5000]]");
  REQUIRE(r.status == 504);
  CHECK(r.json()["error"]["code"] == "upstream_timeout");
  // The provider was reached; it was too slow. (Before: "cannot reach the provider: Timeout
  // was reached".)
  CHECK(r.json()["error"]["message"] == "the provider did not answer in time");
}

TEST_CASE("POST /api/chat: a failing provider is tried three times, with no fallback",
          "[integration][faults]") {
  // The provider's own error is told apart from a provider that is overloaded or down.
  auto [fault, status, code] = GENERATE(table<std::string, int, std::string>(
      {{"http_500", 502, "upstream_error"}, {"http_503", 503, "upstream_unavailable"}}));
  CAPTURE(fault);
  service_fixture svc(quick_settings());
  auto r = whole_turn(svc, "once", "broken [[mock fail=" + fault + " scope=all]]");
  REQUIRE(r.status == status);
  CHECK(r.json()["error"]["code"] == code);
  // The answer came after the last attempt: the log already holds every call there was.
  auto calls = mock_requests(svc.mock_url(), 3);
  CHECK(calls.size() == 3);
  CHECK(calls_with_stream(calls, false) == 3);
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].status == "failed");
}

TEST_CASE("fallbacks that fail too mark the provider down: new turns get 503 at once",
          "[integration][faults][breaker]") {
  service_fixture svc(breaker_settings());
  auto client = svc.signed_in_client("outage");
  for (int i = 0; i < 2; ++i) {
    auto s = new_turn(*client, "down " + std::to_string(i) + " [[mock fail=http_500 scope=all]]");
    CHECK(s.terminal["type"] == "error");
  }
  auto refused = client->stream("POST", "/api/chat/stream", R"({"message":"anyone there?"})");
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.raw)["error"]["code"] == "upstream_unavailable");
}

TEST_CASE("POST /api/chat calls that fail mark the provider down too",
          "[integration][faults][breaker]") {
  service_fixture svc(breaker_settings());
  for (int i = 0; i < 2; ++i) {
    auto r = whole_turn(svc, "whole" + std::to_string(i),
                        "down " + std::to_string(i) + " [[mock fail=http_500 scope=all]]");
    CHECK(r.status == 502);
  }
  auto client = svc.signed_in_client("streamer");
  auto refused = client->stream("POST", "/api/chat/stream", R"({"message":"anyone there?"})");
  CHECK(refused.status == 503);
  CHECK(json::parse(refused.raw)["error"]["code"] == "upstream_unavailable");
  // Marked down, the provider is not called again: three attempts for each failed turn.
  CHECK(mock_requests(svc.mock_url(), 6).size() == 6);
}

TEST_CASE("fallbacks that answer do not mark the provider down", "[integration][faults][breaker]") {
  // Streams that break while whole answers work: every turn is still answered.
  service_fixture svc(breaker_settings());
  auto client = svc.signed_in_client("glitchy");
  for (int i = 0; i < 3; ++i) {
    auto s = new_turn(*client, "glitch " + std::to_string(i) + " [[mock fail=cut after=1]]");
    CHECK(s.terminal["type"] == "complete");
    CHECK(s.terminal["streaming_stats"]["fallback"] == "non_streaming");
  }
  auto healthy = new_turn(*client, "still fine?");
  CHECK(healthy.terminal["type"] == "complete");
  CHECK(healthy.terminal["streaming_stats"]["fallback"] == "none");
}

// A whole streamed turn over real HTTP: chatd (a child process) in front of the mock provider,
// with a real SQLite file.

#include <catch2/catch.hpp>

#include "support/replay_checks.hpp"
#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

sse_result stream_turn(http_client& client, const json& body,
                       std::vector<std::string> headers = {}) {
  return client.stream("POST", "/api/chat/stream", body.dump(), std::move(headers));
}

/// `GET /api/chat/stream/{answer_id}` with `Last-Event-ID: after`.
sse_result replay_after(http_client& client, const std::string& answer_id, std::size_t after) {
  return client.stream("GET", "/api/chat/stream/" + answer_id, "",
                       {"Last-Event-ID: " + std::to_string(after)});
}

} // namespace

TEST_CASE("a streamed turn relays multi-byte text in order and stores both messages",
          "[integration][stream]") {
  service_fixture svc;
  auto client = svc.signed_in_client("alice");
  const std::string message = "Grüße 😀 你好世界 — emoji 👩‍💻 and CJK 漢字";

  auto result = stream_turn(*client, {{"message", message}});
  auto s = check_stream(result);

  CHECK(result.headers.at("cache-control").find("no-cache") != std::string::npos);
  CHECK(result.headers.at("x-accel-buffering") == "no");
  CHECK(s.start["message"].is_string());
  CHECK(s.start["timestamp"].get<long long>() > 1'600'000'000'000LL);
  auto conversation_id = s.start["conversation_id"].get<std::string>();
  auto user_id = s.start["user_message_id"].get<std::string>();
  auto answer_id = s.start["assistant_message_id"].get<std::string>();

  REQUIRE(s.terminal["type"] == "complete");
  CHECK(s.contents.size() > 5);
  CHECK(s.streamed_text.find(message) != std::string::npos);
  CHECK(s.terminal["final_content"] == s.streamed_text);
  CHECK(s.terminal["message_id"] == answer_id);
  CHECK(s.terminal["status"] == "complete");
  CHECK(s.terminal["stored_in_db"] == true);
  auto stats = s.terminal["streaming_stats"];
  CHECK(stats["chunks"] == s.contents.size());
  CHECK(stats["total_chars"] == code_points(s.streamed_text));
  CHECK(stats["fallback"] == "none");
  CHECK(stats["duration_ms"].get<long long>() >= 0);
  CHECK(stats["time_to_first_chunk_ms"].get<long long>() >= 0);

  // What the API shows is what was streamed.
  auto got = client->get("/api/conversations/" + conversation_id);
  REQUIRE(got.status == 200);
  auto messages = got.json()["messages"];
  REQUIRE(messages.size() == 2);
  CHECK(messages[0]["id"] == user_id);
  CHECK(messages[0]["role"] == "user");
  CHECK(messages[0]["content"] == message);
  CHECK(messages[0]["status"] == "complete");
  CHECK(messages[1]["id"] == answer_id);
  CHECK(messages[1]["role"] == "assistant");
  CHECK(messages[1]["content"] == s.streamed_text);
  CHECK(messages[1]["status"] == "complete");

  // And what the database holds, read behind the service's back.
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].content == message);
  CHECK(rows[1].content == s.streamed_text);
  CHECK(rows[1].status == "complete");
}

TEST_CASE("a second turn carries the conversation's context to the provider",
          "[integration][stream]") {
  service_fixture svc;
  auto client = svc.signed_in_client("bob");
  auto first = check_stream(stream_turn(*client, {{"message", "my name is Bob"}}));
  auto conversation_id = first.start["conversation_id"].get<std::string>();

  auto second = check_stream(stream_turn(
      *client, {{"message", "what is my name?"}, {"conversation_id", conversation_id}}));
  CHECK(second.start["conversation_id"] == conversation_id);
  REQUIRE(second.terminal["type"] == "complete");
  // The mock answers from the chain it was given: turn 2, first message from turn 1.
  CHECK(second.streamed_text.find("turn 2") != std::string::npos);
  CHECK(second.streamed_text.find("my name is Bob") != std::string::npos);

  auto calls = mock_requests(svc.mock_url(), 2);
  REQUIRE(calls.size() == 2);
  CHECK_FALSE(calls[0]["body"].contains("previous_response_id"));
  CHECK(calls[1]["body"]["previous_response_id"].is_string());
  CHECK(calls[1]["body"]["stream"] == true);
  CHECK(calls[1]["headers"]["authorization"] == "Bearer sk-test-key-0123456789");
}

TEST_CASE("the user's message is in the database before the provider is called",
          "[integration][stream]") {
  service_fixture svc;
  auto client = svc.signed_in_client("carol");
  const std::string message = "remember this [[mock delay_ms=1500]]";
  std::vector<stored_message> seen_when_called;
  std::thread observer([&] {
    // The provider holds the call; look at the database while it does.
    mock_requests(svc.mock_url(), 1);
    seen_when_called = stored_messages(svc.db_file().string());
  });
  auto s = check_stream(stream_turn(*client, {{"message", message}}));
  observer.join();
  REQUIRE(seen_when_called.size() == 2);
  CHECK(seen_when_called[0].role == "user");
  CHECK(seen_when_called[0].content == message);
  CHECK(seen_when_called[0].status == "complete");
  CHECK(seen_when_called[1].status == "streaming");
  CHECK(s.terminal["type"] == "complete");
}

TEST_CASE("POST /api/chat answers with the whole message, the provider called without streaming",
          "[integration][chat]") {
  service_fixture svc;
  auto client = svc.signed_in_client("dave");
  auto r = client->post("/api/chat", {{"message", "whole answer please ✓"}});
  REQUIRE(r.status == 200);
  auto body = r.json();
  CHECK(body["conversation_id"].is_string());
  CHECK(body["user_message_id"].is_string());
  CHECK(body["message"]["role"] == "assistant");
  CHECK(body["message"]["status"] == "complete");
  CHECK(body["message"]["content"].get<std::string>().find("whole answer please ✓") !=
        std::string::npos);
  auto calls = mock_requests(svc.mock_url(), 1);
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["body"]["stream"] == false);
}

TEST_CASE("a finished answer can be replayed from any event id", "[integration][stream]") {
  service_fixture svc;
  auto client = svc.signed_in_client("erin");
  auto live = stream_turn(*client, {{"message", "replay me please"}});
  auto s = check_stream(live);
  auto answer_id = s.start["assistant_message_id"].get<std::string>();
  for (std::size_t after = 0; after < live.events.size(); ++after) {
    check_events_after(replay_after(*client, answer_id, after), live, after);
  }
}

TEST_CASE("a replay asked for what follows a finished answer's last event ends with complete",
          "[integration][stream]") {
  service_fixture svc;
  auto client = svc.signed_in_client("gus");
  auto live = stream_turn(*client, {{"message", "the end of it"}});
  auto s = check_stream(live);
  auto answer_id = s.start["assistant_message_id"].get<std::string>();
  const auto last = live.events.size();
  for (auto after : {last, last + 5})
    check_lone_ending(replay_after(*client, answer_id, after), after + 1,
                      s.terminal["final_content"]);
}

TEST_CASE("a long answer that outruns the socket reaches a fast reader whole, live and replayed",
          "[integration][stream]") {
  // 12 000 deltas as fast as the mock can send them: far more frames than chatd hands to the
  // socket at once. Every one must arrive, then `complete`, on the live stream and on a replay
  // from the first event (which sends all of them at once).
  service_fixture svc;
  auto client = svc.signed_in_client("fern");
  auto live = stream_turn(*client, {{"message", "long [[mock deltas=12000 rate=100000]]"}});
  auto s = check_stream(live);
  CHECK(s.contents.size() == 12000);
  CHECK(s.terminal["type"] == "complete");
  CHECK(s.streamed_text == s.terminal["final_content"].get<std::string>());

  auto answer_id = s.start["assistant_message_id"].get<std::string>();
  auto replay = client->stream("GET", "/api/chat/stream/" + answer_id, "");
  REQUIRE(replay.status == 200);
  REQUIRE(replay.events.size() == live.events.size());
  CHECK(replay.events.back().data == live.events.back().data);
  auto r = check_stream(replay);
  CHECK(r.streamed_text == s.streamed_text);
}

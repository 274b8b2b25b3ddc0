// The answer outlives its browser: disconnects, resumes, stops, keep-alives, a crash of the
// service itself, a graceful shutdown, and a database that refuses changes for a while.

#include <csignal>
#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/replay_checks.hpp"
#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

std::string paced(const std::string& text, int deltas, int rate) {
  return text + " [[mock deltas=" + std::to_string(deltas) + " rate=" + std::to_string(rate) + "]]";
}

/// Reads a stream until `count` events arrived, then drops the connection.
sse_result read_then_leave(http_client& client, const std::string& message, std::size_t count) {
  return client.stream("POST", "/api/chat/stream", json{{"message", message}}.dump(), {},
                       [count, seen = std::size_t{0}](const chatd::domain::sse_message&) mutable {
                         return ++seen < count;
                       });
}

/// A paced answer that a client of `token`'s user streams in the background, with the
/// answer's id, known once its sixth event has arrived: others can then join it midway.
struct background_turn {
  std::string answer_id;
  std::future<sse_result> run;
};

background_turn stream_in_background(const service_fixture& svc, const std::string& token,
                                     const std::string& message) {
  auto sixth_event_seen = std::make_shared<std::promise<std::string>>();
  auto answer_id = sixth_event_seen->get_future();
  auto run = std::async(std::launch::async, [&svc, token, message, sixth_event_seen] {
    http_client own(svc.chatd->url());
    own.use_bearer(token);
    std::string id;
    bool told = false;
    auto result = own.stream("POST", "/api/chat/stream", json{{"message", message}}.dump(), {},
                             [&](const chatd::domain::sse_message& ev) {
                               if (ev.id == "1")
                                 id = json::parse(ev.data)["assistant_message_id"];
                               if (ev.id == "6") {
                                 sixth_event_seen->set_value(id);
                                 told = true;
                               }
                               return true;
                             });
    if (!told) // a stream that ended early: the test fails on it rather than waits forever
      sixth_event_seen->set_value("");
    return result;
  });
  return {answer_id.get(), std::move(run)};
}

/// A client of `token`'s user following answer `answer_id` after event `last_event_id`.
sse_result resume(const service_fixture& svc, const std::string& token,
                  const std::string& answer_id, std::size_t last_event_id) {
  http_client other(svc.chatd->url());
  other.use_bearer(token);
  return other.stream("GET", "/api/chat/stream/" + answer_id, "",
                      {"Last-Event-ID: " + std::to_string(last_event_id)});
}

} // namespace

TEST_CASE("a client that leaves after two chunks does not stop the answer",
          "[integration][resilience]") {
  service_fixture svc;
  auto client = svc.signed_in_client("leaver");
  auto left = read_then_leave(*client, paced("keep going", 20, 50), 3);
  REQUIRE(left.aborted);
  REQUIRE(left.events.size() == 3); // start and two chunks
  auto answer_id = json::parse(left.events[0].data)["assistant_message_id"].get<std::string>();

  // Follow the rest from where this client left: no gap, no duplicate, then the end.
  auto rest = client->stream("GET", "/api/chat/stream/" + answer_id, "", {"Last-Event-ID: 3"});
  REQUIRE(rest.status == 200);
  REQUIRE(!rest.events.empty());
  CHECK(rest.events.front().id == "4");
  auto last = json::parse(rest.events.back().data);
  REQUIRE(last["type"] == "complete");
  CHECK(last["stored_in_db"] == true);
  std::string text;
  for (auto& ev : left.events)
    if (auto d = json::parse(ev.data); d["type"] == "content")
      text += d["data"].get<std::string>();
  for (auto& ev : rest.events)
    if (auto d = json::parse(ev.data); d["type"] == "content")
      text += d["data"].get<std::string>();
  CHECK(text == last["final_content"]);
  auto rows = stored_messages(svc.db_file().string());
  CHECK(rows.back().status == "complete");
  CHECK(rows.back().content == text);
}

TEST_CASE("a resume from the middle follows live with no gap and no duplicate",
          "[integration][resilience]") {
  service_fixture svc;
  auto client = svc.signed_in_client("watcher");
  auto token = client->request("POST", "/api/auth/tokens").json()["token"].get<std::string>();
  auto turn = stream_in_background(svc, token, paced("watch me", 30, 40));
  // A second client joins while the answer is being written, after event 5.
  auto resumed = resume(svc, token, turn.answer_id, 5);
  auto original = turn.run.get();
  auto live = check_stream(original);
  CHECK(live.terminal["type"] == "complete");
  check_events_after(resumed, original, 5);
}

TEST_CASE("a resume past every event so far gets only the events after the one it names",
          "[integration][resilience]") {
  service_fixture svc;
  auto client = svc.signed_in_client("ahead");
  auto token = client->request("POST", "/api/auth/tokens").json()["token"].get<std::string>();
  auto turn = stream_in_background(svc, token, paced("run ahead", 30, 40));
  // Two clients that claim more than has been written: one an event the answer reaches later,
  // one past its very end.
  auto from_20 =
      std::async(std::launch::async, [&] { return resume(svc, token, turn.answer_id, 20); });
  auto past_end =
      std::async(std::launch::async, [&] { return resume(svc, token, turn.answer_id, 1000); });
  auto original = turn.run.get();
  auto live = check_stream(original);
  REQUIRE(original.events.size() == 32); // start, 30 deltas, complete
  check_events_after(from_20.get(), original, 20);
  check_lone_ending(past_end.get(), 1001, live.terminal["final_content"]);
}

TEST_CASE("stop cancels the answer, keeps its text as stopped, and ends the stream with complete",
          "[integration][resilience]") {
  service_fixture svc;
  auto client = svc.signed_in_client("stopper");
  http_client stopper(svc.chatd->url());
  stopper.use_bearer(client->request("POST", "/api/auth/tokens").json()["token"]);
  std::string answer_id;
  http_response stop_answer;
  auto result = client->stream(
      "POST", "/api/chat/stream", json{{"message", paced("stop me", 100, 20)}}.dump(), {},
      [&](const chatd::domain::sse_message& ev) {
        if (ev.id == "1")
          answer_id = json::parse(ev.data)["assistant_message_id"];
        if (ev.id == "4") // three chunks in
          stop_answer = stopper.post("/api/chat/stop", {{"message_id", answer_id}});
        return true;
      });
  auto s = check_stream(result);
  REQUIRE(stop_answer.status == 200);
  auto stopped = stop_answer.json()["message"];
  CHECK(stopped["id"] == answer_id);
  CHECK(stopped["status"] == "stopped");
  REQUIRE(s.terminal["type"] == "complete");
  CHECK(s.terminal["status"] == "stopped");
  CHECK(s.terminal["stored_in_db"] == true);
  CHECK(s.terminal["final_content"] == s.streamed_text);
  CHECK(stopped["content"] == s.streamed_text);
  CHECK(s.contents.size() < 100);
  auto rows = stored_messages(svc.db_file().string());
  CHECK(rows.back().status == "stopped");
  CHECK(rows.back().content == s.streamed_text);

  // Stopping again changes nothing and answers the message as stored.
  auto again = stopper.post("/api/chat/stop", {{"message_id", answer_id}});
  REQUIRE(again.status == 200);
  CHECK(again.json()["message"] == stopped);
}

TEST_CASE("a quiet stream gets keep-alive comments", "[integration][resilience]") {
  service_fixture svc({"--keepalive-interval-ms", "100"});
  auto client = svc.signed_in_client("quiet");
  auto result =
      client->stream("POST", "/api/chat/stream",
                     R"({"message":"slow start [[mock fail=stall after=1 stall_ms=600]]"})");
  auto s = check_stream(result);
  CHECK(s.terminal["type"] == "complete");
  CHECK(result.raw.find("\n: keep-alive\n\n") != std::string::npos);
}

TEST_CASE("a resume past every event so far opens at once and gets keep-alives while it waits",
          "[integration][resilience]") {
  service_fixture svc({"--keepalive-interval-ms", "100"});
  auto client = svc.signed_in_client("patient");
  // Start and two chunks, then the provider is silent for 1.5 s.
  auto left =
      read_then_leave(*client, "wait [[mock fail=stall after=2 stall_ms=1500 deltas=4]]", 3);
  REQUIRE(left.events.size() == 3);
  auto answer_id = json::parse(left.events[0].data)["assistant_message_id"].get<std::string>();
  auto rest = client->stream("GET", "/api/chat/stream/" + answer_id, "", {"Last-Event-ID: 3"});
  REQUIRE(rest.status == 200);
  REQUIRE(!rest.events.empty());
  CHECK(rest.events.front().id == "4");
  CHECK(json::parse(rest.events.back().data)["type"] == "complete");
  // Before, nothing at all (not even the head) went out until the provider spoke again.
  auto keepalive = rest.raw.find(": keep-alive\n\n");
  REQUIRE(keepalive != std::string::npos);
  CHECK(keepalive < rest.raw.find("id: 4\n"));
}

TEST_CASE("kill -9 mid-stream: after a restart the user's message and the saved text are there",
          "[integration][resilience]") {
  service_fixture svc({"--checkpoint-interval-ms", "50"});
  auto client = svc.signed_in_client("crasher");
  std::string streamed;
  client->stream("POST", "/api/chat/stream",
                 json{{"message", paced("crash during me", 200, 40)}}.dump(), {},
                 [&](const chatd::domain::sse_message& ev) {
                   auto d = json::parse(ev.data);
                   if (d["type"] == "content")
                     streamed += d["data"].get<std::string>();
                   // Ten chunks at 40/s is 250 ms: several checkpoints have been written.
                   return d.value("chunk_id", 0) < 10;
                 });
  REQUIRE(svc.chatd->process().stop(SIGKILL) == 128 + SIGKILL);

  svc.restart();
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].role == "user");
  CHECK(rows[0].status == "complete");
  CHECK(rows[1].status == "interrupted");
  CHECK_FALSE(rows[1].content.empty());
  // What was saved is a prefix of what was streamed (or the other way round, by a chunk).
  CHECK((streamed.rfind(rows[1].content, 0) == 0 || rows[1].content.rfind(streamed, 0) == 0));

  // Its stream, asked for after the restart, is the stored ending.
  http_client again(svc.chatd->url());
  REQUIRE(again.post("/api/auth/login", {{"username", "crasher"}, {"password", "correct horse"}})
              .status == 200);
  auto replay = again.stream("GET", "/api/chat/stream/" + rows[1].id, "", {"Last-Event-ID: 11"});
  REQUIRE(replay.events.size() == 1);
  CHECK(replay.events[0].id == "12");
  CHECK(json::parse(replay.events[0].data)["type"] == "error");

  // The conversation goes on, and the model is told the interrupted turn: before, it was sent
  // the new message alone, and answered as if it were the first (the mock says which turn it
  // sees, and the conversation's first message).
  auto next = check_stream(again.stream(
      "POST", "/api/chat/stream",
      json{{"message", "what did I say?"}, {"conversation_id", rows[0].conversation_id}}.dump()));
  REQUIRE(next.terminal["type"] == "complete");
  CHECK(next.terminal["final_content"] ==
        "Echo: what did I say? (turn 2; first message: \"crash during me\")");
}

TEST_CASE("SIGTERM drains: a long answer ends with shutting_down and is kept as interrupted",
          "[integration][resilience]") {
  // SIGHUP too (a closing terminal): before, it killed chatd on the spot, the answer cut off
  // without an ending and left `streaming` until the next start.
  const int signal = GENERATE(SIGTERM, SIGHUP);
  INFO("signal " << signal);
  service_fixture svc({"--drain-timeout-ms", "200"});
  auto client = svc.signed_in_client("drainer");
  std::promise<void> third_event_seen;
  int exit_code = -1;
  std::thread terminator([&] {
    third_event_seen.get_future().wait();
    exit_code = svc.chatd->stop(signal);
  });
  auto result = client->stream("POST", "/api/chat/stream",
                               json{{"message", paced("long one", 200, 20)}}.dump(), {},
                               [&](const chatd::domain::sse_message& ev) {
                                 if (ev.id == "3")
                                   third_event_seen.set_value();
                                 return true;
                               });
  terminator.join();
  CHECK(exit_code == 0);
  auto s = check_stream(result);
  REQUIRE(s.terminal["type"] == "error");
  CHECK(s.terminal["error"]["code"] == "shutting_down");
  CHECK(s.terminal["retryable"] == true);
  CHECK(s.terminal["stored_in_db"] == true);
  auto rows = stored_messages(svc.db_file().string());
  CHECK(rows.back().status == "interrupted");
  CHECK(rows.back().content == s.streamed_text);
}

TEST_CASE("SIGTERM drains: a whole-answer call still waiting gets its 503 before chatd exits",
          "[integration][resilience]") {
  service_fixture svc({"--drain-timeout-ms", "300"});
  auto client = svc.signed_in_client("waiter");
  auto answer = std::async(std::launch::async, [&] {
    return client->post("/api/chat", {{"message", "slow one [[mock delay_ms=10000]]"}});
  });
  // The provider has the call: chatd is now waiting for it.
  REQUIRE(mock_requests(svc.mock_url(), 1).size() == 1);
  CHECK(svc.chatd->stop() == 0);
  // Before the fix the stop closed the connections once the event streams were flushed, and
  // this answer, written just before, was sometimes lost with them.
  auto r = answer.get();
  CHECK(r.status == 503);
  CHECK(r.json()["error"]["code"] == "upstream_unavailable");
}

TEST_CASE("a second SIGTERM during a long drain ends chatd at once, the user's message kept",
          "[integration][resilience]") {
  service_fixture svc({"--drain-timeout-ms", "20000", "--log-level", "info"});
  auto client = svc.signed_in_client("impatient");
  std::promise<void> third_event_seen;
  bool seen_third = false;
  int exit_code = -1;
  bool stopping_logged = false;
  std::chrono::steady_clock::duration after_second{};
  std::thread terminator([&] {
    third_event_seen.get_future().wait();
    auto& proc = svc.chatd->process();
    ::kill(proc.pid(), SIGTERM);
    stopping_logged = proc.wait_for_line("event=stopping", std::chrono::seconds(10)).has_value();
    auto sent = std::chrono::steady_clock::now();
    exit_code = proc.stop(SIGTERM, std::chrono::seconds(10));
    after_second = std::chrono::steady_clock::now() - sent;
  });
  try {
    // The process ends under the stream: however the client reports that, it is expected.
    client->stream("POST", "/api/chat/stream",
                   json{{"message", paced("a long answer", 400, 20)}}.dump(), {},
                   [&](const chatd::domain::sse_message& ev) {
                     if (ev.id == "3") {
                       third_event_seen.set_value();
                       seen_third = true;
                     }
                     return true;
                   });
  } catch (const std::exception&) {
  }
  if (!seen_third) // so that the terminator does not wait forever: the checks below fail
    third_event_seen.set_value();
  terminator.join();
  REQUIRE(seen_third);
  REQUIRE(stopping_logged);
  // Forced, so not a clean exit; and far sooner than the 20 s the drain would have waited.
  CHECK(exit_code == 1);
  CHECK(after_second < std::chrono::seconds(5));
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].content == "a long answer [[mock deltas=400 rate=20]]");
}

TEST_CASE("a database locked by another process fails the changes meanwhile, and chatd recovers",
          "[integration][resilience]") {
  service_fixture svc({"--sqlite-busy-timeout-ms", "200"});
  auto client = svc.signed_in_client("locked-out");
  REQUIRE(check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"before"})"))
              .terminal["type"] == "complete");
  {
    // Another process (a backup, an operator's open transaction) holds the write lock.
    soci::session other(soci::sqlite3, "db=\"" + svc.db_file().string() + "\"");
    other << "BEGIN IMMEDIATE";
    auto refused = client->post("/api/chat/stream", {{"message", "during"}});
    CHECK(refused.status == 500);
    CHECK(refused.json()["error"]["code"] == "internal_error");
    auto ready = client->get("/readyz");
    CHECK(ready.status == 503);
    CHECK(ready.json()["error"]["message"].get<std::string>().find("database") !=
          std::string::npos);
    other << "ROLLBACK";
  }
  // Ready again once the lock is gone, without waiting for a client's change: the writer
  // checks the database by itself (before, /readyz stayed 503 until some change went through).
  bool ready_again = false;
  for (int i = 0; i < 100 && !ready_again; ++i) {
    ready_again = client->get("/readyz").status == 200;
    if (!ready_again)
      std::this_thread::sleep_for(std::chrono::milliseconds(100)); // polls a signal
  }
  CHECK(ready_again);
  // Before, the writer had died on the first refusal: every change after it failed with 500
  // until a restart.
  auto after = check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"after"})"));
  CHECK(after.terminal["type"] == "complete");
  CHECK(after.terminal["stored_in_db"] == true);
  CHECK(client->get("/readyz").status == 200);
  auto rows = stored_messages(svc.db_file().string());
  REQUIRE(rows.size() == 4); // two turns; nothing of the refused one
  CHECK(rows[2].content == "after");
}

TEST_CASE("an answer whose end the database refuses for a while is stored once it takes it",
          "[integration][resilience]") {
  // No checkpoints: the end of the answer is the only change while the database is locked.
  service_fixture svc({"--sqlite-busy-timeout-ms", "100", "--checkpoint-interval-ms", "60000"});
  auto client = svc.signed_in_client("persistent");
  http_client probe(svc.chatd->url());
  std::optional<soci::session> other;
  bool refused_seen = false;
  auto result = client->stream(
      "POST", "/api/chat/stream", json{{"message", paced("keep me", 10, 20)}}.dump(), {},
      [&](const chatd::domain::sse_message& ev) {
        if (ev.id == "3") { // another process takes the write lock while the answer streams
          other.emplace(soci::sqlite3, "db=\"" + svc.db_file().string() + "\"");
          *other << "BEGIN IMMEDIATE";
        }
        if (ev.id == "11") { // the last chunk: the end is stored next, and refused
          for (int i = 0; i < 200 && !refused_seen; ++i) {
            refused_seen = probe.get("/readyz").status == 503;
            if (!refused_seen)
              std::this_thread::sleep_for(std::chrono::milliseconds(50)); // polls a signal
          }
          *other << "ROLLBACK";
        }
        return true;
      });
  REQUIRE(refused_seen);
  auto s = check_stream(result);
  REQUIRE(s.terminal["type"] == "complete");
  // Before, the first refusal sent `complete` with stored_in_db false, and the answer stayed
  // `streaming` with no text in the database for good.
  CHECK(s.terminal["stored_in_db"] == true);
  auto rows = stored_messages(svc.db_file().string());
  CHECK(rows.back().status == "complete");
  CHECK(rows.back().content == s.terminal["final_content"]);
}

TEST_CASE("after a restart, an answer's rebuilt ending says what its live ending said",
          "[integration][resilience]") {
  service_fixture svc;
  auto client = svc.signed_in_client("rememberer");
  // The stream breaks after two chunks and the fallback answers: fallback "non_streaming".
  auto live = check_stream(client->stream(
      "POST", "/api/chat/stream", json{{"message", "mend me [[mock fail=cut after=2]]"}}.dump()));
  REQUIRE(live.terminal["type"] == "complete");
  REQUIRE(live.terminal["streaming_stats"]["fallback"] == "non_streaming");
  auto answer_id = live.terminal["message_id"].get<std::string>();
  svc.restart();
  http_client again(svc.chatd->url());
  REQUIRE(again.post("/api/auth/login", {{"username", "rememberer"}, {"password", "correct horse"}})
              .status == 200);
  auto replay = again.stream("GET", "/api/chat/stream/" + answer_id, "", {"Last-Event-ID: 100"});
  REQUIRE(replay.events.size() == 1);
  auto rebuilt = json::parse(replay.events[0].data);
  CHECK(rebuilt["final_content"] == live.terminal["final_content"]);
  // Before, rebuilt from the text alone: zero chunks and duration, and fallback "none".
  CHECK(rebuilt["streaming_stats"] == live.terminal["streaming_stats"]);
}

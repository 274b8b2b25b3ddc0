// The service's life: a restart keeps everything; SIGTERM stops it cleanly; a start that
// cannot listen ends at once and says why; a stop signal during start-up is not ignored.

#include <csignal>
#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

/// How a chatd that was expected not to start ended.
struct failed_start {
  std::optional<int> exit_code; ///< none: still running after 20 s (then killed)
  std::string output;           ///< stdout and stderr
};

/// Starts a second chatd beside `svc`'s, on a database of its own, with `args` added.
failed_start start_failing(const service_fixture& svc, const std::vector<std::string>& args) {
  std::vector<std::string> all{
      "--database",        "sqlite://" + (svc.dir.path() / "second.db").string(),
      "--openai-base-url", svc.mock_url(),
      "--log-level",       "warn"};
  all.insert(all.end(), args.begin(), args.end());
  child_process chatd(CHATD_BINARY, all,
                      {{"OPENAI_API_KEY", "sk-test-key-0123456789"}, {"CHATD_CONFIG", "/dev/null"}},
                      true);
  failed_start out;
  out.exit_code = chatd.wait_exit(std::chrono::seconds(20));
  out.output = out.exit_code ? chatd.output_to_end(std::chrono::seconds(5)) : chatd.output();
  return out;
}

/// Whether process `pid` runs chatd (not the test's own fork before its exec, which holds the
/// test's files) and holds `file` open.
bool chatd_holds_open(pid_t pid, const std::filesystem::path& file) {
  std::error_code ec;
  auto proc = std::filesystem::path("/proc") / std::to_string(pid);
  if (std::filesystem::read_symlink(proc / "exe", ec) != std::filesystem::canonical(CHATD_BINARY))
    return false;
  auto fds = proc / "fd";
  for (auto it = std::filesystem::directory_iterator(fds, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    if (std::filesystem::read_symlink(it->path(), ec) == file)
      return true;
  return false;
}

} // namespace

TEST_CASE("a restart keeps users, sessions, conversations and messages", "[integration][restart]") {
  service_fixture svc;
  auto client = svc.signed_in_client("kate");
  auto s = check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"persist me"})"));
  auto conversation_id = s.start["conversation_id"].get<std::string>();
  auto before = client->get("/api/conversations/" + conversation_id).json();

  svc.restart();

  // The restarted service listens on a new port: sign in there.
  http_client same_browser(svc.chatd->url());
  auto login =
      same_browser.post("/api/auth/login", {{"username", "kate"}, {"password", "correct horse"}});
  REQUIRE(login.status == 200);
  auto after = same_browser.get("/api/conversations/" + conversation_id);
  REQUIRE(after.status == 200);
  CHECK(after.json() == before);
  // …and the conversation goes on with its context.
  auto next = check_stream(same_browser.stream(
      "POST", "/api/chat/stream",
      json{{"message", "still there?"}, {"conversation_id", conversation_id}}.dump()));
  CHECK(next.streamed_text.find("turn 2") != std::string::npos);
}

TEST_CASE("a repeated turn replays from its start, before and after a restart",
          "[integration][restart]") {
  service_fixture svc;
  auto client = svc.signed_in_client("kim");
  const std::vector<std::string> key = {"Idempotency-Key: retry-after-restart"};
  const std::string body = R"({"message":"say it once"})";
  auto first = check_stream(client->stream("POST", "/api/chat/stream", body, key));

  // While the answer's events are held: the whole stream again.
  auto again = client->stream("POST", "/api/chat/stream", body, key);
  auto repeat = check_stream(again);
  CHECK(repeat.start == first.start);
  CHECK(repeat.terminal["final_content"] == first.terminal["final_content"]);

  svc.restart();
  http_client same_browser(svc.chatd->url());
  REQUIRE(same_browser.post("/api/auth/login", {{"username", "kim"}, {"password", "correct horse"}})
              .status == 200);
  // After it: the start and the stored ending, rebuilt, so that the client still learns the
  // conversation and the messages of its turn.
  auto rebuilt = same_browser.stream("POST", "/api/chat/stream", body, key);
  REQUIRE(rebuilt.events.size() == 2);
  auto start = json::parse(rebuilt.events[0].data);
  auto ending = json::parse(rebuilt.events[1].data);
  CHECK(rebuilt.events[0].id == "1");
  CHECK(rebuilt.events[1].id == "2");
  CHECK(start["type"] == "start");
  for (const char* field : {"conversation_id", "user_message_id", "assistant_message_id"})
    CHECK(start[field] == first.start[field]);
  CHECK(ending["type"] == "complete");
  CHECK(ending["final_content"] == first.terminal["final_content"]);
  CHECK(stored_messages(svc.db_file().string()).size() == 2);
}

TEST_CASE("an Idempotency-Key used again for another message is refused, nothing dropped",
          "[integration][restart]") {
  service_fixture svc;
  auto client = svc.signed_in_client("kit");
  const std::vector<std::string> key = {"Idempotency-Key: one-turn-only"};
  auto first =
      check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"first"})", key));
  // Before the fix this replayed the first turn, and "second" was never stored or answered.
  for (auto route : {"/api/chat/stream", "/api/chat"}) {
    auto r = client->request("POST", route, R"({"message":"second"})", key);
    CHECK(r.status == 400);
    CHECK(r.json()["error"]["code"] == "invalid_request");
  }
  auto elsewhere = client->request(
      "POST", "/api/chat", json{{"message", "first"}, {"conversation_id", "c_other"}}.dump(), key);
  CHECK(elsewhere.status == 400);
  // The true repeat still replays.
  auto repeat =
      check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"first"})", key));
  CHECK(repeat.start == first.start);
  CHECK(stored_messages(svc.db_file().string()).size() == 2);
}

TEST_CASE("SIGTERM stops the service with exit code 0", "[integration][lifecycle]") {
  service_fixture svc;
  auto client = svc.signed_in_client("liam");
  check_stream(client->stream("POST", "/api/chat/stream", R"({"message":"one turn"})"));
  CHECK(svc.chatd->stop() == 0);
}

TEST_CASE("health and readiness answer while the service runs", "[integration][lifecycle]") {
  service_fixture svc;
  http_client client(svc.chatd->url());
  CHECK(client.get("/healthz").status == 200);
  CHECK(client.get("/readyz").status == 200);
  auto metrics = client.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("chatd_streams_total") != std::string::npos);
}

TEST_CASE("a listen address chatd cannot bind ends it at once with a message naming it",
          "[integration][lifecycle]") {
  service_fixture svc; // holds the port that the second chatd asks for
  auto taken = svc.chatd->url().substr(std::string("http://").size());
  for (const auto& address : {taken, std::string("999.1.1.1:80")}) {
    auto start = start_failing(svc, {"--listen", address});
    INFO(address << " ->\n" << start.output);
    REQUIRE(start.exit_code);
    CHECK(*start.exit_code != 0);
    CHECK(start.output.find("cannot listen on " + address + ": ") != std::string::npos);
  }
  // The admin listener's address the same way, once the HTTP server is up.
  auto admin = start_failing(svc, {"--listen", "127.0.0.1:0", "--admin-listen", taken});
  INFO("admin " << taken << " ->\n" << admin.output);
  REQUIRE(admin.exit_code);
  CHECK(*admin.exit_code != 0);
  CHECK(admin.output.find("admin actor on " + taken + ": ") != std::string::npos);
  // The chatd that holds the port never noticed.
  CHECK(http_client(svc.chatd->url()).get("/healthz").status == 200);
}

TEST_CASE("a database file deleted while chatd runs makes it not ready, saying why",
          "[integration][lifecycle]") {
  service_fixture svc;
  http_client client(svc.chatd->url());
  REQUIRE(client.get("/readyz").status == 200);
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(svc.db_file().string() + suffix);
  // Before, it went on answering ready while its changes went to the deleted file.
  auto r = client.get("/readyz");
  CHECK(r.status == 503);
  CHECK(r.json()["error"]["message"].get<std::string>().find("deleted or replaced") !=
        std::string::npos);
  CHECK(client.request("HEAD", "/readyz").status == 503);
}

TEST_CASE("a browser UI folder without index.html ends chatd at once with a message naming it",
          "[integration][lifecycle]") {
  service_fixture svc;
  temp_dir empty;
  for (const auto& folder : {std::string("/nonexistent-ui"), empty.path().string()}) {
    auto start = start_failing(svc, {"--listen", "127.0.0.1:0", "--static-dir", folder});
    INFO(folder << " ->\n" << start.output);
    REQUIRE(start.exit_code);
    CHECK(*start.exit_code != 0);
    CHECK(start.output.find("the browser UI folder " + folder +
                            " (static_dir) has no index.html") != std::string::npos);
  }
}

TEST_CASE("a second chatd on a database another one serves refuses to start, and touches nothing",
          "[integration][lifecycle]") {
  service_fixture svc;
  auto client = svc.signed_in_client("first");
  bool told = false;
  std::string second_output;
  std::optional<int> second_exit;
  auto s = client->stream(
      "POST", "/api/chat/stream", R"({"message":"long one [[mock deltas=30 rate=20]]"})", {},
      [&](const chatd::domain::sse_message& ev) {
        if (ev.id != "3" || told)
          return true;
        told = true;
        // While the first one's answer is live: a second chatd on the same file.
        child_process second(
            CHATD_BINARY,
            {"--listen", "127.0.0.1:0", "--database", "sqlite://" + svc.db_file().string(),
             "--openai-base-url", svc.mock_url(), "--log-level", "info"},
            {{"OPENAI_API_KEY", "sk-test-key-0123456789"}, {"CHATD_CONFIG", "/dev/null"}}, true);
        second_exit = second.wait_exit(std::chrono::seconds(20));
        second_output = second_exit ? second.output_to_end(std::chrono::seconds(5)) : "";
        return true;
      });
  INFO(second_output);
  REQUIRE(second_exit);
  CHECK(*second_exit != 0);
  CHECK(second_output.find("in use by another chatd") != std::string::npos);
  // Before the fix its start-up recovery first marked the live answer interrupted.
  CHECK(second_output.find("answers_marked_interrupted") == std::string::npos);
  auto done = check_stream(s);
  CHECK(done.terminal["type"] == "complete");
  CHECK(stored_messages(svc.db_file().string()).back().status == "complete");
}

TEST_CASE("a stop signal while start-up waits for the database ends chatd at once",
          "[integration][lifecycle]") {
  // Another process holds the database locked: chatd's start-up would wait 10 s for it.
  temp_dir dir;
  auto db = std::filesystem::canonical(dir.path()) / "locked.db";
  soci::session holder(soci::sqlite3, "db=\"" + db.string() + "\"");
  holder << "CREATE TABLE hold (x INTEGER)";
  holder << "BEGIN EXCLUSIVE";
  child_process chatd(CHATD_BINARY,
                      {"--database", "sqlite://" + db.string(), "--listen", "127.0.0.1:0",
                       "--openai-base-url", "http://127.0.0.1:9/v1"},
                      {{"OPENAI_API_KEY", "sk-test-key-0123456789"}, {"CHATD_CONFIG", "/dev/null"}},
                      true);
  // Once chatd holds the file open, its start-up is past the signal mask and at the lock.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (!chatd_holds_open(chatd.pid(), db) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  REQUIRE(chatd_holds_open(chatd.pid(), db));
  auto sent = std::chrono::steady_clock::now();
  // Waits at most 3 s, then kills: the lock alone would have held chatd for 10 s.
  int code = chatd.stop(SIGTERM, std::chrono::seconds(3));
  CHECK(code == 1);
  CHECK(std::chrono::steady_clock::now() - sent < std::chrono::seconds(3));
  CHECK(chatd.output_to_end(std::chrono::seconds(5)).find("a stop signal during start-up") !=
        std::string::npos);
  holder << "ROLLBACK";
}

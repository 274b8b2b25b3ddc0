// Hostile input: every malformed body on every route, bodies over the limit, cross-site
// requests, other users' ids, oversized URLs and headers, undecodable paths. Each answer is the
// JSON error of API.md, stored data does not change, and the service goes on answering, even
// after more connections than it may open files.

#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

namespace {

struct bad_body {
  std::string body;
  long status;
  std::string code;
};

/// Bodies that no route may accept, with the error each must give.
std::vector<bad_body> malformed_bodies(const std::string& required_field) {
  return {
      {"this is not json", 400, "invalid_json"},
      {"{\"" + required_field + "\": \"x\"", 400, "invalid_json"},
      {"[1, 2, 3]", 400, "invalid_request"},
      {"\"just a string\"", 400, "invalid_request"},
      {"{}", 400, "invalid_request"},
      {"{\"" + required_field + "\": 42}", 400, "invalid_request"},
      {"{\"" + required_field + "\": null}", 400, "invalid_request"},
      {"{\"" + required_field + "\": [\"x\"]}", 400, "invalid_request"},
      {"{\"" + required_field + "\": \"   \"}", 400, "invalid_request"},
      {"{\"" + required_field + "\": \"\xC3\x28\"}", 400, "invalid_request"},
      {"{\"" + required_field + "\": \"\xED\xA0\x80\"}", 400, "invalid_request"},
      {"{\"" + required_field + "\": \"\\ud800\"}", 400, "invalid_json"},
  };
}

void expect_error(const http_response& r, long status, const std::string& code,
                  const std::string& what) {
  INFO(what << " -> " << r.status << " " << r.body);
  CHECK(r.status == status);
  auto body = json::parse(r.body, nullptr, false);
  REQUIRE(body.is_object());
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  CHECK(r.headers.at("content-type").find("application/json") == 0);
}

/// One keep-alive TCP connection to `http://host:port`, speaking HTTP/1.1 by hand: libcurl
/// would fix up a malformed request target before sending it.
class raw_connection {
public:
  explicit raw_connection(const std::string& url) {
    auto rest = url.substr(std::string("http://").size());
    auto colon = rest.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(rest.substr(colon + 1))));
    inet_pton(AF_INET, rest.substr(0, colon).c_str(), &addr.sin_addr);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~raw_connection() { ::close(fd_); }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  /// Sends `GET target` and reads one answer (status 0 if the connection ended before it).
  http_response get(const std::string& target) { return exchange("GET", target); }

  /// Sends `HEAD target` and reads one answer's head: a HEAD answer has no body.
  http_response head(const std::string& target) { return exchange("HEAD", target); }

private:
  http_response exchange(const std::string& method, const std::string& target) {
    std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
    http_response r;
    auto head_end = read_until([&] { return buffer_.find("\r\n\r\n"); });
    if (head_end == std::string::npos)
      return r;
    std::istringstream head(buffer_.substr(0, head_end));
    std::string line, version;
    std::getline(head, line);
    std::istringstream(line) >> version >> r.status;
    while (std::getline(head, line))
      add_header_line(r.headers, line);
    auto length = std::stoul(r.headers.count("content-length") ? r.headers["content-length"] : "0");
    if (method == "HEAD")
      length = 0;
    auto body_start = head_end + 4;
    if (read_until([&] {
          return buffer_.size() >= body_start + length ? body_start : std::string::npos;
        }) == std::string::npos)
      return http_response{};
    r.body = buffer_.substr(body_start, length);
    buffer_.erase(0, body_start + length);
    return r;
  }

  /// Reads until `found()` is not npos, for at most 5 s; what `found()` returned last.
  template<class Found> std::size_t read_until(Found found) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (auto at = found(); at == std::string::npos; at = found()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      char chunk[4096];
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return std::string::npos;
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0)
        return std::string::npos;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return found();
  }

  int fd_ = -1;
  std::string buffer_;
};

} // namespace

TEST_CASE("every route rejects malformed bodies with API.md's errors and changes nothing",
          "[integration][hostile]") {
  service_fixture svc;
  auto client = svc.signed_in_client("mallory");
  auto made = client->post("/api/conversations", {{"title", "mine"}});
  auto conv = made.json()["conversation"]["id"].get<std::string>();
  auto before = database_snapshot(svc.db_file().string());

  struct route {
    std::string method, path, field;
  };
  std::vector<route> routes = {
      {"POST", "/api/auth/register", "username"},
      {"POST", "/api/auth/login", "username"},
      {"PATCH", "/api/conversations/" + conv, "title"},
      {"POST", "/api/chat/stream", "message"},
      {"POST", "/api/chat", "message"},
      {"POST", "/api/chat/stop", "message_id"},
      {"POST", "/api/conversations", "title"},
  };
  for (auto& rt : routes) {
    for (auto& bad : malformed_bodies(rt.field)) {
      if (rt.path == "/api/conversations" && (bad.body == "{}" || bad.body == "{\"title\": null}"))
        continue; // a conversation without a title is fine
      auto r = client->request(rt.method, rt.path, bad.body);
      expect_error(r, bad.status, bad.code, rt.method + " " + rt.path + " " + bad.body);
    }
  }
  // Wrong types in the optional fields too.
  expect_error(
      client->request("POST", "/api/chat/stream", R"({"message":"hi","conversation_id":7})"), 400,
      "invalid_request", "conversation_id as a number");
  expect_error(
      client->request("POST", "/api/auth/register", R"({"username":"ab","password":"longenough"})"),
      400, "invalid_request", "username too short");
  expect_error(client->request("POST", "/api/auth/register",
                               R"({"username":"a b c","password":"longenough"})"),
               400, "invalid_request", "username with a blank");
  expect_error(client->request("POST", "/api/auth/register",
                               R"({"username":"shortpw","password":"1234567"})"),
               400, "invalid_request", "password too short");
  expect_error(
      client->request("POST", "/api/auth/register",
                      json{{"username", "longpw"}, {"password", std::string(1025, 'x')}}.dump()),
      400, "invalid_request", "password too long");

  CHECK(database_snapshot(svc.db_file().string()) == before);
  CHECK(client->get("/healthz").status == 200);
}

TEST_CASE("a body just over the limit gets 413, one at the limit is read",
          "[integration][hostile]") {
  service_fixture svc({"--max-body-bytes", "1024"});
  auto client = svc.signed_in_client("big");
  auto before = database_snapshot(svc.db_file().string());
  std::string over = json{{"message", std::string(1024, 'a')}}.dump();
  expect_error(client->request("POST", "/api/chat", over), 413, "payload_too_large", "1 KiB + 15");
  expect_error(
      client->request("POST", "/api/conversations", json{{"title", std::string(2000, 'b')}}.dump()),
      413, "payload_too_large", "title body");
  CHECK(database_snapshot(svc.db_file().string()) == before);
  std::string at_limit = json{{"message", std::string(1024 - 14, 'a')}}.dump();
  REQUIRE(at_limit.size() == 1024);
  CHECK(client->request("POST", "/api/chat", at_limit).status == 200);
  // Far over the limit: the connection is refused before the body is read, and the service
  // goes on.
  http_client other(svc.chatd->url());
  try {
    other.request("POST", "/api/chat", std::string(64 * 1024, 'x'));
  } catch (const std::exception&) {
  }
  CHECK(other.get("/healthz").status == 200);
}

TEST_CASE("state-changing requests from another origin are refused", "[integration][hostile]") {
  service_fixture svc;
  auto client = svc.signed_in_client("victim");
  auto conv = client->post("/api/conversations", {{"title", "t"}})
                  .json()["conversation"]["id"]
                  .get<std::string>();
  auto before = database_snapshot(svc.db_file().string());
  std::vector<std::pair<std::string, std::string>> unsafe = {
      {"POST", "/api/auth/register"},
      {"POST", "/api/auth/login"},
      {"POST", "/api/auth/logout"},
      {"POST", "/api/auth/tokens"},
      {"POST", "/api/conversations"},
      {"PATCH", "/api/conversations/" + conv},
      {"DELETE", "/api/conversations/" + conv},
      {"POST", "/api/chat/stream"},
      {"POST", "/api/chat"},
      {"POST", "/api/chat/stop"},
  };
  for (auto& [method, path] : unsafe) {
    for (const char* origin : {"Origin: https://evil.example", "Origin: null",
                               "Origin: http://127.0.0.1.evil.example"}) {
      auto r = client->request(
          method, path, R"({"message":"x","title":"y","username":"zzz","password":"12345678"})",
          {origin});
      expect_error(r, 403, "forbidden_origin", method + " " + path + " " + origin);
    }
  }
  CHECK(database_snapshot(svc.db_file().string()) == before);
  // The service's own origin is welcome.
  auto host = svc.chatd->url().substr(std::string("http://").size());
  CHECK(client->post("/api/conversations", {{"title", "ok"}}, {"Origin: http://" + host}).status ==
        201);
  // Two Origins, one of them its own: neither is trusted (before, the first one decided).
  expect_error(client->post("/api/conversations", {{"title", "two"}},
                            {"Origin: http://" + host, "Origin: https://evil.example"}),
               403, "forbidden_origin", "two Origin headers");
  // Safe requests are not checked.
  CHECK(client->get("/api/conversations", {"Origin: https://evil.example"}).status == 200);
}

TEST_CASE("another user's answers cannot be resumed, stopped or streamed into",
          "[integration][hostile]") {
  service_fixture svc;
  auto owner = svc.signed_in_client("owner");
  auto intruder = svc.signed_in_client("intruder");
  auto s = check_stream(owner->stream("POST", "/api/chat/stream", R"({"message":"secret plans"})"));
  auto answer = s.start["assistant_message_id"].get<std::string>();
  auto question = s.start["user_message_id"].get<std::string>();
  auto conv = s.start["conversation_id"].get<std::string>();
  auto before = database_snapshot(svc.db_file().string());

  for (auto& id : {answer, question, std::string("m_0000"), std::string("../etc/passwd"),
                   std::string("x%00y")}) {
    auto resume = intruder->stream("GET", "/api/chat/stream/" + id, "");
    CHECK(resume.status == 404);
    CHECK(resume.raw.find("secret") == std::string::npos);
    expect_error(intruder->post("/api/chat/stop", {{"message_id", id}}), 404, "not_found",
                 "stop " + id);
  }
  expect_error(intruder->post("/api/chat", {{"message", "mine now"}, {"conversation_id", conv}}),
               404, "not_found", "chat into another's conversation");
  CHECK(database_snapshot(svc.db_file().string()) == before);
}

TEST_CASE("another user's conversation stays hidden while its answer streams",
          "[integration][hostile]") {
  service_fixture svc;
  auto owner = svc.signed_in_client("owner");
  auto intruder = svc.signed_in_client("intruder");
  std::string conv;
  std::vector<http_response> tries;
  owner->stream("POST", "/api/chat/stream",
                R"({"message":"secret plans [[mock deltas=40 rate=20]]"})", {},
                [&](const chatd::domain::sse_message& ev) {
                  auto event = json::parse(ev.data);
                  if (event["type"] == "start")
                    conv = event["conversation_id"];
                  if (event["type"] != "content")
                    return true;
                  // The answer is being written: posting into it must look like a made-up id.
                  json body{{"message", "mine now"}, {"conversation_id", conv}};
                  tries.push_back(intruder->post("/api/chat/stream", body));
                  tries.push_back(intruder->post("/api/chat", body));
                  return false;
                });
  REQUIRE(tries.size() == 2);
  for (auto& r : tries) // before the fix: 409 stream_in_progress, which told it existed
    expect_error(r, 404, "not_found", "a turn in another's streaming conversation");
}

TEST_CASE("unknown routes, long URLs, long headers and bad headers get JSON errors",
          "[integration][hostile]") {
  service_fixture svc({"--max-url-bytes", "512", "--max-header-bytes", "1024"});
  auto client = svc.signed_in_client("prober");
  expect_error(client->get("/api/nope"), 404, "not_found", "unknown route");
  expect_error(client->request("PUT", "/api/conversations"), 404, "not_found", "wrong method");
  expect_error(client->get("/api/conversations?x=" + std::string(600, 'a')), 400, "invalid_request",
               "long URL");
  expect_error(client->get("/api/conversations", {"X-Filler: " + std::string(1500, 'b')}), 400,
               "invalid_request", "long header");
  expect_error(client->request("POST", "/api/chat/stream", R"({"message":"x"})",
                               {"Idempotency-Key: "
                                "has spaces in it"}),
               400, "invalid_request", "bad idempotency key");
  expect_error(client->get("/api/chat/stream/m_abc", {"Last-Event-ID: seven"}), 400,
               "invalid_request", "bad Last-Event-ID");
  // The largest 64-bit id once replayed its answer's ending as id 0 (it wrapped).
  expect_error(client->get("/api/chat/stream/m_abc", {"Last-Event-ID: 18446744073709551615"}), 400,
               "invalid_request", "Last-Event-ID past 2^53 - 1");
  CHECK(client->get("/healthz").status == 200);
}

TEST_CASE("a path with a malformed percent-escape gets a JSON 400 and the connection goes on",
          "[integration][hostile]") {
  service_fixture svc;
  raw_connection connection(svc.chatd->url());
  for (const std::string target : {"/api/conversations/%zz", "/%zz", "/api/chat/stream/%ff",
                                   "/api/nope/%ff", "/api/conversations/%4", "/%e2%82"}) {
    expect_error(connection.get(target), 400, "invalid_request", "GET " + target);
    // The same connection serves the next request.
    auto next = connection.get("/healthz");
    INFO("after GET " << target);
    CHECK(next.status == 200);
  }
  // The same escapes in the query string were never a problem, and still are not.
  CHECK(connection.get("/healthz?x=%zz&y=%ff").status == 200);
}

TEST_CASE("a burst of connections over the file limit leaves the service answering",
          "[integration][hostile]") {
  // chatd allowed 256 open files, then 400 idle connections at once, then none.
  temp_dir dir;
  auto mock = chatd::mock::mock_provider::start(chatd::mock::mock_options{});
  child_process chatd(
      "/usr/bin/prlimit",
      {"--nofile=256:256", CHATD_BINARY, "--listen", "127.0.0.1:0", "--database",
       "sqlite://" + (dir.path() / "chatd.db").string(), "--openai-base-url", mock->base_url(),
       "--log-level", "warn"},
      {{"OPENAI_API_KEY", "sk-test-key-0123456789"}, {"CHATD_CONFIG", "/dev/null"}});
  auto line = chatd.wait_for_line("chatd listening on ", std::chrono::seconds(20));
  REQUIRE(line);
  auto url = line->substr(line->find("http://"));
  {
    std::vector<std::unique_ptr<raw_connection>> flood;
    for (int i = 0; i < 400; ++i)
      flood.push_back(std::make_unique<raw_connection>(url));
    REQUIRE_FALSE(chatd.wait_exit(std::chrono::milliseconds(0)));
  }
  // The server takes a moment to see 400 connections close; until then a request may find the
  // cap reached and be closed unanswered. Before the fix it was never answered again.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    try {
      status = http_client(url).get("/healthz").status;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a retry's pace
    }
  }
  CHECK(status == 200);
}

namespace {

/// chatd serving a one-page UI folder, and one raw connection to it.
struct service_with_ui {
  temp_dir ui;
  service_fixture svc;
  raw_connection connection;

  service_with_ui()
      : svc((write_page(ui), std::vector<std::string>{"--static-dir", ui.path().string()})),
        connection(svc.chatd->url()) {}

  static void write_page(const temp_dir& dir) {
    std::ofstream(dir.path() / "index.html") << "<!doctype html><title>chatd</title>";
  }
};

} // namespace

TEST_CASE("HEAD gets a GET's headers and no body, and the connection goes on",
          "[integration][hostile]") {
  service_with_ui served;
  auto& connection = served.connection;
  auto health = connection.head("/healthz");
  CHECK(health.status == 200);
  CHECK(health.headers["content-length"] == "15"); // {"status":"ok"}
  auto page = connection.head("/");
  CHECK(page.status == 200);
  CHECK(page.headers["content-type"].rfind("text/html", 0) == 0);
  CHECK(page.headers["content-length"] == "35");
  CHECK(connection.head("/readyz").status == 200);
  CHECK(connection.head("/metrics").status == 200);
  CHECK(connection.head("/api/conversations").status == 404);
  // Before the fix each HEAD answer carried a body, read here as the start of the next answer.
  auto after = connection.get("/healthz");
  CHECK(after.status == 200);
  CHECK(after.body == R"({"status":"ok"})");
}

TEST_CASE("a request target that is not a path gets a JSON 400, not the UI's page",
          "[integration][hostile]") {
  service_with_ui served;
  auto& connection = served.connection;
  for (const std::string target :
       {"http://localhost/healthz", "http://localhost/api/conversations", "*"}) {
    // Before the fix the router saw "http://localhost/healthz" as a page path: 200, HTML.
    expect_error(connection.get(target), 400, "invalid_request", "GET " + target);
    INFO("after GET " << target);
    CHECK(connection.get("/healthz").status == 200);
  }
}

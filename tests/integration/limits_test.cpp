// Limits that keep one client from hurting the others: login throttling, concurrent streams,
// slow or idle connections, session expiry, and secrets that never leave the service.

#include <atomic>
#include <fstream>
#include <future>
#include <iterator>

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

/// host and port of an `http://host:port` URL.
std::pair<std::string, int> host_port(const std::string& url) {
  auto rest = url.substr(std::string("http://").size());
  auto colon = rest.rfind(':');
  return {rest.substr(0, colon), std::stoi(rest.substr(colon + 1))};
}

/// A raw TCP connection that sends a partial request and then goes quiet.
struct slow_client {
  int fd = -1;
  explicit slow_client(const std::string& url) {
    auto [host, port] = host_port(url);
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~slow_client() { ::close(fd); }
  void send(const std::string& bytes) { REQUIRE(::send(fd, bytes.data(), bytes.size(), 0) > 0); }
  /// Waits until the server closes the connection; returns how long that took.
  std::optional<std::chrono::milliseconds> wait_closed(std::chrono::milliseconds limit) {
    auto start = std::chrono::steady_clock::now();
    char buf[512];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      auto left = limit - std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - start);
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return std::nullopt;
      if (::recv(fd, buf, sizeof buf, 0) <= 0)
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
    }
  }
};

std::string slow(const std::string& text) {
  return text + " [[mock deltas=40 rate=20]]";
}

} // namespace

TEST_CASE("a flood of failed logins is throttled per account and address, with Retry-After",
          "[integration][limits]") {
  service_fixture svc;
  svc.signed_in_client("target");
  svc.signed_in_client("bystander");
  http_client attacker(svc.chatd->url());
  for (int i = 0; i < 10; ++i) {
    auto r = attacker.post("/api/auth/login",
                           {{"username", "target"}, {"password", "guess" + std::to_string(i)}});
    REQUIRE(r.status == 401);
  }
  auto blocked =
      attacker.post("/api/auth/login", {{"username", "target"}, {"password", "guess-10"}});
  CHECK(blocked.status == 429);
  CHECK(blocked.json()["error"]["code"] == "rate_limited");
  REQUIRE(blocked.headers.count("retry-after"));
  auto wait = std::stoi(blocked.headers.at("retry-after"));
  CHECK(wait > 0);
  CHECK(wait <= 15 * 60);
  // Even the right password waits (else the throttle would be an oracle).
  CHECK(attacker.post("/api/auth/login", {{"username", "TARGET"}, {"password", "correct horse"}})
            .status == 429);
  // Other accounts are not affected.
  CHECK(attacker.post("/api/auth/login", {{"username", "bystander"}, {"password", "correct horse"}})
            .status == 200);
  CHECK(attacker.get("/healthz").status == 200);
}

TEST_CASE("behind a trusted proxy the address is the hop the proxy added, not the client's",
          "[integration][limits]") {
  service_fixture svc({"--trust-proxy", "true"});
  svc.signed_in_client("target");
  http_client attacker(svc.chatd->url());
  // The proxy appends the address it saw; whatever comes before it, the client wrote.
  auto login_via_proxy = [&](int i) {
    return attacker.post("/api/auth/login",
                         {{"username", "target"}, {"password", "guess" + std::to_string(i)}},
                         {"X-Forwarded-For: 10.0.0." + std::to_string(i) + ", 203.0.113.7"});
  };
  for (int i = 0; i < 10; ++i)
    REQUIRE(login_via_proxy(i).status == 401);
  CHECK(login_via_proxy(10).status == 429); // before the fix each made-up hop was an address
  // A proxy that adds a line of its own instead of appending: its line is the last one.
  auto two_lines =
      attacker.post("/api/auth/login", {{"username", "target"}, {"password", "guess-on-two-lines"}},
                    {"X-Forwarded-For: 10.9.9.9", "X-Forwarded-For: 203.0.113.7"});
  CHECK(two_lines.status == 429);
}

TEST_CASE("an attack that fills an account's limit does not lock the owner out of a known place",
          "[integration][limits]") {
  service_fixture svc({"--trust-proxy", "true", "--login-limit-per-account", "3"});
  svc.signed_in_client("owner");
  http_client client(svc.chatd->url());
  auto login_from = [&](const std::string& address, const std::string& password) {
    return client.post("/api/auth/login", {{"username", "owner"}, {"password", password}},
                       {"X-Forwarded-For: " + address});
  };
  REQUIRE(login_from("198.51.100.7", "correct horse").status == 200); // the owner's usual place
  for (int i = 1; i <= 3; ++i)
    REQUIRE(login_from("203.0.113." + std::to_string(i), "guess").status == 401);
  CHECK(login_from("203.0.113.99", "correct horse").status == 429); // the account's limit
  CHECK(login_from("198.51.100.7", "correct horse").status == 200); // before: 429 for an hour
}

TEST_CASE("the owner's known places are still known after a restart", "[integration][limits]") {
  std::vector<std::string> args{"--trust-proxy", "true", "--login-limit-per-account", "3"};
  service_fixture svc(args);
  svc.signed_in_client("owner");
  auto login_from = [&](const std::string& address, const std::string& password) {
    http_client client(svc.chatd->url());
    return client.post("/api/auth/login", {{"username", "owner"}, {"password", password}},
                       {"X-Forwarded-For: " + address});
  };
  REQUIRE(login_from("198.51.100.7", "correct horse").status == 200);
  svc.restart(args);
  for (int i = 1; i <= 3; ++i)
    REQUIRE(login_from("203.0.113." + std::to_string(i), "guess").status == 401);
  CHECK(login_from("203.0.113.99", "correct horse").status == 429); // the account's limit
  // Before the places were stored, a restart forgot them: 429 here for an hour.
  CHECK(login_from("198.51.100.7", "correct horse").status == 200);
  // A place is the owner's by a login from it, not by registration or a guess.
  CHECK(login_from("203.0.113.1", "correct horse").status == 429);
}

namespace {

/// Logins for `usernames` (a wrong password each), sent at once from one address.
std::vector<http_response> logins_at_once(const service_fixture& svc,
                                          const std::vector<std::string>& usernames) {
  std::promise<void> go;
  auto start = go.get_future().share();
  std::vector<std::future<http_response>> answers;
  for (std::size_t i = 0; i < usernames.size(); ++i)
    answers.push_back(std::async(std::launch::async, [&, i] {
      http_client client(svc.chatd->url());
      start.wait();
      return client.post("/api/auth/login",
                         {{"username", usernames[i]}, {"password", "guess" + std::to_string(i)}});
    }));
  go.set_value();
  std::vector<http_response> out;
  for (auto& a : answers)
    out.push_back(a.get());
  return out;
}

bool is_rate_limited(const http_response& r) {
  return r.status == 429 && r.json()["error"]["code"] == "rate_limited" &&
         r.headers.count("retry-after") == 1;
}

} // namespace

TEST_CASE("guesses sent at once count against the limit before any is answered",
          "[integration][limits]") {
  service_fixture svc;
  svc.signed_in_client("target");
  auto answers = logins_at_once(svc, std::vector<std::string>(24, "target"));
  int checked = 0, refused = 0;
  for (auto& r : answers) {
    checked += r.status == 401;
    refused += is_rate_limited(r);
  }
  CHECK(checked + refused == 24);
  CHECK(checked <= 10); // the limit per account and address; before the fix all 24 were checked
}

TEST_CASE("a flood from many addresses that fills the password queue leaves known places in",
          "[integration][limits]") {
  service_fixture svc({"--trust-proxy", "true"});
  svc.signed_in_client("owner");
  auto login = [&](const std::string& user, const std::string& password,
                   const std::string& address) {
    http_client client(svc.chatd->url());
    return client.post("/api/auth/login", {{"username", user}, {"password", password}},
                       {"X-Forwarded-For: " + address});
  };
  REQUIRE(login("owner", "correct horse", "198.51.100.7").status == 200); // the owner's place
  // 48 logins for made-up users from 12 addresses, 4 each: over the 32 checks worked on at once.
  std::promise<void> go;
  auto start = go.get_future().share();
  std::promise<void> first_refusal;
  std::atomic<bool> refused{false};
  std::vector<std::future<http_response>> flood;
  for (int i = 0; i < 48; ++i)
    flood.push_back(std::async(std::launch::async, [&, i] {
      start.wait();
      auto r = login("nobody" + std::to_string(i), "guess", "203.0.113." + std::to_string(i % 12));
      if (r.status == 429 && !refused.exchange(true))
        first_refusal.set_value();
      return r;
    }));
  go.set_value();
  // Once the flood is being refused, the queue is full: the owner still gets in.
  REQUIRE(first_refusal.get_future().wait_for(std::chrono::seconds(30)) ==
          std::future_status::ready);
  CHECK(login("owner", "correct horse", "198.51.100.7").status == 200);
  for (auto& f : flood)
    f.get();
}

TEST_CASE("one address's logins at once are bounded, so others' logins do not queue behind",
          "[integration][limits]") {
  service_fixture svc;
  std::vector<std::string> names;
  for (int i = 0; i < 24; ++i)
    names.push_back("nobody" + std::to_string(i));
  auto answers = logins_at_once(svc, names);
  int checked = 0, refused = 0;
  for (auto& r : answers) {
    checked += r.status == 401;
    refused += is_rate_limited(r) && r.headers.at("retry-after") == "1";
  }
  CHECK(checked + refused == 24);
  CHECK(refused > 0); // before the fix every one of them waited its turn for the hasher
}

TEST_CASE("more concurrent streams than allowed are refused with 429 and Retry-After",
          "[integration][limits]") {
  service_fixture svc({"--max-streams-per-user", "2", "--max-streams-total", "3"});
  auto a = svc.signed_in_client("a_user");
  auto b = svc.signed_in_client("b_user");
  auto token_a = a->request("POST", "/api/auth/tokens").json()["token"].get<std::string>();
  auto token_b = b->request("POST", "/api/auth/tokens").json()["token"].get<std::string>();

  std::vector<std::promise<void>> started(3);
  std::vector<std::future<sse_result>> running;
  auto open = [&](const std::string& token, std::size_t k) {
    return std::async(std::launch::async, [&, token, k] {
      http_client c(svc.chatd->url());
      c.use_bearer(token);
      bool told = false;
      return c.stream("POST", "/api/chat/stream", json{{"message", slow("long")}}.dump(), {},
                      [&](const chatd::domain::sse_message&) {
                        if (!told)
                          started[k].set_value();
                        told = true;
                        return true;
                      });
    });
  };
  running.push_back(open(token_a, 0));
  running.push_back(open(token_a, 1));
  started[0].get_future().wait();
  started[1].get_future().wait();
  auto third = a->request("POST", "/api/chat/stream", json{{"message", "one too many"}}.dump());
  CHECK(third.status == 429);
  CHECK(third.json()["error"]["code"] == "too_many_streams");
  CHECK(third.headers.count("retry-after") == 1);

  running.push_back(open(token_b, 2));
  started[2].get_future().wait();
  auto over_total = b->request("POST", "/api/chat", json{{"message", "total reached"}}.dump());
  CHECK(over_total.status == 429);
  CHECK(over_total.json()["error"]["code"] == "too_many_streams");

  for (auto& r : running)
    CHECK(check_stream(r.get()).terminal["type"] == "complete");
  // The limit is about streams at once: with the others done, a new one goes through.
  CHECK(a->post("/api/chat", {{"message", "now it fits"}}).status == 200);
}

TEST_CASE("a slow-loris connection is closed after the read timeout and others are served",
          "[integration][limits]") {
  service_fixture svc({"--request-read-timeout-ms", "300"});
  slow_client loris(svc.chatd->url());
  loris.send("POST /api/chat HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"mess");
  http_client normal(svc.chatd->url());
  CHECK(normal.get("/healthz").status == 200);
  auto closed_after = loris.wait_closed(std::chrono::seconds(5));
  REQUIRE(closed_after);
  CHECK(*closed_after >= std::chrono::milliseconds(200));

  slow_client idle(svc.chatd->url()); // connects and sends nothing at all
  REQUIRE(idle.wait_closed(std::chrono::seconds(5)));
  CHECK(normal.get("/healthz").status == 200);
}

TEST_CASE("a session unused for longer than the idle timeout ends", "[integration][limits]") {
  service_fixture svc({"--session-idle-timeout-s", "1"});
  auto client = svc.signed_in_client("sleepy");
  REQUIRE(client->get("/api/auth/session").status == 200);
  // The passage of time is what this test is about: there is no event to wait for instead.
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  auto r = client->get("/api/auth/session");
  CHECK(r.status == 401);
  CHECK(r.json()["error"]["code"] == "unauthenticated");
}

TEST_CASE("a session in use outlives the idle timeout", "[integration][limits]") {
  service_fixture svc({"--session-idle-timeout-s", "1"});
  auto client = svc.signed_in_client("busy");
  // Used every 0.3 s for 2.4 s: never idle for the 1 s limit. Before the fix a use was noted
  // at most once a minute, so the session ended 1 s after login.
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // time passing is the subject
    REQUIRE(client->get("/api/auth/session").status == 200);
  }
}

TEST_CASE("the provider key and session tokens appear in no log, error or database row",
          "[integration][limits]") {
  temp_dir dir;
  auto mock = chatd::mock::mock_provider::start(
      chatd::mock::mock_options{"127.0.0.1", 0, "a-different-key", 0, 0, false, 1});
  chatd_process chatd(dir.path() / "chatd.db", mock->base_url(), {"--log-level", "debug"});
  http_client client(chatd.url());
  auto reg = client.post("/api/auth/register", {{"username", "keeper"}, {"password", "password1"}});
  auto cookie = reg.headers.at("set-cookie");
  auto session_token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  auto bearer = client.request("POST", "/api/auth/tokens").json()["token"].get<std::string>();
  // The provider refuses the key: error paths, fallback and all.
  auto s = client.stream("POST", "/api/chat/stream", R"({"message":"hello"})");
  client.post("/api/auth/login", {{"username", "keeper"}, {"password", "wrong-one"}});
  REQUIRE(chatd.stop() == 0);

  std::string everything = chatd.process().output() + s.raw;
  for (auto file : {"chatd.db", "chatd.db-wal"}) {
    std::ifstream in(dir.path() / file, std::ios::binary);
    everything.append(std::istreambuf_iterator<char>(in), {});
  }
  CHECK(everything.find("sk-test-key-0123456789") == std::string::npos);
  CHECK(everything.find(session_token) == std::string::npos);
  CHECK(everything.find(bearer) == std::string::npos);
  CHECK(everything.find("password1") == std::string::npos);
}

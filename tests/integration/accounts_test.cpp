// Accounts over real HTTP: registration, cookie sessions, logout, bearer tokens.

#include <catch2/catch.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/service_fixture.hpp"

using namespace chatd::test;
using nlohmann::json;

TEST_CASE("registering signs the user in with an HttpOnly session cookie", "[integration][auth]") {
  service_fixture svc;
  http_client client(svc.chatd->url());
  auto r =
      client.post("/api/auth/register", {{"username", "alice_1"}, {"password", "s3cret-pass"}});
  REQUIRE(r.status == 201);
  CHECK(r.json()["user"]["username"] == "alice_1");
  CHECK(r.json()["user"]["id"].is_string());
  auto cookie = r.headers.at("set-cookie");
  CHECK(cookie.rfind("chatd_session=", 0) == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(cookie.find("Path=/") != std::string::npos);

  auto session = client.get("/api/auth/session");
  REQUIRE(session.status == 200);
  CHECK(session.json()["user"]["username"] == "alice_1");
}

TEST_CASE("a taken username is refused, whatever its case", "[integration][auth]") {
  service_fixture svc;
  http_client a(svc.chatd->url()), b(svc.chatd->url());
  REQUIRE(a.post("/api/auth/register", {{"username", "Taken"}, {"password", "password1"}}).status ==
          201);
  auto r = b.post("/api/auth/register", {{"username", "taken"}, {"password", "password2"}});
  CHECK(r.status == 409);
  CHECK(r.json()["error"]["code"] == "username_taken");
}

TEST_CASE("login checks the password and logout revokes the session server-side",
          "[integration][auth]") {
  service_fixture svc;
  http_client reg(svc.chatd->url());
  REQUIRE(reg.post("/api/auth/register", {{"username", "frank"}, {"password", "right-password"}})
              .status == 201);

  http_client wrong(svc.chatd->url());
  auto bad = wrong.post("/api/auth/login", {{"username", "frank"}, {"password", "wrong-password"}});
  CHECK(bad.status == 401);
  CHECK(bad.json()["error"]["code"] == "invalid_credentials");
  auto unknown = wrong.post("/api/auth/login", {{"username", "nobody"}, {"password", "whatever1"}});
  CHECK(unknown.status == 401);
  CHECK(unknown.json()["error"]["code"] == "invalid_credentials");
  CHECK(wrong.get("/api/auth/session").status == 401);

  http_client browser(svc.chatd->url());
  auto ok =
      browser.post("/api/auth/login", {{"username", "frank"}, {"password", "right-password"}});
  REQUIRE(ok.status == 200);
  auto cookie = ok.headers.at("set-cookie");
  auto token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  REQUIRE(browser.get("/api/auth/session").status == 200);

  REQUIRE(browser.request("POST", "/api/auth/logout").status == 204);
  CHECK(browser.get("/api/auth/session").status == 401);
  // The old token is dead on the server, not merely forgotten by this browser.
  http_client replay(svc.chatd->url());
  auto reused = replay.get("/api/auth/session", {"Cookie: chatd_session=" + token});
  CHECK(reused.status == 401);
  CHECK(reused.json()["error"]["code"] == "unauthenticated");
}

TEST_CASE("sessions that ended are deleted from the database when chatd starts",
          "[integration][auth]") {
  service_fixture svc;
  auto staying = svc.signed_in_client("grace"); // registration's session: still valid, kept
  http_client leaving(svc.chatd->url());
  REQUIRE(leaving.post("/api/auth/login", {{"username", "grace"}, {"password", "correct horse"}})
              .status == 200);
  REQUIRE(leaving.request("POST", "/api/auth/logout").status == 204);
  http_client lapsing(svc.chatd->url());
  REQUIRE(lapsing.post("/api/auth/login", {{"username", "grace"}, {"password", "correct horse"}})
              .status == 200);
  REQUIRE(svc.chatd->stop() == 0);
  svc.chatd.reset();
  auto count = [&](const std::string& where) {
    soci::session db(soci::sqlite3, "db=\"" + svc.db_file().string() + "\"");
    long long n = 0;
    db << "SELECT COUNT(*) FROM sessions WHERE " + where, soci::into(n);
    return n;
  };
  {
    // The newest session's lifetime ran out while chatd was stopped.
    soci::session db(soci::sqlite3, "db=\"" + svc.db_file().string() + "\"");
    db << "UPDATE sessions SET expires_at = 1 WHERE token_hash = (SELECT token_hash FROM "
          "sessions WHERE revoked_at IS NULL ORDER BY created_at DESC LIMIT 1)";
  }
  REQUIRE(count("revoked_at IS NOT NULL") == 1);
  REQUIRE(count("expires_at = 1") == 1);
  REQUIRE(count("1") == 3);

  svc.restart({"--log-level", "info"});
  // A login commits after the purge, which is the first change chatd's writer makes.
  http_client again(svc.chatd->url());
  REQUIRE(again.post("/api/auth/login", {{"username", "grace"}, {"password", "correct horse"}})
              .status == 200);
  CHECK(count("revoked_at IS NOT NULL") == 0); // before: 1, kept for good
  CHECK(count("expires_at = 1") == 0);         // before: 1, kept for good
  CHECK(count("1") == 2);                      // the registration's session and the new one
  CHECK(svc.chatd->process().output().find("event=purge sessions=2 ") != std::string::npos);
}

TEST_CASE("a bearer token works for programs and nothing else does", "[integration][auth]") {
  service_fixture svc;
  auto browser = svc.signed_in_client("grace");
  auto issued = browser->request("POST", "/api/auth/tokens");
  REQUIRE(issued.status == 201);
  auto token = issued.json()["token"].get<std::string>();
  CHECK(token.size() >= 32);

  http_client program(svc.chatd->url());
  program.use_bearer(token);
  auto me = program.get("/api/auth/session");
  REQUIRE(me.status == 200);
  CHECK(me.json()["user"]["username"] == "grace");
  CHECK(program.get("/api/conversations").status == 200);

  http_client forger(svc.chatd->url());
  forger.use_bearer(token + "x");
  CHECK(forger.get("/api/conversations").status == 401);
  http_client anonymous(svc.chatd->url());
  CHECK(anonymous.get("/api/conversations").status == 401);
}

namespace {

/// The Set-Cookie header that registering `username` answers with.
std::string cookie_of_registration(service_fixture& svc, const std::string& username) {
  http_client client(svc.chatd->url());
  auto r = client.post("/api/auth/register", {{"username", username}, {"password", "s3cret-pass"}});
  REQUIRE(r.status == 201);
  return r.headers.at("set-cookie");
}

} // namespace

TEST_CASE("an https public origin makes the session cookie Secure and __Host- named",
          "[integration][auth]") {
  // The proxy in front terminates TLS; chatd itself is reached over plain HTTP.
  service_fixture svc({"--public-origin", "https://chat.example.com"});
  auto cookie = cookie_of_registration(svc, "tls_user");
  INFO(cookie);
  CHECK(cookie.rfind("__Host-chatd_session=", 0) == 0);
  CHECK(cookie.find("; Secure") != std::string::npos);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(cookie.find("Path=/") != std::string::npos);

  // A browser sends it back under that name; logging out clears that same cookie.
  auto token = cookie.substr(cookie.find('=') + 1, cookie.find(';') - cookie.find('=') - 1);
  http_client browser(svc.chatd->url());
  auto with_cookie = "Cookie: __Host-chatd_session=" + token;
  CHECK(browser.get("/api/auth/session", {with_cookie}).status == 200);
  // Under the plain name it is not a credential here: a sibling subdomain or a page over plain
  // HTTP could have planted that one.
  CHECK(browser.get("/api/auth/session", {"Cookie: chatd_session=" + token}).status == 401);
  auto out = browser.request("POST", "/api/auth/logout", "",
                             {with_cookie, "Origin: https://chat.example.com"});
  REQUIRE(out.status == 204);
  auto cleared = out.headers.at("set-cookie");
  CHECK(cleared.rfind("__Host-chatd_session=;", 0) == 0);
  CHECK(cleared.find("Max-Age=0") != std::string::npos);
  CHECK(cleared.find("; Secure") != std::string::npos);
  CHECK(browser.get("/api/auth/session", {with_cookie}).status == 401);
}

TEST_CASE("an http public origin leaves the session cookie as it was", "[integration][auth]") {
  service_fixture svc({"--public-origin", "http://chat.example.com"});
  auto cookie = cookie_of_registration(svc, "plain_user");
  INFO(cookie);
  CHECK(cookie.rfind("chatd_session=", 0) == 0);
  CHECK(cookie.find("Secure") == std::string::npos);
}

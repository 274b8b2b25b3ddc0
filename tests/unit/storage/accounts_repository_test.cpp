#include "storage/accounts_repository.hpp"

#include <catch2/catch.hpp>
#include <soci/soci.h>

#include "tests/unit/support/test_database.hpp"

using namespace chatd::domain;
using chatd::storage::accounts_repository;
using chatd::unit_test::test_database;

namespace {

constexpr unix_ms now = 1764087865123;
constexpr unix_ms hour = 3600 * 1000;

struct accounts : test_database {
  accounts_repository repo{*sql};
  user_record alice = *repo.create_user("Alice", "$argon2id$hash-a", now);
};

} // namespace

TEST_CASE_METHOD(accounts, "create_user returns the new user", "[storage][accounts]") {
  CHECK(alice.username == "Alice");
  CHECK(alice.id.rfind("u_", 0) == 0);
  auto bob = repo.create_user("bob", "$argon2id$hash-b", now);
  REQUIRE(bob);
  CHECK(bob->id != alice.id);
}

TEST_CASE_METHOD(accounts, "usernames are unique case-insensitively", "[storage][accounts]") {
  CHECK_FALSE(repo.create_user("Alice", "x", now));
  CHECK_FALSE(repo.create_user("alice", "x", now));
  CHECK_FALSE(repo.create_user("ALICE", "x", now));
  CHECK(number("SELECT COUNT(*) FROM users") == 1);
  // the database itself refuses a case variant, whoever inserts it
  CHECK_THROWS(*sql << "INSERT INTO users(id, username, password_hash, created_at) "
                       "VALUES('u_x', 'aLiCe', 'h', 0)");
}

TEST_CASE_METHOD(accounts, "find_user ignores case and returns the stored name and hash",
                 "[storage][accounts]") {
  for (const char* name : {"Alice", "alice", "ALICE"}) {
    auto found = repo.find_user(name);
    REQUIRE(found);
    CHECK(found->user.id == alice.id);
    CHECK(found->user.username == "Alice");
    CHECK(found->password_hash == "$argon2id$hash-a");
  }
  CHECK_FALSE(repo.find_user("bob"));
  CHECK_FALSE(repo.find_user("Alic"));
  CHECK_FALSE(repo.find_user("Alice%"));
}

TEST_CASE_METHOD(accounts, "a live session is found with its user and kind",
                 "[storage][accounts]") {
  repo.create_session("hash-cookie", alice.id, session_kind::cookie, now, now + 24 * hour);
  repo.create_session("hash-bearer", alice.id, session_kind::bearer, now, now + 24 * hour);
  auto cookie = repo.find_session("hash-cookie", now + 1, now - hour);
  REQUIRE(cookie);
  CHECK(cookie->user.id == alice.id);
  CHECK(cookie->user.username == "Alice");
  CHECK(cookie->kind == session_kind::cookie);
  CHECK(cookie->last_seen_at == now);
  auto bearer = repo.find_session("hash-bearer", now + 1, now - hour);
  REQUIRE(bearer);
  CHECK(bearer->kind == session_kind::bearer);
  CHECK_FALSE(repo.find_session("hash-unknown", now + 1, now - hour));
}

TEST_CASE_METHOD(accounts, "a revoked session is not found", "[storage][accounts]") {
  repo.create_session("h", alice.id, session_kind::cookie, now, now + 24 * hour);
  repo.revoke_session("h", now + 5);
  CHECK_FALSE(repo.find_session("h", now + 6, now - hour));
  repo.revoke_session("h", now + 10); // a second revocation keeps the first time
  CHECK(number("SELECT revoked_at FROM sessions WHERE token_hash = 'h'") == now + 5);
}

TEST_CASE_METHOD(accounts, "a session ends at its expiry time", "[storage][accounts]") {
  repo.create_session("h", alice.id, session_kind::bearer, now, now + hour);
  CHECK(repo.find_session("h", now + hour - 1, 0));
  CHECK_FALSE(repo.find_session("h", now + hour, 0));
  CHECK_FALSE(repo.find_session("h", now + 2 * hour, 0));
}

TEST_CASE_METHOD(accounts, "an idle cookie session ends but a bearer token has no idle check",
                 "[storage][accounts]") {
  repo.create_session("cookie", alice.id, session_kind::cookie, now, now + 30 * 24 * hour);
  repo.create_session("bearer", alice.id, session_kind::bearer, now, now + 30 * 24 * hour);
  const unix_ms later = now + 8 * 24 * hour;
  const unix_ms idle_cutoff = later - 7 * 24 * hour; // a week idle is too long
  CHECK_FALSE(repo.find_session("cookie", later, idle_cutoff));
  CHECK(repo.find_session("bearer", later, idle_cutoff));
  // last seen exactly at the cutoff is idle; one millisecond later is not
  CHECK_FALSE(repo.find_session("cookie", later, now));
  CHECK(repo.find_session("cookie", later, now - 1));
}

TEST_CASE_METHOD(accounts, "touching a session keeps a cookie alive", "[storage][accounts]") {
  repo.create_session("touched", alice.id, session_kind::cookie, now, now + 30 * 24 * hour);
  repo.create_session("untouched", alice.id, session_kind::cookie, now, now + 30 * 24 * hour);
  const unix_ms touched_at = now + 6 * 24 * hour;
  repo.touch_session("touched", touched_at);
  const unix_ms later = now + 12 * 24 * hour;
  const unix_ms idle_cutoff = later - 7 * 24 * hour;
  auto found = repo.find_session("touched", later, idle_cutoff);
  REQUIRE(found);
  CHECK(found->last_seen_at == touched_at);
  CHECK_FALSE(repo.find_session("untouched", later, idle_cutoff));
}

TEST_CASE_METHOD(accounts, "purge_sessions forgets expired and revoked sessions only",
                 "[storage][accounts]") {
  repo.create_session("live", alice.id, session_kind::cookie, now, now + 2 * hour);
  repo.create_session("expired", alice.id, session_kind::cookie, now, now + hour);
  repo.create_session("revoked", alice.id, session_kind::bearer, now, now + 2 * hour);
  repo.revoke_session("revoked", now + 1);
  CHECK(repo.purge_sessions(now + hour) == 2);
  CHECK(number("SELECT COUNT(*) FROM sessions") == 1);
  CHECK(repo.find_session("live", now + hour, now - 1));
  CHECK(repo.purge_sessions(now + hour) == 0);
}

TEST_CASE_METHOD(accounts, "timestamps beyond 2^31 ms are stored exactly", "[storage][accounts]") {
  const unix_ms big = (1LL << 41) + 123;
  repo.create_session("h", alice.id, session_kind::bearer, big, big + 1);
  auto found = repo.find_session("h", big, 0);
  REQUIRE(found);
  CHECK(found->last_seen_at == big);
}

TEST_CASE_METHOD(accounts, "sign-in places: one row per address, the newest time, old ones purged",
                 "[storage][accounts]") {
  repo.note_sign_in_place(alice.id, "198.51.100.7", now - 3 * hour);
  repo.note_sign_in_place(alice.id, "198.51.100.7", now - hour); // the same place again
  repo.note_sign_in_place(alice.id, "203.0.113.5", now - 2 * hour);
  auto places = repo.recent_sign_in_places(now - 10 * hour, 10);
  REQUIRE(places.size() == 2);
  CHECK(places[0].username == "Alice"); // with the name the throttle keys by
  CHECK(places[0].address == "198.51.100.7");
  CHECK(places[0].at == now - hour);
  CHECK(places[1].address == "203.0.113.5");
  CHECK(repo.recent_sign_in_places(now - 90 * 60 * 1000, 10).size() == 1); // after `since` only
  CHECK(repo.recent_sign_in_places(now - 10 * hour, 1).size() == 1);       // at most `limit`
  CHECK(repo.purge_sign_in_places(now - 90 * 60 * 1000) == 1);
  CHECK(number("SELECT COUNT(*) FROM sign_in_places") == 1);
  // They go with their account.
  *sql << "DELETE FROM users";
  CHECK(number("SELECT COUNT(*) FROM sign_in_places") == 0);
}

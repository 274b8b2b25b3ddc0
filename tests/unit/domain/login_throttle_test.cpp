#include "domain/login_throttle.hpp"

#include <catch2/catch.hpp>

using namespace chatd::domain;
using std::chrono::milliseconds;

namespace {

constexpr unix_ms throttle_t0 = 1764087865000;

login_throttle small() {
  login_throttle::limits l;
  l.per_pair = 3;
  l.pair_window = milliseconds(60000);
  l.per_account = 5;
  l.account_window = milliseconds(600000);
  return login_throttle(l);
}

} // namespace

TEST_CASE("logins may be tried until the pair limit is reached", "[login_throttle]") {
  auto t = small();
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0) == 0);
  t.record_attempt("alice", "10.0.0.1", throttle_t0);
  t.record_attempt("alice", "10.0.0.1", throttle_t0 + 1000);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 2000) == 0);
  t.record_attempt("alice", "10.0.0.1", throttle_t0 + 2000);
  // the oldest of the three leaves the 60 s window at throttle_t0 + 60 s
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 2000) == 58);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 58500) ==
        2); // rounded up to whole seconds
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 59999) == 1);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 60000) == 0);
}

TEST_CASE("the pair limit does not block the account from elsewhere", "[login_throttle]") {
  auto t = small();
  for (int i = 0; i < 3; ++i)
    t.record_attempt("alice", "10.0.0.1", throttle_t0 + i);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 10) > 0);
  CHECK(t.retry_after("alice", "10.0.0.2", throttle_t0 + 10) == 0);
  CHECK(t.retry_after("bob", "10.0.0.1", throttle_t0 + 10) == 0);
}

TEST_CASE("the account limit blocks every address", "[login_throttle]") {
  auto t = small();
  for (int i = 0; i < 5; ++i)
    t.record_attempt("alice", "10.0.0." + std::to_string(i), throttle_t0 + i * 1000);
  // the oldest failure leaves the 10 min window at throttle_t0 + 600 s
  CHECK(t.retry_after("alice", "192.168.1.1", throttle_t0 + 5000) == 595);
  CHECK(t.retry_after("alice", "10.0.0.0", throttle_t0 + 5000) == 595);
  CHECK(t.retry_after("bob", "192.168.1.1", throttle_t0 + 5000) == 0);
  CHECK(t.retry_after("alice", "192.168.1.1", throttle_t0 + 600000) == 0);
}

TEST_CASE("the longer of the two waits is given", "[login_throttle]") {
  auto t = small();
  for (int i = 0; i < 2; ++i)
    t.record_attempt("alice", "10.0.0.9", throttle_t0 + i);
  for (int i = 0; i < 3; ++i)
    t.record_attempt("alice", "10.0.0.1", throttle_t0 + 100000 + i);
  // pair: frees at throttle_t0 + 160 s; account (5 failures): frees at throttle_t0 + 600 s
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 100010) == 500);
}

TEST_CASE("a success clears the pair but not the account's count", "[login_throttle]") {
  auto t = small();
  for (int i = 0; i < 3; ++i)
    t.record_attempt("alice", "10.0.0.1", throttle_t0 + i);
  REQUIRE(t.retry_after("alice", "10.0.0.1", throttle_t0 + 10) > 0);
  t.record_attempt("alice", "10.0.0.3", throttle_t0 + 5);
  t.record_success("alice", "10.0.0.1", throttle_t0 + 5); // not a failure on the account
  t.record_success("alice", "10.0.0.3", throttle_t0 + 5);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0 + 10) == 0);
  t.record_attempt("alice", "10.0.0.2", throttle_t0 + 20);
  t.record_attempt("alice", "10.0.0.2", throttle_t0 + 30);
  CHECK(t.retry_after("alice", "10.0.0.9", throttle_t0 + 40) > 0); // 5 failures on the account
}

TEST_CASE("an address the owner signed in from is exempt from the account's limit only",
          "[login_throttle]") {
  auto t = small();
  t.record_attempt("alice", "home", throttle_t0);
  t.record_success("alice", "home", throttle_t0);
  // An attack from elsewhere fills the account's limit.
  for (int i = 0; i < 5; ++i)
    t.record_attempt("alice", "elsewhere" + std::to_string(i), throttle_t0 + 1 + i);
  CHECK(t.retry_after("alice", "new-place", throttle_t0 + 10) > 0);
  CHECK(t.retry_after("alice", "home", throttle_t0 + 10) == 0); // the owner is not locked out
  // Guessing from the known address still meets the limit of that address.
  for (int i = 0; i < 3; ++i)
    t.record_attempt("alice", "home", throttle_t0 + 20 + i);
  CHECK(t.retry_after("alice", "home", throttle_t0 + 30) > 0);
  // Known for 30 days, then like any other address.
  login_throttle fresh(login_throttle::limits{});
  fresh.record_attempt("bob", "home", throttle_t0);
  fresh.record_success("bob", "home", throttle_t0);
  for (int i = 0; i < 100; ++i)
    fresh.record_attempt("bob", "x" + std::to_string(i), throttle_t0 + 31LL * 24 * 3600 * 1000);
  CHECK(fresh.retry_after("bob", "home", throttle_t0 + 31LL * 24 * 3600 * 1000) > 0);
}

TEST_CASE("a remembered place is known like one signed in from in this run", "[login_throttle]") {
  auto t = small();
  t.remember_place("alice", "home", throttle_t0 - 1000);
  t.remember_place("alice", "home", throttle_t0 - 5000); // an older sign-in does not go back
  for (int i = 0; i < 5; ++i)
    t.record_attempt("alice", "elsewhere" + std::to_string(i), throttle_t0 + i);
  CHECK(t.is_known("alice", "home", throttle_t0 + 10));
  CHECK(t.retry_after("alice", "home", throttle_t0 + 10) == 0);
  CHECK(t.retry_after("alice", "elsewhere0", throttle_t0 + 10) > 0);
  CHECK_FALSE(t.is_known("alice", "home", throttle_t0 - 1000 + t.known_for().count()));
}

TEST_CASE("attempts count as failed while they are checked", "[login_throttle]") {
  auto t = small();
  // Three guesses sent at once: all counted before any of them is answered.
  for (int i = 0; i < 3; ++i)
    t.record_attempt("alice", "10.0.0.1", throttle_t0);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0) > 0);
  // One of them was right: the pair is cleared, the account keeps the other two.
  t.record_success("alice", "10.0.0.1", throttle_t0);
  CHECK(t.retry_after("alice", "10.0.0.1", throttle_t0) == 0);
  t.record_attempt("alice", "10.0.0.2", throttle_t0 + 1);
  t.record_attempt("alice", "10.0.0.2", throttle_t0 + 2);
  CHECK(t.retry_after("alice", "10.0.0.9", throttle_t0 + 3) == 0); // 4 on the account
  t.record_attempt("alice", "10.0.0.2", throttle_t0 + 3);
  CHECK(t.retry_after("alice", "10.0.0.9", throttle_t0 + 4) > 0); // 5
}

TEST_CASE("prune forgets what left the windows", "[login_throttle]") {
  auto t = small();
  CHECK(t.tracked_keys() == 0);
  t.record_attempt("alice", "10.0.0.1", throttle_t0);
  t.record_attempt("bob", "10.0.0.2", throttle_t0 + 30000);
  CHECK(t.tracked_keys() == 4);
  t.prune(throttle_t0 + 30000);
  CHECK(t.tracked_keys() == 4);
  t.prune(throttle_t0 + 60000); // alice's pair left its 60 s window
  CHECK(t.tracked_keys() == 3);
  t.prune(throttle_t0 + 90000); // bob's too
  CHECK(t.tracked_keys() == 2);
  t.prune(throttle_t0 + 630000); // and both accounts their 10 min windows
  CHECK(t.tracked_keys() == 0);
}

TEST_CASE("default limits: 10 per pair in 15 min, 100 per account in an hour", "[login_throttle]") {
  login_throttle t(login_throttle::limits{});
  for (int i = 0; i < 9; ++i)
    t.record_attempt("alice", "a", throttle_t0);
  CHECK(t.retry_after("alice", "a", throttle_t0) == 0);
  t.record_attempt("alice", "a", throttle_t0);
  CHECK(t.retry_after("alice", "a", throttle_t0) == 15 * 60);
  for (int i = 0; i < 90; ++i)
    t.record_attempt("alice", "b" + std::to_string(i), throttle_t0);
  CHECK(t.retry_after("alice", "zzz", throttle_t0) == 3600);
}

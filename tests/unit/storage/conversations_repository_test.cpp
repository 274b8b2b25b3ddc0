#include "storage/conversations_repository.hpp"

#include <catch2/catch.hpp>
#include <soci/soci.h>

#include "storage/accounts_repository.hpp"
#include "tests/unit/support/test_database.hpp"

using namespace chatd::domain;
using chatd::storage::accounts_repository;
using chatd::storage::conversations_repository;
using chatd::unit_test::test_database;

namespace {

constexpr unix_ms t0 = 1764087865123;
constexpr unix_ms day = 24LL * 3600 * 1000;

struct conversations : test_database {
  accounts_repository accounts{*sql};
  conversations_repository repo{*sql};
  std::string alice = accounts.create_user("alice", "h", t0)->id;
  std::string bob = accounts.create_user("bob", "h", t0)->id;

  std::string status_of(const std::string& message_id) {
    std::string s;
    *sql << "SELECT status FROM messages WHERE id = :id", soci::use(message_id), soci::into(s);
    return s;
  }
  std::string content_of(const std::string& message_id) {
    std::string s;
    *sql << "SELECT content FROM messages WHERE id = :id", soci::use(message_id), soci::into(s);
    return s;
  }
};

std::vector<std::string> ids_of(const std::vector<conversation_record>& list) {
  std::vector<std::string> out;
  for (auto& c : list)
    out.push_back(c.id);
  return out;
}

} // namespace

TEST_CASE_METHOD(conversations, "create stores a conversation that find returns",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "Trip \xE4\xB8\x96", t0);
  CHECK(c.id.rfind("c_", 0) == 0);
  CHECK(c.user_id == alice);
  CHECK(c.provider_ref.empty());
  CHECK(c.created_at == t0);
  CHECK(c.updated_at == t0);
  auto found = repo.find(alice, c.id);
  REQUIRE(found);
  CHECK(found->id == c.id);
  CHECK(found->user_id == alice);
  CHECK(found->title == "Trip \xE4\xB8\x96");
  CHECK(found->provider_ref.empty());
  CHECK(found->created_at == t0);
  CHECK(found->updated_at == t0);
}

TEST_CASE_METHOD(conversations, "list is most recently updated first, and only the user's own",
                 "[storage][conversations]") {
  const auto a = repo.create(alice, "a", t0 + 1);
  const auto b = repo.create(alice, "b", t0 + 3);
  const auto c = repo.create(alice, "c", t0 + 2);
  repo.create(bob, "bob's", t0 + 4);
  CHECK(ids_of(repo.list(alice)) == std::vector<std::string>{b.id, c.id, a.id});
  REQUIRE(repo.rename(alice, a.id, "a2", t0 + 5));
  CHECK(ids_of(repo.list(alice)) == std::vector<std::string>{a.id, b.id, c.id});
  CHECK(repo.list(bob).size() == 1);
  CHECK(repo.list("u_nobody").empty());
}

TEST_CASE_METHOD(conversations, "conversations updated at the same time list newest first",
                 "[storage][conversations]") {
  const auto first = repo.create(alice, "first", t0);
  const auto second = repo.create(alice, "second", t0);
  CHECK(ids_of(repo.list(alice)) == std::vector<std::string>{second.id, first.id});
}

TEST_CASE_METHOD(conversations, "another user's conversation id finds nothing and changes nothing",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "private", t0);
  CHECK_FALSE(repo.find(bob, c.id));
  CHECK_FALSE(repo.rename(bob, c.id, "stolen", t0 + 1));
  CHECK_FALSE(repo.remove(bob, c.id));
  auto still = repo.find(alice, c.id);
  REQUIRE(still);
  CHECK(still->title == "private");
  CHECK(still->updated_at == t0);
  // find_any is for actors that check owners themselves
  auto any = repo.find_any(c.id);
  REQUIRE(any);
  CHECK(any->user_id == alice);
  CHECK_FALSE(repo.find_any("c_missing"));
}

TEST_CASE_METHOD(conversations, "rename changes the title and the update time",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "old", t0);
  auto renamed = repo.rename(alice, c.id, "new \"title\"", t0 + 10);
  REQUIRE(renamed);
  CHECK(renamed->title == "new \"title\"");
  CHECK(renamed->updated_at == t0 + 10);
  CHECK(renamed->created_at == t0);
  CHECK_FALSE(repo.rename(alice, "c_missing", "x", t0));
}

TEST_CASE_METHOD(conversations, "remove deletes once and cascades to messages and keys",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "doomed", t0);
  repo.begin_turn(alice, c.id, "hello", "key-1", t0 + 1);
  repo.begin_turn(alice, c.id, "again", "", t0 + 2);
  REQUIRE(repo.messages(c.id).size() == 4);
  CHECK(repo.remove(alice, c.id));
  CHECK_FALSE(repo.find(alice, c.id));
  CHECK(repo.messages(c.id).empty());
  CHECK(number("SELECT COUNT(*) FROM messages") == 0);
  CHECK(number("SELECT COUNT(*) FROM idempotency_keys") == 0);
  CHECK_FALSE(repo.find_turn_by_key(alice, "key-1", t0 - day));
  CHECK_FALSE(repo.remove(alice, c.id));
}

TEST_CASE_METHOD(conversations, "begin_turn stores the user's message and a streaming answer",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  const auto turn = repo.begin_turn(alice, c.id, "Hello \xF0\x9F\x91\x8B", "", t0 + 7);
  CHECK(turn.conversation_id == c.id);
  CHECK(turn.user_message.id != turn.assistant_message.id);
  const auto stored = repo.messages(c.id);
  REQUIRE(stored.size() == 2);
  CHECK(stored[0].id == turn.user_message.id);
  CHECK(stored[0].role == message_role::user);
  CHECK(stored[0].content == "Hello \xF0\x9F\x91\x8B");
  CHECK(stored[0].status == message_status::complete);
  CHECK(stored[0].created_at == t0 + 7);
  CHECK(stored[1].id == turn.assistant_message.id);
  CHECK(stored[1].role == message_role::assistant);
  CHECK(stored[1].content.empty());
  CHECK(stored[1].status == message_status::streaming);
  CHECK(repo.find(alice, c.id)->updated_at == t0 + 7);
  CHECK(number("SELECT COUNT(*) FROM idempotency_keys") == 0);
}

TEST_CASE_METHOD(conversations,
                 "a turn carries the messages since the last complete answer, oldest first",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  auto first = repo.begin_turn(alice, c.id, "one", "", t0 + 1);
  CHECK(first.unchained.empty());
  repo.finish(first.assistant_message.id, c.id, "answer one", message_status::complete, "r1",
              t0 + 2);
  auto second = repo.begin_turn(alice, c.id, "two", "", t0 + 3);
  CHECK(second.unchained.empty()); // the chain holds everything before it
  repo.finish(second.assistant_message.id, c.id, "half", message_status::stopped, "", t0 + 4);
  auto third = repo.begin_turn(alice, c.id, "three", "", t0 + 5);
  repo.finish(third.assistant_message.id, c.id, "", message_status::failed, "", t0 + 6);
  auto fourth = repo.begin_turn(alice, c.id, "four", "", t0 + 7);
  REQUIRE(fourth.unchained.size() == 3); // the failed turn's empty answer is left out
  CHECK(fourth.unchained[0].role == message_role::user);
  CHECK(fourth.unchained[0].content == "two");
  CHECK(fourth.unchained[1].role == message_role::assistant);
  CHECK(fourth.unchained[1].content == "half");
  CHECK(fourth.unchained[2].content == "three");
  // A new conversation has nothing before its first turn, and is not asked.
  CHECK(repo.begin_turn(alice, repo.create(alice, "new", t0).id, "x", "", t0, true)
            .unchained.empty());
  auto newest = repo.unchained_messages(c.id, 2);
  REQUIRE(newest.size() == 2); // the newest two with text
  CHECK(newest[0].content == "three");
  CHECK(newest[1].content == "four");
}

TEST_CASE_METHOD(conversations, "messages keep the order of their turns",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  std::vector<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const auto turn = repo.begin_turn(alice, c.id, "q" + std::to_string(i), "", t0); // same time
    expected.push_back(turn.user_message.id);
    expected.push_back(turn.assistant_message.id);
  }
  std::vector<std::string> got;
  for (auto& m : repo.messages(c.id))
    got.push_back(m.id);
  CHECK(got == expected);
}

TEST_CASE_METHOD(conversations, "find_message is scoped by user", "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  const auto turn = repo.begin_turn(alice, c.id, "hi", "", t0);
  auto found = repo.find_message(alice, turn.assistant_message.id);
  REQUIRE(found);
  CHECK(found->conversation_id == c.id);
  CHECK(found->status == message_status::streaming);
  CHECK_FALSE(repo.find_message(bob, turn.assistant_message.id));
  CHECK_FALSE(repo.find_message(alice, "m_missing"));
}

TEST_CASE_METHOD(conversations, "an idempotency key finds its turn within 24 h only",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  const auto turn = repo.begin_turn(alice, c.id, "hi", "key-1", t0);
  auto again = repo.find_turn_by_key(alice, "key-1", t0 + day - 1 - day);
  REQUIRE(again);
  CHECK(again->conversation_id == c.id);
  CHECK(again->user_message.id == turn.user_message.id);
  CHECK(again->user_message.content == "hi");
  CHECK(again->assistant_message.id == turn.assistant_message.id);
  CHECK(again->assistant_message.status == message_status::streaming);
  CHECK_FALSE(repo.find_turn_by_key(alice, "key-1", t0 + day - day)); // exactly 24 h later
  CHECK_FALSE(repo.find_turn_by_key(bob, "key-1", t0 - day));
  CHECK_FALSE(repo.find_turn_by_key(alice, "key-2", t0 - day));
}

TEST_CASE_METHOD(conversations, "an expired idempotency key can start a new turn",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  repo.begin_turn(alice, c.id, "first", "key-1", t0);
  const auto later = t0 + day + 1;
  const auto second = repo.begin_turn(alice, c.id, "second", "key-1", later);
  auto found = repo.find_turn_by_key(alice, "key-1", later - day);
  REQUIRE(found);
  CHECK(found->user_message.id == second.user_message.id);
  CHECK(number("SELECT COUNT(*) FROM idempotency_keys") == 1);
}

TEST_CASE_METHOD(conversations,
                 "a live duplicate key fails begin_turn, whose transaction stores nothing",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  repo.begin_turn(alice, c.id, "first", "key-1", t0);
  {
    soci::transaction tr(*sql);
    CHECK_THROWS(repo.begin_turn(alice, c.id, "repeat", "key-1", t0 + 1000));
  } // rolled back
  CHECK(repo.messages(c.id).size() == 2);
  CHECK(repo.find(alice, c.id)->updated_at == t0);
}

TEST_CASE_METHOD(conversations, "the same key of two users names two turns",
                 "[storage][conversations]") {
  const auto ca = repo.create(alice, "a", t0);
  const auto cb = repo.create(bob, "b", t0);
  const auto ta = repo.begin_turn(alice, ca.id, "a", "shared", t0);
  const auto tb = repo.begin_turn(bob, cb.id, "b", "shared", t0);
  CHECK(repo.find_turn_by_key(alice, "shared", t0 - day)->user_message.id == ta.user_message.id);
  CHECK(repo.find_turn_by_key(bob, "shared", t0 - day)->user_message.id == tb.user_message.id);
}

TEST_CASE_METHOD(conversations, "purge_idempotency_keys drops keys older than the cutoff",
                 "[storage][conversations]") {
  const auto c = repo.create(alice, "chat", t0);
  repo.begin_turn(alice, c.id, "old", "old-key", t0);
  repo.begin_turn(alice, c.id, "new", "new-key", t0 + day);
  CHECK(repo.purge_idempotency_keys(t0) == 1);
  CHECK_FALSE(repo.find_turn_by_key(alice, "old-key", 0));
  CHECK(repo.find_turn_by_key(alice, "new-key", 0));
}

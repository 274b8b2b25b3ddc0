// conversations_repository: how an answer is checkpointed, finished and interrupted, and how
// its times are stored (the rest is in conversations_repository_test.cpp).
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

constexpr unix_ms answers_t0 = 1764087865123;

struct answer : test_database {
  accounts_repository accounts{*sql};
  conversations_repository repo{*sql};
  std::string alice = accounts.create_user("alice", "h", answers_t0)->id;
  conversation_record conv = repo.create(alice, "chat", answers_t0);
  turn_record turn = repo.begin_turn(alice, conv.id, "question", "", answers_t0 + 1);
  std::string id = turn.assistant_message.id;

  message_record stored(const std::string& message_id) {
    auto m = repo.find_message(alice, message_id);
    REQUIRE(m);
    return *m;
  }
  conversation_record conversation() { return *repo.find(alice, conv.id); }
};

} // namespace

TEST_CASE_METHOD(answer, "checkpoint saves a streaming answer's text", "[storage][answers]") {
  repo.checkpoint(id, "Hel", answers_t0 + 2);
  CHECK(stored(id).content == "Hel");
  CHECK(stored(id).status == message_status::streaming);
  repo.checkpoint(id, "Hello \xE4\xB8\x96", answers_t0 + 3);
  CHECK(stored(id).content == "Hello \xE4\xB8\x96");
}

TEST_CASE_METHOD(answer, "checkpoint leaves finished messages alone", "[storage][answers]") {
  REQUIRE(repo.finish(id, conv.id, "final", message_status::complete, "", answers_t0 + 2));
  repo.checkpoint(id, "late checkpoint", answers_t0 + 3);
  CHECK(stored(id).content == "final");
  repo.checkpoint(turn.user_message.id, "rewritten", answers_t0 + 3);
  CHECK(stored(turn.user_message.id).content == "question");
}

TEST_CASE_METHOD(answer, "finish stores the final text and status once", "[storage][answers]") {
  CHECK(repo.finish(id, conv.id, "the answer", message_status::complete, "resp_1", answers_t0 + 5));
  CHECK(stored(id).content == "the answer");
  CHECK(stored(id).status == message_status::complete);
  CHECK(conversation().provider_ref == "resp_1");
  CHECK(conversation().updated_at == answers_t0 + 5);

  CHECK_FALSE(repo.finish(id, conv.id, "other", message_status::failed, "resp_2", answers_t0 + 9));
  CHECK(stored(id).content == "the answer");
  CHECK(stored(id).status == message_status::complete);
  CHECK(conversation().provider_ref == "resp_1");
  CHECK(conversation().updated_at == answers_t0 + 5);
}

TEST_CASE_METHOD(answer, "finish keeps the provider reference when none is given",
                 "[storage][answers]") {
  REQUIRE(repo.finish(id, conv.id, "one", message_status::complete, "resp_1", answers_t0 + 2));
  const auto next = repo.begin_turn(alice, conv.id, "more", "", answers_t0 + 3);
  CHECK(repo.finish(next.assistant_message.id, conv.id, "part", message_status::stopped, "",
                    answers_t0 + 4));
  CHECK(conversation().provider_ref == "resp_1");
  CHECK(conversation().updated_at == answers_t0 + 4);
  CHECK(stored(next.assistant_message.id).status == message_status::stopped);
}

TEST_CASE_METHOD(answer, "a turn that continues the provider's chain carries the history",
                 "[storage][answers]") {
  REQUIRE(repo.finish(id, conv.id, "one", message_status::complete, "resp_1", answers_t0 + 2));
  const auto chained = repo.begin_turn(alice, conv.id, "more", "", answers_t0 + 3, false, true);
  REQUIRE(chained.history.size() == 2); // before this turn: the question and its answer
  CHECK(chained.history[0].role == message_role::user);
  CHECK(chained.history[0].content == "question");
  CHECK(chained.history[1].content == "one");
  CHECK(chained.unchained.empty());
  // Not chained: nothing to replace, nothing read.
  REQUIRE(repo.finish(chained.assistant_message.id, conv.id, "", message_status::failed, "",
                      answers_t0 + 4));
  const auto plain = repo.begin_turn(alice, conv.id, "again", "", answers_t0 + 5);
  CHECK(plain.history.empty());
  CHECK(repo.recent_messages(conv.id, 2).size() == 2); // at most the limit, the newest
  CHECK(repo.recent_messages(conv.id, 2)[1].content == "again");
}

TEST_CASE_METHOD(answer, "finish refuses a message that is not streaming", "[storage][answers]") {
  CHECK_FALSE(
      repo.finish(turn.user_message.id, conv.id, "x", message_status::complete, "r", answers_t0));
  CHECK_FALSE(repo.finish("m_missing", conv.id, "x", message_status::complete, "r", answers_t0));
  CHECK(conversation().provider_ref.empty());
  CHECK(stored(turn.user_message.id).content == "question");
}

TEST_CASE_METHOD(answer, "interrupt_streaming marks only streaming answers", "[storage][answers]") {
  const auto other = repo.create(alice, "other", answers_t0);
  const auto second = repo.begin_turn(alice, other.id, "q2", "", answers_t0 + 2);
  const auto third = repo.begin_turn(alice, other.id, "q3", "", answers_t0 + 3);
  REQUIRE(repo.finish(third.assistant_message.id, other.id, "done", message_status::complete, "",
                      answers_t0 + 4));
  repo.checkpoint(id, "partial", answers_t0 + 5);
  CHECK(repo.interrupt_streaming(answers_t0 + 10) == 2);
  CHECK(stored(id).status == message_status::interrupted);
  CHECK(stored(id).content == "partial");
  CHECK(stored(second.assistant_message.id).status == message_status::interrupted);
  CHECK(stored(third.assistant_message.id).status == message_status::complete);
  CHECK(stored(turn.user_message.id).status == message_status::complete);
  CHECK(repo.interrupt_streaming(answers_t0 + 11) == 0);
  // an interrupted answer is finished: it cannot be finished again
  CHECK_FALSE(repo.finish(id, conv.id, "late", message_status::complete, "", answers_t0 + 12));
}

TEST_CASE("timestamps at and beyond 2^31 ms round-trip exactly", "[storage][answers]") {
  for (unix_ms t : std::vector<unix_ms>{(1LL << 31) - 1, 1LL << 31, (1LL << 32) + 7, answers_t0,
                                        253402300799999LL}) {
    test_database db;
    accounts_repository accounts{*db.sql};
    conversations_repository repo{*db.sql};
    const auto user = accounts.create_user("alice", "h", t)->id;
    const auto c = repo.create(user, "chat", t);
    const auto turn = repo.begin_turn(user, c.id, "q", "key", t);
    INFO(t);
    CHECK(repo.find(user, c.id)->created_at == t);
    CHECK(repo.find_any(c.id)->updated_at == t);
    CHECK(repo.list(user).at(0).created_at == t);
    for (auto& m : repo.messages(c.id))
      CHECK(m.created_at == t);
    CHECK(repo.find_message(user, turn.user_message.id)->created_at == t);
    CHECK(repo.find_turn_by_key(user, "key", t - 1));
    REQUIRE(repo.finish(turn.assistant_message.id, c.id, "a", message_status::complete, "", t + 1));
    CHECK(repo.find(user, c.id)->updated_at == t + 1);
    CHECK(repo.rename(user, c.id, "renamed", t + 2)->updated_at == t + 2);
  }
}

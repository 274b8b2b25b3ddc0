#include "actors/storage_reader.hpp"

#include <memory>
#include <pthread.h>

#include <caf/actor_pool.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <soci/soci.h>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "storage/accounts_repository.hpp"
#include "storage/conversations_repository.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;

struct reader_state {
  static constexpr const char* name = "storage_reader";
  std::unique_ptr<soci::session> sql;
};

/// Blocking by design: it is spawned detached, so its SQLite calls hold only its own thread.
storage_reader_actor::behavior_type
storage_reader(storage_reader_actor::stateful_pointer<reader_state> self,
               storage::database_options opts) {
  pthread_setname_np(pthread_self(), "chatd.reader");
  self->state.sql = storage::open_database(opts);
  auto& sql = *self->state.sql;
  return {
      [&sql](const find_user_query& q) -> caf::result<user_secret> {
        storage::accounts_repository accounts(sql);
        auto found = accounts.find_user(q.username);
        if (!found)
          return not_found_error("this user");
        return user_secret{found->user, found->password_hash};
      },
      [&sql](const find_session_query& q) -> caf::result<session_info> {
        storage::accounts_repository accounts(sql);
        auto found = accounts.find_session(q.token_hash, now_ms(), q.idle_cutoff);
        if (!found)
          return to_caf_error(error_code::unauthenticated, "sign in first");
        return *found;
      },
      [&sql](const recent_sign_in_places_query& q) -> std::vector<sign_in_place> {
        // Bounded like the throttle's own memory of places.
        return storage::accounts_repository(sql).recent_sign_in_places(q.since, 100'000);
      },
      [&sql](const list_conversations_query& q) -> std::vector<conversation_record> {
        return storage::conversations_repository(sql).list(q.user_id);
      },
      [&sql](const get_conversation_query& q) -> caf::result<conversation_record> {
        auto found = storage::conversations_repository(sql).find_any(q.conversation_id);
        if (!found)
          return not_found_error("this conversation");
        return *found;
      },
      [&sql](const get_messages_query& q) -> std::vector<message_record> {
        return storage::conversations_repository(sql).messages(q.conversation_id);
      },
      [&sql](const find_message_query& q) -> caf::result<message_record> {
        auto found = storage::conversations_repository(sql).find_message(q.user_id, q.message_id);
        if (!found)
          return not_found_error("this message");
        return *found;
      },
      [&sql](const find_turn_query& q) -> caf::result<turn_record> {
        auto since = now_ms() - idempotency_key_lifetime_ms;
        auto found = storage::conversations_repository(sql).find_turn_by_key(
            q.user_id, q.idempotency_key, since);
        if (!found)
          return not_found_error("this turn");
        return *found;
      },
      [&sql](ping_atom) {
        int one = 0;
        sql << "SELECT 1", soci::into(one);
        return one == 1;
      },
      [&sql](const find_any_message_query& q) -> caf::result<owned_message> {
        auto found = storage::conversations_repository(sql).find_message_with_owner(q.message_id);
        if (!found)
          return not_found_error("this message");
        return owned_message{std::move(found->first), std::move(found->second)};
      },
  };
}

} // namespace

storage_reader_actor spawn_storage_readers(caf::actor_system& sys, storage::database_options opts,
                                           std::size_t count) {
  auto factory = [&sys, opts] {
    return caf::actor_cast<caf::actor>(sys.spawn<caf::detached>(storage_reader, opts));
  };
  auto pool = caf::actor_pool::make(sys.dummy_execution_unit(), count, factory,
                                    caf::actor_pool::round_robin());
  return caf::actor_cast<storage_reader_actor>(pool);
}

} // namespace chatd::actors

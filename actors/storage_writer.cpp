#include "actors/storage_writer.hpp"

#include <functional>
#include <pthread.h>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "domain/login_throttle.hpp"
#include "storage/accounts_repository.hpp"
#include "storage/conversations_repository.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;

/// How long background changes wait for others to share their commit.
constexpr std::chrono::milliseconds background_window{100};

/// After the database refuses a transaction, how long further ones are refused at once.
constexpr std::chrono::milliseconds refusal_window{1000};

/// While the database refuses changes, how often an empty transaction checks it again.
constexpr std::chrono::milliseconds probe_interval{1000};

/// The most requests one commit takes, so that a flood cannot delay the first reply for long.
constexpr std::size_t max_batch = 512;

/// How often rows past their use are deleted.
constexpr std::chrono::hours purge_interval{1};

/// The open transaction and the replies that wait for its commit.
class group_commit {
public:
  group_commit(soci::session& sql, std::shared_ptr<storage_health> health)
      : sql_(sql), health_(std::move(health)), savepoint_(sql.prepare << "SAVEPOINT step"),
        release_(sql.prepare << "RELEASE step") {}

  /// Runs `work` inside the current transaction, isolated by a savepoint; its result (or
  /// error) is delivered to `rp` after the commit.
  template<class Work> void run(caf::response_promise rp, Work&& work) {
    if (!begin()) {
      rp.deliver(to_caf_error(error_code::internal_error,
                              "the database is busy or cannot be written; try again"));
      return;
    }
    try {
      savepoint_.execute(true);
      auto result = work();
      release_.execute(true);
      if (rp.pending()) // background work has nobody to answer
        waiting_.push_back(
            {std::move(rp), [result = std::move(result)](caf::response_promise& p) mutable {
               deliver(p, result);
             }});
    } catch (const std::exception&) {
      undo_step();
      rp.deliver(to_caf_error(error_code::internal_error, "the database refused the change"));
    }
  }

  /// Runs `work` with no one waiting for an answer.
  template<class Work> void run_quietly(Work&& work) {
    run(caf::response_promise{}, [&] {
      work();
      return true;
    });
  }

  /// Commits, then answers everyone in the group.
  /// Commits made so far.
  std::uint64_t commits() const { return commits_; }

  /// Changes are waiting to be committed, and nobody waits for their answer.
  bool only_background_work() const { return open_ && waiting_.empty(); }

  void commit() {
    if (!open_)
      return;
    open_ = false;
    ++commits_;
    bool committed = true;
    try {
      sql_ << "COMMIT";
      note_health(true, "");
    } catch (const std::exception& e) {
      committed = false;
      note_health(false, e.what());
      try {
        sql_ << "ROLLBACK";
      } catch (const std::exception&) {
      }
    }
    if (!committed)
      return fail_waiting();
    for (auto& w : waiting_)
      w.deliver(w.rp);
    waiting_.clear();
  }

private:
  struct waiting {
    caf::response_promise rp;
    std::function<void(caf::response_promise&)> deliver;
  };

  template<class T> static void deliver(caf::response_promise& rp, T& result) {
    rp.deliver(std::move(result));
  }

  template<class T> static void deliver(caf::response_promise& rp, caf::expected<T>& result) {
    if (result)
      rp.deliver(std::move(*result));
    else
      rp.deliver(result.error());
  }

  /// Undoes a failed step. On a full disk or an I/O error SQLite may roll back the whole
  /// transaction by itself: the steps before this one are then gone too, and are told so.
  void undo_step() {
    try {
      sql_ << "ROLLBACK TO step";
      release_.execute(true);
    } catch (const std::exception&) {
      // No such savepoint any more: see below.
    }
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
    if (!sqlite_api::sqlite3_get_autocommit(backend->conn_))
      return; // the transaction is still open
    open_ = false;
    note_health(false, "the transaction was rolled back");
    fail_waiting();
  }

  /// Tells everyone waiting on the group that their change was not committed.
  void fail_waiting() {
    for (auto& w : waiting_)
      w.rp.deliver(to_caf_error(error_code::internal_error, "the database could not commit"));
    waiting_.clear();
  }

  /// Opens the group's transaction if none is open; false when the database refuses. Right
  /// after a refusal the next ones come at once: each would otherwise wait a whole busy
  /// timeout in turn, and the requests queued behind the first would outlive their callers.
  bool begin() {
    if (open_)
      return true;
    if (std::chrono::steady_clock::now() < refusing_until_)
      return false;
    try {
      sql_ << "BEGIN IMMEDIATE";
    } catch (const std::exception& e) {
      note_health(false, e.what());
      refusing_until_ = std::chrono::steady_clock::now() + refusal_window;
      return false;
    }
    open_ = true;
    return true;
  }

public:
  /// Whether the last attempt to write failed.
  bool failing() const { return health_->writes_failing.load(); }

  /// Tries an empty transaction, so that a database that takes changes again shows as healthy
  /// without waiting for a client's change.
  void probe() {
    refusing_until_ = {};
    if (begin())
      commit();
  }

private:
  /// Logs the changes between writing and failing to write, and tells the health flag.
  void note_health(bool ok, const char* why) {
    bool was_failing = health_->writes_failing.exchange(!ok);
    if (!ok && !was_failing)
      spdlog::error("event=storage_write_failed error=\"{}\"", why);
    else if (ok && was_failing)
      spdlog::warn("event=storage_write_recovered");
  }

  soci::session& sql_;
  std::shared_ptr<storage_health> health_;
  std::chrono::steady_clock::time_point refusing_until_{};
  // Prepared once: every change in a group runs both.
  soci::statement savepoint_;
  soci::statement release_;
  bool open_ = false;
  std::uint64_t commits_ = 0;
  std::vector<waiting> waiting_;
};

void writer_loop(caf::blocking_actor* self, storage::database_options opts,
                 std::shared_ptr<storage_health> health) {
  pthread_setname_np(pthread_self(), "chatd.storage");
  auto sql = storage::open_database(opts);
  bool running = true;
  caf::response_promise closing;
  // Everything that holds prepared statements lives in this block: it must be gone before
  // the session closes below.
  {
    storage::accounts_repository accounts(*sql);
    storage::conversations_repository conversations(*sql);
    group_commit tx(*sql, std::move(health));
    // The handlers, named so that every receive below can list them.
    auto on_create_user = [&](create_user_cmd& cmd) {
      tx.run(self->make_response_promise(), [&]() -> caf::expected<user_record> {
        auto user = accounts.create_user(cmd.username, cmd.password_hash, now_ms());
        if (!user)
          return to_caf_error(error_code::username_taken, "this username is taken");
        return *user;
      });
    };
    auto on_create_session = [&](create_session_cmd& cmd) {
      tx.run(self->make_response_promise(), [&] {
        auto now = now_ms();
        accounts.create_session(cmd.token_hash, cmd.user_id, cmd.kind, now, cmd.expires_at);
        if (!cmd.sign_in_address.empty())
          accounts.note_sign_in_place(cmd.user_id, cmd.sign_in_address, now);
        return true;
      });
    };
    auto on_touch_session = [&](touch_session_cmd& cmd) {
      tx.run_quietly([&] { accounts.touch_session(cmd.token_hash, now_ms()); });
    };
    auto on_revoke_session = [&](revoke_session_cmd& cmd) {
      tx.run(self->make_response_promise(), [&] {
        accounts.revoke_session(cmd.token_hash, now_ms());
        return true;
      });
    };
    auto on_create_conversation = [&](create_conversation_cmd& cmd) {
      tx.run(self->make_response_promise(),
             [&] { return conversations.create(cmd.user_id, cmd.title, now_ms()); });
    };
    auto on_rename_conversation = [&](rename_conversation_cmd& cmd) {
      tx.run(self->make_response_promise(), [&]() -> caf::expected<conversation_record> {
        auto c = conversations.rename(cmd.user_id, cmd.conversation_id, cmd.title, now_ms());
        if (!c)
          return not_found_error("this conversation");
        return *c;
      });
    };
    auto on_delete_conversation = [&](delete_conversation_cmd& cmd) {
      tx.run(self->make_response_promise(),
             [&] { return conversations.remove(cmd.user_id, cmd.conversation_id); });
    };
    auto on_begin_turn = [&](begin_turn_cmd& cmd) {
      tx.run(self->make_response_promise(), [&] {
        auto now = now_ms();
        if (cmd.new_conversation)
          conversations.insert(
              {cmd.conversation_id, cmd.user_id, cmd.new_conversation_title, "", now, now});
        return conversations.begin_turn(cmd.user_id, cmd.conversation_id, cmd.text,
                                        cmd.idempotency_key, now, cmd.new_conversation,
                                        cmd.chained);
      });
    };
    auto on_checkpoint = [&](checkpoint_cmd& cmd) {
      tx.run_quietly([&] { conversations.checkpoint(cmd.message_id, cmd.content, now_ms()); });
    };
    auto on_finish_turn = [&](finish_turn_cmd& cmd) {
      tx.run(self->make_response_promise(), [&] {
        conversations.finish(cmd.message_id, cmd.conversation_id, cmd.content, cmd.status,
                             cmd.provider_ref, now_ms(), cmd.ending);
        message_record m;
        m.id = cmd.message_id;
        m.conversation_id = cmd.conversation_id;
        m.role = message_role::assistant;
        m.content = cmd.content;
        m.status = cmd.status;
        m.ending = cmd.ending;
        return m;
      });
    };
    // Rows that no request can use any more: ended sessions, day-old idempotency keys, sign-in
    // places past their memory. Run first (see spawn_storage_writer), then every `purge_interval`.
    auto on_purge = [&](purge_atom) {
      tx.run_quietly([&] {
        auto now = now_ms();
        auto sessions = accounts.purge_sessions(now);
        auto keys = conversations.purge_idempotency_keys(now - idempotency_key_lifetime_ms);
        auto places =
            accounts.purge_sign_in_places(now - login_throttle::limits{}.known_for.count());
        if (sessions + keys + places > 0)
          spdlog::info("event=purge sessions={} idempotency_keys={} sign_in_places={}", sessions,
                       keys, places);
      });
      self->delayed_send(caf::actor_cast<caf::actor>(self), purge_interval, purge_atom::value);
    };
    auto on_close = [&](close_atom) {
      running = false;
      closing = self->make_response_promise();
    };
    auto on_exit = [&](caf::exit_msg&) { running = false; };
    auto on_status = [&](status_atom) {
      return storage_status{self->mailbox().size(), tx.commits()};
    };
    // One message for any of the handlers above, or `extra` (a timeout).
    auto receive = [&](auto&&... extra) {
      self->receive(on_create_user, on_create_session, on_touch_session, on_revoke_session,
                    on_create_conversation, on_rename_conversation, on_delete_conversation,
                    on_begin_turn, on_checkpoint, on_finish_turn, on_purge, on_close, on_exit,
                    on_status, std::forward<decltype(extra)>(extra)...);
    };
    while (running) {
      if (tx.failing()) {
        bool quiet = false;
        receive(caf::after(probe_interval) >> [&] { quiet = true; });
        if (quiet) {
          tx.probe();
          continue;
        }
      } else {
        receive();
      }
      // Then whatever queued up meanwhile: all of it goes into one commit. Without waiting,
      // while someone waits for an answer; background changes alone (checkpoints, session
      // touches) wait up to `background_window` for company, so that a thousand live answers'
      // checkpoints cost a few commits a second rather than a thousand.
      auto deadline = std::chrono::steady_clock::now() + background_window;
      for (std::size_t n = 1; running && n < max_batch; ++n) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!tx.only_background_work() || wait.count() < 0) {
          // Someone waits for this commit: take only what has already arrived. (A receive
          // with a zero timeout would still sleep until a timer fires, tens of µs later.)
          if (!self->has_next_message())
            break;
          wait = std::chrono::milliseconds(0);
        }
        bool more = true;
        receive(caf::after(wait) >> [&] { more = false; });
        if (!more)
          break;
      }
      tx.commit();
    }
  }
  sql.reset();
  if (closing.pending())
    closing.deliver(true);
}

} // namespace

storage_writer_actor spawn_storage_writer(caf::actor_system& sys, storage::database_options opts,
                                          std::shared_ptr<storage_health> health) {
  if (!health)
    health = std::make_shared<storage_health>();
  auto writer = caf::actor_cast<storage_writer_actor>(
      sys.spawn(writer_loop, std::move(opts), std::move(health)));
  // The first purge goes first in the mailbox: before any request, whoever sends it.
  caf::anon_send(writer, purge_atom::value);
  return writer;
}

} // namespace chatd::actors

#include "actors/conversation.hpp"

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/conversation_turn.hpp"
#include "actors/errors.hpp"
#include "actors/frames.hpp"
#include "actors/metrics.hpp"
#include "domain/sse_encoder.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using conversation_ptr = conversation_actor::stateful_pointer<conversation_state>;
using phase = live_turn::phase;
using turn_steps::is_live;

/// Whether `user_id` may see this conversation (and whether it exists at all).
bool owned_by(const conversation_state& st, const std::string& user_id) {
  return !st.missing && st.record && st.record->user_id == user_id;
}

/// The running turn, if `job` is its provider call: events of cancelled or earlier calls that
/// were already on their way are ignored.
live_turn* running_job(conversation_ptr self, std::uint64_t job) {
  auto& turn = self->state.turn;
  if (!turn || turn->at != phase::running || turn->job != job)
    return nullptr;
  return &*turn;
}

void touch(conversation_ptr self) {
  self->state.last_activity = std::chrono::steady_clock::now();
}

/// Ends a live turn at once because the conversation goes away; nothing more is stored.
void abandon_turn(conversation_ptr self, api_error why) {
  auto& st = self->state;
  if (!is_live(st))
    return;
  auto& turn = *st.turn;
  if (turn.at == phase::running)
    self->send(st.deps.supervisor, cancel_upstream_cmd{turn.job});
  if (turn.log) {
    auto id = turn.log->last_id() + 1;
    auto frame = make_frame(id, encode_sse(id, error_event{why, false, false}), true);
    turn_outcome outcome{
        st.id, turn.ids.user_message.id, turn.ids.assistant_message, true, why.code, why.message};
    for (auto& sub : turn.subscribers) {
      self->send(sub, frame);
      self->send(sub, outcome);
    }
  }
  turn.subscribers.clear();
  if (turn.log) {
    metrics().streams_active.fetch_sub(1, std::memory_order_relaxed);
    metrics().turns_failed.fetch_add(1, std::memory_order_relaxed);
  }
  turn.at = phase::done;
  self->send(st.deps.registry, turn_finished_notice{st.id});
}

const char* phase_name(phase p) {
  switch (p) {
  case phase::committing:
    return "committing";
  case phase::running:
    return "running";
  case phase::finishing:
    return "finishing";
  case phase::done:
    break;
  }
  return "done";
}

conversation_info describe(conversation_ptr self) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  conversation_info info;
  info.conversation_id = st.id;
  info.found = !st.missing && st.record.has_value();
  if (st.record) {
    info.user_id = st.record->user_id;
    info.title = st.record->title;
  }
  info.live = is_live(st);
  info.mailbox = self->mailbox().size();
  info.idle_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - st.last_activity).count();
  if (info.live) {
    auto& t = *st.turn;
    info.streams.push_back(
        stream_info{st.id, t.user_id, t.ids.assistant_message.id, t.request_id, phase_name(t.at),
                    std::chrono::duration_cast<std::chrono::milliseconds>(now - t.started).count(),
                    t.log ? t.log->chunks() : 0, t.subscribers.size(), t.fallback});
  }
  return info;
}

} // namespace

conversation_actor::behavior_type conversation(conversation_ptr self, std::string id,
                                               std::optional<conversation_record> preloaded,
                                               conversation_config config, conversation_deps deps,
                                               bool unsaved) {
  auto& st = self->state;
  st.id = std::move(id);
  st.unsaved = unsaved && preloaded.has_value();
  st.config = std::move(config);
  st.deps = std::move(deps);
  st.record = std::move(preloaded);
  touch(self);
  if (!st.record) {
    // Nothing else is handled until the record is here (await suspends the mailbox).
    self->request(st.deps.reader, caf::infinite, get_conversation_query{st.id})
        .await([self](conversation_record& rec) { self->state.record = std::move(rec); },
               [self](caf::error&) { self->state.missing = true; });
  }
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& turn = self->state.turn;
    if (!turn)
      return;
    auto& subs = turn->subscribers;
    subs.erase(std::remove_if(subs.begin(), subs.end(),
                              [&](const subscriber_actor& s) { return s.address() == dm.source; }),
               subs.end());
  });
  self->delayed_send(self, st.config.idle_timeout / 2, idle_atom::value);
  return {
      // -- from the provider, through the upstream and the supervisor ----------------------------
      [self](upstream_started&) {},
      [self](upstream_text& msg) {
        if (running_job(self, msg.job))
          turn_steps::relay_text(self, msg.delta);
      },
      [self](upstream_done& msg) {
        auto* turn = running_job(self, msg.job);
        if (!turn)
          return;
        // A streamed answer is what the subscribers saw; a fallback's text replaces it.
        auto text =
            msg.fallback || turn->log->text().empty() ? std::move(msg.text) : turn->log->text();
        turn_steps::finish(self, message_status::complete, std::move(text), msg.response_id);
      },
      [self](upstream_restarted& msg) {
        if (auto* turn = running_job(self, msg.job))
          turn->fallback = true;
      },
      [self](upstream_failed& msg) {
        auto* turn = running_job(self, msg.job);
        if (!turn)
          return;
        turn_steps::finish(self, message_status::failed, turn->log->text(), "",
                           turn_steps::turn_failure{{msg.code, msg.message}, msg.retryable});
      },
      // -- from the registry ------------------------------------------------------------------
      [self](start_turn_cmd& cmd, subscriber_actor& sub) -> caf::result<turn_started> {
        ++self->state.received;
        touch(self);
        if (!owned_by(self->state, cmd.user_id))
          return not_found_error("this conversation");
        return turn_steps::begin(self, std::move(cmd), std::move(sub));
      },
      [self](subscribe_msg& msg, subscriber_actor& sub) -> caf::result<turn_started> {
        auto& st = self->state;
        ++st.received;
        touch(self);
        if (!owned_by(st, msg.user_id))
          return not_found_error("this conversation");
        auto& turn = st.turn;
        if (turn && turn->log && turn->ids.assistant_message.id == msg.message.id) {
          const auto& log = *turn->log;
          const bool replays_ending = log.finished() && log.last_id() > msg.last_event_id;
          for (auto& f : log.frames_after(msg.last_event_id))
            self->send(
                sub, make_frame(f.id, std::move(f.bytes), log.finished() && f.id == log.last_id()));
          if (turn->at != phase::done) {
            turn->subscribers.push_back(sub);
            self->monitor(sub);
          } else if (turn->stored && replays_ending) {
            self->send(sub, outcome_of(*turn->stored, turn->ids.user_message.id));
          } else if (turn->stored) {
            // Asked for what follows the last event: the stored ending, as when the events
            // are no longer held, so that this stream too ends with `complete` or `error`.
            send_stored_ending(sub, *turn->stored, msg.last_event_id, turn->ids.user_message.id);
          }
          return turn_started{st.id, turn->ids.user_message.id, turn->ids.assistant_message.id};
        }
        send_stored_ending(sub, msg.message, msg.last_event_id, msg.user_message_id);
        return turn_started{st.id, msg.user_message_id, msg.message.id};
      },
      [self](stop_msg& msg) -> caf::result<message_record> {
        auto& st = self->state;
        ++st.received;
        touch(self);
        if (!owned_by(st, msg.user_id))
          return not_found_error("this conversation");
        auto& turn = st.turn;
        if (!turn || turn->ids.assistant_message.id != msg.message.id)
          return msg.message;
        if (turn->at == phase::done && turn->stored)
          return *turn->stored;
        auto rp = self->make_response_promise<message_record>();
        turn->stop_waiters.push_back(rp);
        turn_steps::cut_short(self, message_status::stopped);
        return rp;
      },
      [self](close_atom) {
        ++self->state.received;
        abandon_turn(self, {error_code::not_found, "the conversation was deleted"});
        self->quit();
        return true;
      },
      [self](drain_cmd& cmd) {
        auto now = now_ms();
        if (!is_live(self->state))
          return;
        if (now < cmd.deadline) {
          self->delayed_send(self, std::chrono::milliseconds(cmd.deadline - now), cmd);
          return;
        }
        turn_steps::cut_short(
            self, message_status::interrupted,
            turn_steps::turn_failure{
                {error_code::shutting_down, "the service is restarting; try again"}, true});
      },
      [self](evict_atom) { self->quit(); },
      [self](store_final_atom) {
        if (self->state.turn && self->state.turn->storing)
          turn_steps::store_final(self);
        else
          turn_steps::store_late(self);
      },
      [self](inspect_atom) { return describe(self); },
      // -- timers -------------------------------------------------------------------------------
      [self](checkpoint_atom) {
        auto& st = self->state;
        if (!st.turn || st.turn->at != phase::running)
          return;
        auto& turn = *st.turn;
        if (turn.log->text().size() != turn.checkpointed) {
          turn.checkpointed = turn.log->text().size();
          self->send(st.deps.writer,
                     checkpoint_cmd{turn.ids.assistant_message.id, turn.log->text()});
        }
        turn_steps::schedule_checkpoint(self);
      },
      [self](idle_atom) {
        auto& st = self->state;
        auto quiet = std::chrono::steady_clock::now() - st.last_activity;
        if (!is_live(st) && !st.late_store && quiet >= st.config.idle_timeout)
          self->send(st.deps.registry, idle_notice{st.id, st.received});
        self->delayed_send(self, st.config.idle_timeout / 2, idle_atom::value);
      },
  };
}

} // namespace chatd::actors

#include "actors/conversation_turn.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "actors/frames.hpp"
#include "actors/metrics.hpp"
#include "actors/supervisor.hpp"
#include "domain/sse_encoder.hpp"
#include "domain/stored_ending.hpp"
#include "domain/utf8.hpp"

namespace chatd::actors::turn_steps {

namespace {

using namespace chatd::domain;
using std::chrono::steady_clock;
using phase = live_turn::phase;

void publish(conversation_ptr self, std::uint64_t id, std::string bytes, bool terminal) {
  auto frame = make_frame(id, std::move(bytes), terminal);
  for (auto& sub : self->state.turn->subscribers)
    self->send(sub, frame);
}

void count_finish(message_status status) {
  auto& m = metrics();
  m.streams_active.fetch_sub(1, std::memory_order_relaxed);
  switch (status) {
  case message_status::complete:
    m.turns_completed.fetch_add(1, std::memory_order_relaxed);
    break;
  case message_status::stopped:
    m.turns_stopped.fetch_add(1, std::memory_order_relaxed);
    break;
  case message_status::interrupted:
    m.turns_interrupted.fetch_add(1, std::memory_order_relaxed);
    break;
  case message_status::failed:
  case message_status::streaming:
    m.turns_failed.fetch_add(1, std::memory_order_relaxed);
    break;
  }
}

std::int64_t ms_between(steady_clock::time_point from, steady_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

void start_upstream(conversation_ptr self, const std::string& text) {
  auto& st = self->state;
  auto& turn = *st.turn;
  turn.job = new_job_id();
  responses_request request{st.config.model,
                            text,
                            st.record->provider_ref,
                            turn.streaming,
                            std::move(turn.ids.unchained),
                            std::move(turn.ids.history)};
  auto job = turn.job;
  self->request(st.deps.supervisor, caf::infinite,
                start_upstream_cmd{job, std::move(request), turn.request_id},
                caf::actor_cast<upstream_sink_actor>(self))
      .then([](bool) {},
            [self, job](caf::error& err) {
              auto& turn = self->state.turn;
              if (!turn || turn->job != job || turn->at != phase::running)
                return;
              finish(self, message_status::failed, turn->log->text(), "",
                     turn_failure{to_api_error(err), true});
            });
  schedule_checkpoint(self);
}

} // namespace

bool is_live(const conversation_state& st) {
  return st.turn && st.turn->at != phase::done;
}

caf::result<turn_started> begin(conversation_ptr self, start_turn_cmd cmd, subscriber_actor sub) {
  auto& st = self->state;
  if (is_live(st))
    return to_caf_error(error_code::stream_in_progress,
                        "an answer is still being written in this conversation");
  st.turn.emplace();
  auto& turn = *st.turn;
  turn.user_id = cmd.user_id;
  turn.streaming = cmd.streaming;
  turn.request_id = cmd.request_id;
  turn.started = steady_clock::now();
  turn.subscribers.push_back(sub);
  self->monitor(sub);
  auto rp = self->make_response_promise<turn_started>();
  auto text = cmd.text;
  begin_turn_cmd commit;
  commit.user_id = cmd.user_id;
  commit.conversation_id = st.id;
  commit.text = std::move(cmd.text);
  commit.idempotency_key = std::move(cmd.idempotency_key);
  commit.chained = !st.record->provider_ref.empty();
  if (st.unsaved) {
    commit.new_conversation = true;
    commit.new_conversation_title = st.record->title;
  }
  self->request(st.deps.writer, caf::infinite, std::move(commit))
      .then(
          [self, rp, text](turn_record& rec) mutable {
            self->state.unsaved = false;
            auto& turn = *self->state.turn;
            turn.ids = rec;
            start_event start{stream_started_text, rec.conversation_id, rec.user_message.id,
                              rec.assistant_message.id, now_ms()};
            auto bytes = encode_sse(1, start);
            turn.log.emplace(std::move(start));
            turn.at = phase::running;
            metrics().streams_total.fetch_add(1, std::memory_order_relaxed);
            metrics().streams_active.fetch_add(1, std::memory_order_relaxed);
            spdlog::info(
                "event=turn_started request_id={} conversation={} user={} answer={} stream={}",
                turn.request_id, rec.conversation_id, turn.user_id, rec.assistant_message.id,
                turn.streaming);
            rp.deliver(
                turn_started{rec.conversation_id, rec.user_message.id, rec.assistant_message.id});
            publish(self, 1, std::move(bytes), false);
            start_upstream(self, text);
          },
          [self, rp](caf::error& err) mutable {
            for (auto& s : self->state.turn->subscribers)
              self->demonitor(s.address());
            self->state.turn.reset();
            rp.deliver(err);
            // A conversation that was never stored must not linger as if it existed.
            if (self->state.unsaved)
              self->quit();
          });
  return rp;
}

void relay_text(conversation_ptr self, const std::string& delta) {
  auto& turn = *self->state.turn;
  if (!turn.first_chunk) {
    turn.first_chunk = steady_clock::now();
    metrics().first_chunk_seconds.observe(
        std::chrono::duration<double>(*turn.first_chunk - turn.started).count());
  }
  metrics().chunks_relayed.fetch_add(1, std::memory_order_relaxed);
  auto bytes = turn.log->append(delta);
  publish(self, turn.log->last_id(), std::move(bytes), false);
}

void finish(conversation_ptr self, message_status status, std::string final_text,
            std::string provider_ref, std::optional<turn_failure> failure) {
  auto& st = self->state;
  auto& turn = *st.turn;
  turn.at = phase::finishing;
  auto ended = steady_clock::now();
  // The ending as the live stream will tell it; stored with the answer, so that an ending
  // rebuilt from the database later says the same.
  stream_event ending;
  if (failure) {
    ending = error_event{failure->error, failure->retryable, false};
  } else {
    complete_event done{final_text, turn.ids.assistant_message.id, status, false, {}};
    done.stats.chunks = turn.log->chunks();
    done.stats.total_chars = count_code_points(final_text);
    done.stats.duration_ms = ms_between(turn.started, ended);
    if (turn.first_chunk)
      done.stats.time_to_first_chunk_ms = ms_between(turn.started, *turn.first_chunk);
    done.stats.fallback = turn.fallback ? fallback_mode::non_streaming : fallback_mode::none;
    ending = std::move(done);
  }
  finish_turn_cmd cmd{turn.ids.assistant_message.id, st.id, final_text, status, provider_ref,
                      encode_stored_ending(ending)};
  auto on_stored = [self, status, final_text, provider_ref, failure, ended, ending,
                    stored_ending = cmd.ending](bool stored) mutable {
    auto& st = self->state;
    auto& turn = *st.turn;
    message_record m = turn.ids.assistant_message;
    m.content = final_text;
    m.status = status;
    m.ending = std::move(stored_ending);
    if (stored && !provider_ref.empty() && status == message_status::complete)
      st.record->provider_ref = provider_ref;
    // Counted before anyone hears of the end, so that /metrics agrees with what a client saw.
    count_finish(status);
    if (auto* done = std::get_if<complete_event>(&ending))
      done->stored_in_db = stored;
    else if (auto* failed = std::get_if<error_event>(&ending))
      failed->stored_in_db = stored;
    auto bytes = turn.log->finish(std::move(ending));
    publish(self, turn.log->last_id(), std::move(bytes), true);
    auto outcome = turn_outcome{st.id,
                                turn.ids.user_message.id,
                                m,
                                failure.has_value(),
                                failure ? failure->error.code : error_code::internal_error,
                                failure ? failure->error.message : std::string{}};
    for (auto& sub : turn.subscribers) {
      self->send(sub, outcome);
      self->demonitor(sub.address());
    }
    turn.subscribers.clear();
    for (auto& rp : turn.stop_waiters)
      rp.deliver(m);
    turn.stop_waiters.clear();
    spdlog::info("event=turn_finished request_id={} conversation={} answer={} status={} chunks={} "
                 "duration_ms={} fallback={} stored={}",
                 turn.request_id, st.id, m.id, to_string(status), turn.log->chunks(),
                 ms_between(turn.started, ended), turn.fallback, stored);
    turn.stored = std::move(m);
    turn.at = phase::done;
    self->send(st.deps.registry, turn_finished_notice{st.id});
  };
  turn.storing = live_turn::final_store{std::move(cmd), std::move(on_stored), 0};
  store_final(self);
}

/// How often an end already reported unstored is asked for again.
constexpr std::chrono::seconds late_store_interval{5};

void store_final(conversation_ptr self) {
  // Waits after each refusal: about 16 s in all, long enough for a lock held by another
  // process or a disk an operator is freeing, short enough for a client to wait for.
  static constexpr std::chrono::milliseconds backoff[] = {
      std::chrono::milliseconds(250), std::chrono::milliseconds(500), std::chrono::seconds(1),
      std::chrono::seconds(2),        std::chrono::seconds(4),        std::chrono::seconds(8)};
  auto& st = self->state;
  if (!st.turn || !st.turn->storing)
    return;
  auto done = [self](bool stored) {
    auto then = std::move(self->state.turn->storing->then);
    self->state.turn->storing.reset();
    then(stored);
  };
  self->request(st.deps.writer, caf::infinite, st.turn->storing->cmd)
      .then([done](message_record&) { done(true); },
            [self, done](caf::error&) {
              auto& st = self->state;
              auto& storing = *st.turn->storing;
              if (storing.refusals < std::size(backoff)) {
                self->delayed_send(self, backoff[storing.refusals++], store_final_atom::value);
                return;
              }
              // The client is told now; the text is still asked for, in the background.
              st.late_store = storing.cmd;
              done(false);
              self->delayed_send(self, late_store_interval, store_final_atom::value);
            });
}

void store_late(conversation_ptr self) {
  auto& st = self->state;
  if (!st.late_store)
    return;
  self->request(st.deps.writer, caf::infinite, *st.late_store)
      .then(
          [self](message_record& m) {
            spdlog::warn("event=answer_stored_late conversation={} answer={}", self->state.id,
                         m.id);
            self->state.late_store.reset();
          },
          [self](caf::error&) {
            self->delayed_send(self, late_store_interval, store_final_atom::value);
          });
}

void cut_short(conversation_ptr self, message_status status, std::optional<turn_failure> failure) {
  auto& st = self->state;
  auto& turn = *st.turn;
  if (turn.at != phase::running)
    return;
  self->send(st.deps.supervisor, cancel_upstream_cmd{turn.job});
  finish(self, status, turn.log->text(), "", std::move(failure));
}

void schedule_checkpoint(conversation_ptr self) {
  self->delayed_send(self, slotted_delay_from_now(self->state.config.checkpoint_interval),
                     checkpoint_atom::value);
}

} // namespace chatd::actors::turn_steps

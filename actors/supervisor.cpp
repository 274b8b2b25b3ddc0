#include "actors/supervisor.hpp"

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "actors/metrics.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using supervisor_ptr = supervisor_actor::stateful_pointer<supervisor_state>;

void spawn_child(supervisor_ptr self, supervisor_state::child c) {
  auto& st = self->state;
  c.handle = self->spawn<caf::monitored>(upstream, st.upstream, c.sink, c.job, c.request,
                                         c.fallback, c.request_id);
  auto addr = c.handle.address();
  st.by_job[c.job] = addr;
  st.children.emplace(addr, std::move(c));
}

/// Only a failed stream has a fallback: a call that was not streaming (the fallback itself,
/// or a `POST /api/chat` turn) has made all its attempts already, and repeating it the same
/// way would only make them again.
bool has_fallback(const supervisor_state::child& c) {
  return c.request.stream && !c.fallback;
}

/// Counts a turn the provider failed: a stream as its fallback starts (taken off the count
/// again if the fallback answers), a call with no fallback as it fails. Marks the provider
/// down when there were too many lately.
void note_provider_failure(supervisor_ptr self) {
  auto& st = self->state;
  auto now = now_ms();
  st.recent_failures.push_back(now);
  while (!st.recent_failures.empty() &&
         st.recent_failures.front() <= now - st.config.breaker_window.count())
    st.recent_failures.pop_front();
  if (st.recent_failures.size() >= st.config.breaker_threshold) {
    st.down_until = now + st.config.breaker_window.count();
    st.recent_failures.clear();
    if (st.listener)
      self->send(st.listener, provider_state{st.down_until});
  }
}

void on_child_down(supervisor_ptr self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = st.children.find(dm.source);
  if (it == st.children.end())
    return;
  auto c = std::move(it->second);
  st.children.erase(it);
  st.by_job.erase(c.job);
  // Transient children: a normal end (the answer is complete) or a cancel is final.
  if (!dm.reason || dm.reason == caf::exit_reason::user_shutdown) {
    // A fallback that answered shows the provider up: it stops counting towards marking the
    // provider down, or streams that break while whole answers work would shut out everyone.
    if (!dm.reason && c.fallback && !st.recent_failures.empty())
      st.recent_failures.pop_back();
    return;
  }
  // A refusal that no retry can change (a wrong API key, a request the provider rejects)
  // would only be refused again without streaming. (A crash says nothing about the provider:
  // trying again may well work.)
  bool retryable = !is_chatd_error(dm.reason) || is_retryable_failure(dm.reason);
  auto err = to_api_error(dm.reason);
  // Nor would a provider that is overloaded or out of reach (429, 503, no connection) take the
  // same request without streaming: the fallback is for streams that break or stall.
  bool fallback_may_help = err.code != error_code::upstream_unavailable;
  if (has_fallback(c) && retryable && fallback_may_help && now_ms() >= st.down_until) {
    note_provider_failure(self);
    ++st.restarts;
    metrics().supervisor_restarts.fetch_add(1, std::memory_order_relaxed);
    metrics().fallbacks.fetch_add(1, std::memory_order_relaxed);
    c.fallback = true;
    auto sink = c.sink;
    auto job = c.job;
    spawn_child(self, std::move(c));
    self->send(sink, upstream_restarted{job});
    return;
  }
  // A call with no fallback (a `POST /api/chat` turn) counts as it fails: an outage that only
  // clients of whole answers meet marks the provider down too.
  if (!c.fallback && now_ms() >= st.down_until)
    note_provider_failure(self);
  ++st.failures;
  if (err.code == error_code::internal_error)
    err = {error_code::upstream_error, "the call to the provider crashed"};
  metrics().count_upstream_error(err.code);
  self->send(c.sink, upstream_failed{c.job, err.code, err.message, retryable});
}

} // namespace

std::uint64_t new_job_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

supervisor_actor::behavior_type supervisor(supervisor_ptr self, supervisor_config config,
                                           std::shared_ptr<const upstream_config> upstream) {
  self->state.config = config;
  self->state.upstream = std::move(upstream);
  // Children are monitored, not linked; when the supervisor ends, so do they.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [addr, c] : self->state.children)
      self->send_exit(c.handle, msg.reason);
    self->quit(msg.reason);
  });
  self->set_down_handler([self](caf::down_msg& dm) { on_child_down(self, dm); });
  return {
      [self](start_upstream_cmd& cmd, upstream_sink_actor& sink) -> caf::result<bool> {
        auto& st = self->state;
        auto now = now_ms();
        if (now < st.down_until)
          return to_caf_error(error_code::upstream_unavailable,
                              "the model provider is failing; try again shortly",
                              (st.down_until - now + 999) / 1000);
        if (st.by_job.count(cmd.job) != 0)
          return to_caf_error(error_code::internal_error, "this job is running already");
        supervisor_state::child c;
        c.job = cmd.job;
        c.sink = std::move(sink);
        c.request = std::move(cmd.request);
        c.request_id = std::move(cmd.request_id);
        spawn_child(self, std::move(c));
        return true;
      },
      [self](const cancel_upstream_cmd& cmd) {
        auto& st = self->state;
        auto it = st.by_job.find(cmd.job);
        if (it == st.by_job.end())
          return;
        auto child = st.children.find(it->second);
        if (child != st.children.end()) {
          self->demonitor(child->second.handle.address());
          self->send_exit(child->second.handle, caf::exit_reason::user_shutdown);
          st.children.erase(child);
        }
        st.by_job.erase(it);
      },
      [self](registry_actor& listener) { self->state.listener = std::move(listener); },
      [self](status_atom) {
        auto& st = self->state;
        return supervisor_status{st.children.size(), st.restarts, st.failures, st.down_until,
                                 self->mailbox().size()};
      },
  };
}

} // namespace chatd::actors

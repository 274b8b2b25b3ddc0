#include "actors/registry.hpp"

#include <functional>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "actors/frames.hpp"
#include "domain/request_validation.hpp"
#include "storage/ids.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using registry_ptr = registry_actor::stateful_pointer<registry_state>;
using promise = caf::typed_response_promise<turn_started>;

registry_state::entry& conversation_entry(registry_ptr self, const std::string& id,
                                          std::optional<conversation_record> preloaded = {},
                                          bool unsaved = false) {
  auto& st = self->state;
  if (auto it = st.live.find(id); it != st.live.end())
    return it->second;
  auto deps = st.deps;
  deps.registry = self;
  auto handle =
      self->spawn(conversation, id, std::move(preloaded), st.config.conversation, deps, unsaved);
  self->monitor(handle);
  return st.live.emplace(id, registry_state::entry{handle, 0, {}}).first->second;
}

/// The turn of `id` ended (or never started): its stream no longer counts.
void release_stream(registry_ptr self, const std::string& id) {
  auto& st = self->state;
  auto it = st.live.find(id);
  if (it == st.live.end() || it->second.streaming_user.empty())
    return;
  auto user = std::move(it->second.streaming_user);
  it->second.streaming_user.clear();
  if (auto u = st.streams_per_user.find(user); u != st.streams_per_user.end() && --u->second == 0)
    st.streams_per_user.erase(u);
  --st.streams_total;
  if (st.draining && st.streams_total == 0) {
    for (auto& rp : st.drain_waiters)
      rp.deliver(true);
    st.drain_waiters.clear();
  }
}

/// Why one more stream for `user` is refused, if it is.
std::optional<caf::error> stream_limit(const registry_state& st, const std::string& user) {
  auto it = st.streams_per_user.find(user);
  if ((it != st.streams_per_user.end() && it->second >= st.config.max_streams_per_user) ||
      st.streams_total >= st.config.max_streams_total)
    return to_caf_error(error_code::too_many_streams,
                        "too many answers are being written at once; try again soon", 1);
  return std::nullopt;
}

/// Runs once a start has been answered, whichever way.
using settled_fn = std::function<void()>;

void forward_start(registry_ptr self, registry_state::entry& e, start_turn_cmd cmd,
                   subscriber_actor sub, promise rp, settled_fn settled) {
  auto& st = self->state;
  if (!e.streaming_user.empty()) {
    // Someone else's conversation answers as an unknown one would: never reveal it exists.
    rp.deliver(e.streaming_user == cmd.user_id
                   ? to_caf_error(error_code::stream_in_progress,
                                  "an answer is still being written in this conversation")
                   : not_found_error("this conversation"));
    return settled();
  }
  // Every start is checked here, where its stream is counted.
  if (auto err = stream_limit(st, cmd.user_id)) {
    rp.deliver(std::move(*err));
    return settled();
  }
  e.streaming_user = cmd.user_id;
  ++st.streams_per_user[cmd.user_id];
  ++st.streams_total;
  ++e.forwarded;
  auto id = cmd.conversation_id;
  self->request(e.handle, caf::infinite, std::move(cmd), std::move(sub))
      .then(
          [rp, settled](turn_started& started) mutable {
            rp.deliver(std::move(started));
            settled();
          },
          [self, rp, id, settled](caf::error& err) mutable {
            release_stream(self, id);
            rp.deliver(err);
            settled();
          });
}

/// Follows an answer: from its live conversation, or from the database once it is not live.
void route_subscribe(registry_ptr self, const std::string& user_id, message_record m,
                     std::uint64_t last_event_id, subscriber_actor sub, promise rp,
                     std::string user_message_id = {}) {
  auto& st = self->state;
  if (auto it = st.live.find(m.conversation_id); it != st.live.end()) {
    ++it->second.forwarded;
    self->request(it->second.handle, caf::infinite,
                  subscribe_msg{user_id, std::move(m), last_event_id, user_message_id},
                  std::move(sub))
        .then([rp](turn_started& started) mutable { rp.deliver(std::move(started)); },
              [rp](caf::error& err) mutable { rp.deliver(err); });
    return;
  }
  send_stored_ending(sub, m, last_event_id, user_message_id);
  rp.deliver(turn_started{m.conversation_id, std::move(user_message_id), m.id});
}

void start(registry_ptr self, start_turn_cmd cmd, subscriber_actor sub, promise rp);

/// Lets the starts that waited for an idempotency key go on (they will find its turn).
void release_key(registry_ptr self, const std::string& key) {
  auto it = self->state.keys_in_flight.find(key);
  if (it == self->state.keys_in_flight.end())
    return;
  auto waiting = std::move(it->second);
  self->state.keys_in_flight.erase(it);
  for (auto& w : waiting)
    start(self, std::move(w.cmd), std::move(w.sub), std::move(w.rp));
}

void start_new(registry_ptr self, start_turn_cmd cmd, subscriber_actor sub, promise rp,
               settled_fn settled) {
  auto& st = self->state;
  if (!cmd.conversation_id.empty()) {
    auto& e = conversation_entry(self, cmd.conversation_id);
    return forward_start(self, e, std::move(cmd), std::move(sub), std::move(rp),
                         std::move(settled));
  }
  // A new conversation is stored by its first turn's commit (one fsync instead of two), so
  // its actor starts from a record that exists only in memory until then. Checked here, so
  // that no such actor is made for a start that would be refused.
  if (auto err = stream_limit(st, cmd.user_id)) {
    rp.deliver(std::move(*err));
    return settled();
  }
  auto now = now_ms();
  conversation_record rec{
      storage::new_id('c'), cmd.user_id, title_from_message(cmd.text), "", now, now};
  cmd.conversation_id = rec.id;
  auto& e = conversation_entry(self, rec.id, rec, true);
  forward_start(self, e, std::move(cmd), std::move(sub), std::move(rp), std::move(settled));
}

void start(registry_ptr self, start_turn_cmd cmd, subscriber_actor sub, promise rp) {
  auto& st = self->state;
  if (cmd.idempotency_key.empty())
    return start_new(self, std::move(cmd), std::move(sub), std::move(rp), [] {});
  auto key = cmd.user_id + '\n' + cmd.idempotency_key;
  if (auto it = st.keys_in_flight.find(key); it != st.keys_in_flight.end()) {
    it->second.push_back({std::move(cmd), std::move(sub), std::move(rp)});
    return;
  }
  st.keys_in_flight[key];
  self->request(st.deps.reader, caf::infinite, find_turn_query{cmd.user_id, cmd.idempotency_key})
      .then(
          [self, cmd, sub, rp, key](turn_record& turn) mutable {
            // The key names another message: not a repeat, and replaying that turn would drop
            // this message without a word.
            if (turn.user_message.content != cmd.text ||
                (!cmd.conversation_id.empty() && cmd.conversation_id != turn.conversation_id)) {
              rp.deliver(to_caf_error(error_code::invalid_request,
                                      "this Idempotency-Key was used for another message"));
              return release_key(self, key);
            }
            // A repeat: replay the turn it started, from the first event.
            route_subscribe(self, cmd.user_id, turn.assistant_message, 0, sub, rp,
                            turn.user_message.id);
            release_key(self, key);
          },
          [self, cmd, sub, rp, key](caf::error&) mutable {
            // First use of the key; later starts with it wait until this one is committed.
            start_new(self, std::move(cmd), std::move(sub), rp,
                      [self, key] { release_key(self, key); });
          });
}

} // namespace

registry_actor::behavior_type registry(registry_ptr self, registry_config config,
                                       storage_reader_actor reader, storage_writer_actor writer,
                                       supervisor_actor supervisor) {
  auto& st = self->state;
  st.config = std::move(config);
  st.deps = conversation_deps{std::move(reader), std::move(writer), std::move(supervisor), {}};
  // Conversations are not linked (one failing must not take the others down), so the
  // registry ends them itself when it is told to end.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [id, e] : self->state.live)
      self->send_exit(e.handle, msg.reason);
    self->quit(msg.reason);
  });
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& live = self->state.live;
    for (auto it = live.begin(); it != live.end(); ++it) {
      if (it->second.handle.address() != dm.source)
        continue;
      release_stream(self, it->first);
      live.erase(it);
      return;
    }
  });
  return {
      [self](start_turn_cmd& cmd, subscriber_actor& sub) -> caf::result<turn_started> {
        auto& st = self->state;
        auto now = now_ms();
        if (st.draining)
          return to_caf_error(error_code::shutting_down, "the service is restarting; try again", 1);
        if (now < st.provider_down_until)
          return to_caf_error(error_code::upstream_unavailable,
                              "the model provider is failing; try again shortly",
                              (st.provider_down_until - now + 999) / 1000);
        if (auto err = stream_limit(st, cmd.user_id))
          return std::move(*err);
        auto rp = self->make_response_promise<turn_started>();
        start(self, std::move(cmd), std::move(sub), rp);
        return rp;
      },
      [self](attach_cmd& cmd, subscriber_actor& sub) -> caf::result<turn_started> {
        auto rp = self->make_response_promise<turn_started>();
        self->request(self->state.deps.reader, caf::infinite,
                      find_message_query{cmd.user_id, cmd.message_id})
            .then(
                [self, cmd, sub, rp](message_record& m) mutable {
                  if (m.role != message_role::assistant) {
                    rp.deliver(to_caf_error(error_code::not_found, "this answer does not exist"));
                    return;
                  }
                  route_subscribe(self, cmd.user_id, std::move(m), cmd.last_event_id, sub, rp);
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](stop_cmd& cmd) -> caf::result<message_record> {
        auto rp = self->make_response_promise<message_record>();
        self->request(self->state.deps.reader, caf::infinite,
                      find_message_query{cmd.user_id, cmd.message_id})
            .then(
                [self, cmd, rp](message_record& m) mutable {
                  if (m.role != message_role::assistant) {
                    rp.deliver(to_caf_error(error_code::not_found, "this answer does not exist"));
                    return;
                  }
                  auto it = self->state.live.find(m.conversation_id);
                  if (it == self->state.live.end()) {
                    rp.deliver(std::move(m));
                    return;
                  }
                  ++it->second.forwarded;
                  rp.delegate(it->second.handle, stop_msg{cmd.user_id, std::move(m)});
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](delete_conversation_cmd& cmd) -> caf::result<bool> {
        auto rp = self->make_response_promise<bool>();
        auto id = cmd.conversation_id;
        self->request(self->state.deps.writer, caf::infinite, std::move(cmd))
            .then(
                [self, rp, id](bool deleted) mutable {
                  if (!deleted) {
                    rp.deliver(
                        to_caf_error(error_code::not_found, "this conversation does not exist"));
                    return;
                  }
                  if (auto it = self->state.live.find(id); it != self->state.live.end()) {
                    ++it->second.forwarded;
                    self->request(it->second.handle, caf::infinite, close_atom::value)
                        .then([](bool) {});
                  }
                  rp.deliver(true);
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](turn_finished_notice& msg) { release_stream(self, msg.conversation_id); },
      [self](idle_notice& msg) {
        auto& live = self->state.live;
        auto it = live.find(msg.conversation_id);
        if (it == live.end() || it->second.handle.address() != self->current_sender() ||
            it->second.forwarded != msg.received || !it->second.streaming_user.empty())
          return;
        self->demonitor(it->second.handle.address());
        self->send(it->second.handle, evict_atom::value);
        live.erase(it);
      },
      [self](provider_state& msg) { self->state.provider_down_until = msg.down_until; },
      [self](drain_cmd& cmd) -> caf::result<bool> {
        auto& st = self->state;
        st.draining = true;
        for (auto& [id, e] : st.live)
          self->send(e.handle, cmd);
        if (st.streams_total == 0)
          return true;
        auto rp = self->make_response_promise<bool>();
        st.drain_waiters.push_back(rp);
        auto wait = std::max<std::int64_t>(0, cmd.deadline - now_ms()) + 2000;
        self->delayed_send(self, std::chrono::milliseconds(wait), timeout_atom::value);
        return rp;
      },
      [self](status_atom) {
        registry_status out;
        for (auto& [id, e] : self->state.live)
          out.conversations.push_back(e.handle);
        out.streams = self->state.streams_total;
        out.mailbox = self->mailbox().size();
        return out;
      },
      [self](inspect_atom, std::string& id) -> caf::result<conversation_info> {
        auto it = self->state.live.find(id);
        if (it == self->state.live.end()) {
          conversation_info none;
          none.conversation_id = id;
          return none;
        }
        return self->delegate(it->second.handle, inspect_atom::value);
      },
      [self](admin_stop_cmd& cmd) -> caf::result<message_record> {
        auto rp = self->make_response_promise<message_record>();
        self->request(self->state.deps.reader, caf::infinite,
                      find_any_message_query{cmd.message_id})
            .then(
                [self, rp](owned_message& found) mutable {
                  auto it = self->state.live.find(found.message.conversation_id);
                  if (it == self->state.live.end()) {
                    rp.deliver(std::move(found.message));
                    return;
                  }
                  ++it->second.forwarded;
                  rp.delegate(it->second.handle, stop_msg{found.user_id, std::move(found.message)});
                },
                [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
      [self](timeout_atom) {
        for (auto& rp : self->state.drain_waiters)
          rp.deliver(false);
        self->state.drain_waiters.clear();
      },
  };
}

} // namespace chatd::actors

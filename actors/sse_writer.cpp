#include "actors/sse_writer.hpp"

#include <utility>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "domain/api_json.hpp"
#include "domain/sse_encoder.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using writer_ptr = sse_writer_actor::stateful_pointer<sse_writer_state>;

/// Writes handed to the socket at a time. Beyond them, frames are held and go out together in
/// one write once these are on the wire: a client that reads as fast as it can, while a long
/// answer is replayed or a fast provider outruns the socket, gets every frame, in fewer writes.
constexpr std::size_t max_writes_in_flight = 64;

/// Bytes held for a client before it counts as gone: one that leaves this much unread would
/// only make the service buffer a long answer for nobody. (It can resume with Last-Event-ID.)
constexpr std::size_t max_held_bytes = std::size_t{16} << 20;

const auto keepalive_bytes = std::make_shared<const std::string>(keep_alive_frame());

/// The next keep-alive check, on the shared grid of timer slots.
void schedule_keepalive(writer_ptr self) {
  self->delayed_send(self, slotted_delay_from_now(self->state.keepalive), keepalive_atom::value);
}

/// Sends the response's head, so that the client knows the stream is open and keep-alives
/// may follow: a resume past every event so far has nothing else to send for a while.
void open_stream(writer_ptr self) {
  auto& st = self->state;
  if (st.started || st.ended)
    return;
  st.channel->start_stream();
  st.started = true;
  st.channel->write(nullptr, false);
  st.last_write = std::chrono::steady_clock::now();
}

/// Ends the response after whatever was held back.
void end_stream(writer_ptr self) {
  auto& st = self->state;
  if (!st.ended) {
    if (!st.started)
      st.channel->start_stream();
    std::shared_ptr<const std::string> rest;
    if (!st.held.empty())
      rest = std::make_shared<const std::string>(std::exchange(st.held, {}));
    st.channel->write(std::move(rest), true);
    st.ended = true;
  }
  self->quit();
}

void hand_over(writer_ptr self, std::shared_ptr<const std::string> bytes, bool terminal) {
  auto& st = self->state;
  st.channel->write(std::move(bytes), terminal);
  st.last_write = std::chrono::steady_clock::now();
  if (terminal) {
    st.ended = true;
    self->quit();
  }
}

bool holding(const sse_writer_state& st) {
  return !st.held.empty() || st.held_terminal;
}

/// Writes what was held back, as one write.
void release_held(writer_ptr self) {
  auto& st = self->state;
  if (!holding(st))
    return;
  hand_over(self, std::make_shared<const std::string>(std::exchange(st.held, {})),
            std::exchange(st.held_terminal, false));
}

/// Holds a frame back until the writes in flight are on the wire.
void hold(writer_ptr self, const std::string& bytes, bool terminal) {
  auto& st = self->state;
  const bool first = !holding(st); // the first one held asks to hear of the drain
  st.held.append(bytes);
  st.held_terminal = terminal;
  if (st.held.size() > max_held_bytes) {
    st.held.clear();
    end_stream(self);
    return;
  }
  if (first && !st.channel->await_drained())
    release_held(self);
}

} // namespace

void send_error(response_channel& channel, const caf::error& err) {
  auto api = to_api_error(err);
  header_list headers;
  if (auto wait = retry_after_of(err);
      wait > 0 &&
      (api.code == error_code::rate_limited || api.code == error_code::too_many_streams ||
       api.code == error_code::upstream_unavailable || api.code == error_code::shutting_down))
    headers.emplace_back("Retry-After", std::to_string(wait));
  channel.send_json(http_status(api.code), error_body(api), std::move(headers));
}

sse_writer_actor::behavior_type sse_writer(writer_ptr self, response_channel_ptr channel,
                                           std::chrono::milliseconds keepalive,
                                           registry_actor registry, stream_opening opening) {
  auto& st = self->state;
  st.channel = std::move(channel);
  st.keepalive = keepalive;
  st.channel->on_write_failure([handle = caf::actor_cast<sse_writer_actor>(self)] {
    caf::anon_send(handle, write_failed_atom::value);
  });
  st.channel->on_drained([handle = caf::actor_cast<sse_writer_actor>(self)] {
    caf::anon_send(handle, drained_atom::value);
  });
  auto on_refused = [self](caf::error& err) {
    if (!self->state.started) {
      send_error(*self->state.channel, err);
      self->state.ended = true;
    }
    self->quit();
  };
  auto me = caf::actor_cast<subscriber_actor>(self);
  if (auto* cmd = std::get_if<start_turn_cmd>(&opening))
    self->request(registry, caf::infinite, std::move(*cmd), me)
        .then([](turn_started&) {}, on_refused);
  else {
    st.seen_through = std::get<attach_cmd>(opening).last_event_id;
    self->request(registry, caf::infinite, std::get<attach_cmd>(opening), me)
        .then([self](turn_started&) { open_stream(self); }, on_refused);
  }
  schedule_keepalive(self);
  return {
      [self](stream_frame& frame) {
        auto& st = self->state;
        if (st.ended)
          return;
        if (frame.event_id <= st.seen_through) {
          // Live events its client says it has (a resume past every event so far): only
          // the ending goes out, numbered after that, as for a finished answer (API.md).
          if (!frame.terminal || !frame.bytes)
            return;
          frame.bytes = std::make_shared<const std::string>(
              domain::renumber_sse(*frame.bytes, st.seen_through + 1));
        }
        if (!st.started) {
          st.channel->start_stream();
          st.started = true;
        }
        if (holding(st) || st.channel->writes_in_flight() >= max_writes_in_flight)
          hold(self, frame.bytes ? *frame.bytes : std::string{}, frame.terminal);
        else
          hand_over(self, std::move(frame.bytes), frame.terminal);
      },
      [self](drained_atom) {
        if (!self->state.ended)
          release_held(self);
      },
      // The answer ended: its terminal frame, when there is one for us, came first. Close
      // whatever is still open, after what is held.
      [self](turn_outcome&) { end_stream(self); },
      [self](keepalive_atom) {
        auto& st = self->state;
        if (st.ended)
          return;
        auto quiet = std::chrono::steady_clock::now() - st.last_write;
        // A slotted timer fires up to a quarter of the interval early (domain/timer_slots.hpp).
        if (st.started && !holding(st) && quiet >= st.keepalive * 3 / 4) {
          st.channel->write(keepalive_bytes, false);
          st.last_write = std::chrono::steady_clock::now();
        }
        schedule_keepalive(self);
      },
      [self](write_failed_atom) {
        self->state.ended = true;
        self->quit();
      },
  };
}

subscriber_actor::behavior_type
whole_answer(subscriber_actor::stateful_pointer<whole_answer_state> self,
             response_channel_ptr channel, registry_actor registry, start_turn_cmd cmd) {
  self->state.channel = std::move(channel);
  cmd.streaming = false;
  self->request(registry, caf::infinite, std::move(cmd), caf::actor_cast<subscriber_actor>(self))
      .then([](turn_started&) {},
            [self](caf::error& err) {
              send_error(*self->state.channel, err);
              self->quit();
            });
  return {
      [](stream_frame&) {},
      [self](turn_outcome& out) {
        auto& channel = *self->state.channel;
        if (out.failed)
          channel.send_json(http_status(out.code), error_body({out.code, out.error_message}));
        else
          channel.send_json(200, chat_answer_body(out.conversation_id, out.user_message_id,
                                                  out.assistant_message));
        self->quit();
      },
  };
}

} // namespace chatd::actors

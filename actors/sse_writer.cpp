#include "actors/sse_writer.hpp"

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/errors.hpp"
#include "domain/api_json.hpp"
#include "domain/sse_encoder.hpp"

namespace chatd::actors {

namespace {

using namespace chatd::domain;
using writer_ptr = sse_writer_actor::stateful_pointer<sse_writer_state>;

/// Frames a client may leave unread before it counts as gone: a reader this slow would only
/// make the service buffer an ever longer answer for nobody.
constexpr std::size_t max_writes_in_flight = 4096;

const auto keepalive_bytes = std::make_shared<const std::string>(keep_alive_frame());

/// The next keep-alive check, on the shared grid of timer slots.
void schedule_keepalive(writer_ptr self) {
  self->delayed_send(self, slotted_delay_from_now(self->state.keepalive), keepalive_atom::value);
}

void end_stream(writer_ptr self) {
  auto& st = self->state;
  if (!st.ended) {
    if (!st.started)
      st.channel->start_stream();
    st.channel->write(nullptr, true);
    st.ended = true;
  }
  self->quit();
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
  else
    self->request(registry, caf::infinite, std::get<attach_cmd>(opening), me)
        .then([](turn_started&) {}, on_refused);
  schedule_keepalive(self);
  return {
      [self](stream_frame& frame) {
        auto& st = self->state;
        if (st.ended)
          return;
        if (!st.started) {
          st.channel->start_stream();
          st.started = true;
        }
        if (st.channel->writes_in_flight() > max_writes_in_flight) {
          st.ended = true;
          st.channel->write(nullptr, true);
          self->quit();
          return;
        }
        st.channel->write(std::move(frame.bytes), frame.terminal);
        st.last_write = std::chrono::steady_clock::now();
        if (frame.terminal) {
          st.ended = true;
          self->quit();
        }
      },
      // The answer ended without a frame for us (a resume past its last event): close.
      [self](turn_outcome&) { end_stream(self); },
      [self](keepalive_atom) {
        auto& st = self->state;
        if (st.ended)
          return;
        auto quiet = std::chrono::steady_clock::now() - st.last_write;
        // A slotted timer fires up to a quarter of the interval early (domain/timer_slots.hpp).
        if (st.started && quiet >= st.keepalive * 3 / 4) {
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

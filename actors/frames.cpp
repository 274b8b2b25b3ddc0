#include "actors/frames.hpp"

#include <caf/send.hpp>

#include "domain/sse_encoder.hpp"
#include "domain/turn_log.hpp"

namespace chatd::actors {

turn_outcome outcome_of(const domain::message_record& message, std::string user_message_id) {
  turn_outcome out{message.conversation_id,
                   std::move(user_message_id),
                   message,
                   false,
                   domain::error_code::internal_error,
                   ""};
  auto ending = domain::terminal_event_of(message);
  if (auto* err = std::get_if<domain::error_event>(&ending)) {
    out.failed = true;
    out.code = err->error.code;
    out.error_message = err->error.message;
  }
  return out;
}

void send_stored_ending(const subscriber_actor& sub, const domain::message_record& message,
                        std::uint64_t last_event_id, std::string user_message_id) {
  auto id = last_event_id + 1;
  // Sent from this thread one after the other, so they arrive in this order.
  if (!user_message_id.empty() && last_event_id == 0) {
    domain::start_event start{stream_started_text, message.conversation_id, user_message_id,
                              message.id, message.created_at};
    caf::anon_send(sub, make_frame(id, domain::encode_sse(id, start), false));
    ++id;
  }
  caf::anon_send(sub,
                 make_frame(id, domain::encode_sse(id, domain::terminal_event_of(message)), true));
  caf::anon_send(sub, outcome_of(message, std::move(user_message_id)));
}

} // namespace chatd::actors

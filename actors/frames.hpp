#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/interfaces.hpp"

namespace chatd::actors {

/// Wraps encoded SSE bytes for sending to any number of subscribers without copying.
inline stream_frame make_frame(std::uint64_t id, std::string bytes, bool terminal) {
  return {id, std::make_shared<const std::string>(std::move(bytes)), terminal};
}

/// How a finished answer ended, for whole-answer subscribers.
turn_outcome outcome_of(const domain::message_record& message, std::string user_message_id);

/// What a `start` event tells a person.
inline constexpr const char* stream_started_text = "Streaming started";

/// Tells `sub` how a finished answer ended, rebuilt from the database: its terminal event,
/// numbered `last_event_id + 1`, then the outcome. A repeated turn (`user_message_id` given,
/// replayed from its first event) gets its `start` event first, rebuilt too, so that a client
/// retrying after a restart still learns the conversation and the messages.
void send_stored_ending(const subscriber_actor& sub, const domain::message_record& message,
                        std::uint64_t last_event_id, std::string user_message_id = {});

} // namespace chatd::actors

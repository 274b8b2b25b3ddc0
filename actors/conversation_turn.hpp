#pragma once

// The steps of a conversation's turn, shared by the conversation actor's handlers.

#include <optional>
#include <string>

#include "actors/conversation.hpp"
#include "domain/error.hpp"

namespace chatd::actors::turn_steps {

using conversation_ptr = conversation_actor::stateful_pointer<conversation_state>;

/// Commits the user's message, announces `start`, and asks the supervisor for a provider call.
caf::result<turn_started> begin(conversation_ptr self, start_turn_cmd cmd, subscriber_actor sub);

/// Appends a provider delta and sends its `content` frame to every subscriber.
void relay_text(conversation_ptr self, const std::string& delta);

/// Why a turn ends without an answer.
struct turn_failure {
  domain::api_error error;
  bool retryable = true;
};

/// Stores the answer with `status`, then sends the terminal event (`complete`, or `error` when
/// `failure` is set) and the outcome, and frees the subscribers. A database that refuses the
/// change (busy, a full disk) is asked again after a back-off, the stream kept open meanwhile;
/// only after the last refusal does the end go out with `stored_in_db: false`.
void finish(conversation_ptr self, domain::message_status status, std::string final_text,
            std::string provider_ref, std::optional<turn_failure> failure = std::nullopt);

/// Ends a running turn now, cancelling its provider call (stop, delete, shutdown).
void cut_short(conversation_ptr self, domain::message_status status,
               std::optional<turn_failure> failure = std::nullopt);

/// Asks the writer (again) to store the answer's end; see finish().
void store_final(conversation_ptr self);

/// Asks the writer again for an end whose client was already told it was not stored.
void store_late(conversation_ptr self);

/// Whether a turn is live (not yet done).
bool is_live(const conversation_state& st);

/// Asks for the next checkpoint of the answer, on the shared grid of timer slots.
void schedule_checkpoint(conversation_ptr self);

} // namespace chatd::actors::turn_steps

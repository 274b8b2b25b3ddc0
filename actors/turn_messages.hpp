#pragma once

// The payloads of a turn's life: from the HTTP side to the registry and conversation actors,
// from the provider loop to upstream actors, and from conversations to their subscribers.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/domain_inspect.hpp"
#include "domain/error.hpp"

namespace chatd::actors {

// -- HTTP side → registry → conversation ------------------------------------------------------

/// Start a turn: the user's message, in a conversation or (empty id) a new one.
struct start_turn_cmd {
  std::string user_id;
  std::string conversation_id;
  std::string text;
  std::string idempotency_key;
  bool streaming = true;  ///< false: the provider is called without streaming (POST /api/chat)
  std::string request_id; ///< follows the turn into logs and the provider call
};
CHATD_INSPECT(start_turn_cmd, x.user_id, x.conversation_id, x.text, x.idempotency_key, x.streaming,
              x.request_id)

/// The answer to a start or an attach: which messages the subscriber will hear about.
struct turn_started {
  std::string conversation_id;
  std::string user_message_id;
  std::string assistant_message_id;
};
CHATD_INSPECT(turn_started, x.conversation_id, x.user_message_id, x.assistant_message_id)

/// Follow an answer's events after `last_event_id` (resume, or an idempotent repeat).
struct attach_cmd {
  std::string user_id;
  std::string message_id;
  std::uint64_t last_event_id = 0;
};
CHATD_INSPECT(attach_cmd, x.user_id, x.message_id, x.last_event_id)

/// The registry's attach, once it knows the message from the database.
struct subscribe_msg {
  std::string user_id;
  domain::message_record message;
  std::uint64_t last_event_id = 0;
  std::string user_message_id; ///< set for a repeated turn (same Idempotency-Key)
};
CHATD_INSPECT(subscribe_msg, x.user_id, x.message, x.last_event_id, x.user_message_id)

struct stop_cmd {
  std::string user_id;
  std::string message_id;
};
CHATD_INSPECT(stop_cmd, x.user_id, x.message_id)

/// The registry's stop, once it knows the message from the database.
struct stop_msg {
  std::string user_id;
  domain::message_record message;
};
CHATD_INSPECT(stop_msg, x.user_id, x.message)

/// A conversation tells the registry that its turn ended (for the stream limits).
struct turn_finished_notice {
  std::string conversation_id;
};
CHATD_INSPECT(turn_finished_notice, x.conversation_id)

/// A conversation with no live turn offers to leave; `received` counts the registry's messages
/// it has seen, so the registry can tell whether one is still on its way.
struct idle_notice {
  std::string conversation_id;
  std::uint64_t received = 0;
};
CHATD_INSPECT(idle_notice, x.conversation_id, x.received)

/// Until when (ms since epoch) the supervisor considers the provider down.
struct provider_state {
  domain::unix_ms down_until = 0;
};
CHATD_INSPECT(provider_state, x.down_until)

/// Shutdown: running turns may go on until `deadline` (ms since epoch), then are interrupted.
struct drain_cmd {
  domain::unix_ms deadline = 0;
};
CHATD_INSPECT(drain_cmd, x.deadline)

// -- conversation → subscribers -------------------------------------------------------------------

/// One encoded SSE event, shared by every subscriber of the stream.
struct stream_frame {
  std::uint64_t event_id = 0;
  std::shared_ptr<const std::string> bytes;
  bool terminal = false; ///< `complete` or `error`: nothing follows
};

/// How a turn ended, for subscribers that want the whole answer rather than frames.
struct turn_outcome {
  std::string conversation_id;
  std::string user_message_id;
  domain::message_record assistant_message;
  bool failed = false;
  domain::error_code code = domain::error_code::internal_error;
  std::string error_message;
};
CHATD_INSPECT(turn_outcome, x.conversation_id, x.user_message_id, x.assistant_message, x.failed,
              x.code, x.error_message)

// -- supervisor ↔ upstream ↔ conversation ---------------------------------------------------

/// Run one provider call for a conversation's turn. The caller picks the job's id (from
/// new_job_id()), so it can recognise the job's events before the supervisor even answers.
struct start_upstream_cmd {
  std::uint64_t job = 0;
  domain::responses_request request;
  std::string request_id;
};
CHATD_INSPECT(start_upstream_cmd, x.job, x.request, x.request_id)

struct cancel_upstream_cmd {
  std::uint64_t job = 0;
};
CHATD_INSPECT(cancel_upstream_cmd, x.job)

/// The provider named its response (useful before any text arrives).
struct upstream_started {
  std::uint64_t job = 0;
  std::string response_id;
};
CHATD_INSPECT(upstream_started, x.job, x.response_id)

struct upstream_text {
  std::uint64_t job = 0;
  std::string delta;
};
CHATD_INSPECT(upstream_text, x.job, x.delta)

/// The answer is complete. `text` is authoritative when `fallback` (non-streaming) is set.
struct upstream_done {
  std::uint64_t job = 0;
  std::string response_id;
  std::string text;
  bool fallback = false;
};
CHATD_INSPECT(upstream_done, x.job, x.response_id, x.text, x.fallback)

/// The supervisor restarted a failed call in fallback (non-streaming) mode.
struct upstream_restarted {
  std::uint64_t job = 0;
};
CHATD_INSPECT(upstream_restarted, x.job)

/// Every attempt failed.
struct upstream_failed {
  std::uint64_t job = 0;
  domain::error_code code = domain::error_code::upstream_error;
  std::string message;
  bool retryable = true;
};
CHATD_INSPECT(upstream_failed, x.job, x.code, x.message, x.retryable)

// -- provider loop → upstream -----------------------------------------------------------------

/// The status line and the headers that matter of a provider response.
struct transfer_head {
  std::uint64_t transfer = 0;
  long status = 0;
  std::string retry_after_ms;
  std::string retry_after;
};
CHATD_INSPECT(transfer_head, x.transfer, x.status, x.retry_after_ms, x.retry_after)

struct transfer_data {
  std::uint64_t transfer = 0;
  std::string bytes;
};
CHATD_INSPECT(transfer_data, x.transfer, x.bytes)

/// The transfer ended: `curl_code` 0 when it completed, else libcurl's code and text.
struct transfer_end {
  std::uint64_t transfer = 0;
  int curl_code = 0;
  std::string error;
};
CHATD_INSPECT(transfer_end, x.transfer, x.curl_code, x.error)

} // namespace chatd::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chatd::actors::stream_frame)

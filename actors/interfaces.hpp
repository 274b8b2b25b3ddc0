#pragma once

// Every typed actor interface of chatd and their atoms, declared once. A `///` line names each
// actor and what it is for; a `//` line above each handler says what the message does.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/account_messages.hpp"
#include "actors/admin_messages.hpp"
#include "actors/status_messages.hpp"
#include "actors/storage_messages.hpp"
#include "actors/turn_messages.hpp"

namespace chatd::actors {

// -- atoms --------------------------------------------------------------------------------------

using keepalive_atom = caf::atom_constant<caf::atom("keepalive")>;
using checkpoint_atom = caf::atom_constant<caf::atom("checkpnt")>;
using store_final_atom = caf::atom_constant<caf::atom("storefinal")>;
using idle_atom = caf::atom_constant<caf::atom("idle")>;
using evict_atom = caf::atom_constant<caf::atom("evict")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using watchdog_atom = caf::atom_constant<caf::atom("watchdog")>;
using write_failed_atom = caf::atom_constant<caf::atom("wfailed")>;
using drained_atom = caf::atom_constant<caf::atom("drained")>;
using close_atom = caf::atom_constant<caf::atom("close")>;
using purge_atom = caf::atom_constant<caf::atom("purge")>;
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

// -- storage ------------------------------------------------------------------------------------

/// The database's one writer: runs every change on its own thread and commits them in groups
/// (one fsync for many), replying only once a change is durable.
using storage_writer_actor = caf::typed_actor<
    // Creates a user; error `username_taken` when the name exists.
    caf::replies_to<create_user_cmd>::with<domain::user_record>,
    // Stores a new session by its token's hash.
    caf::replies_to<create_session_cmd>::with<bool>,
    // Notes that a session was used (for the idle timeout).
    caf::reacts_to<touch_session_cmd>,
    // Revokes a session server-side.
    caf::replies_to<revoke_session_cmd>::with<bool>,
    caf::replies_to<create_conversation_cmd>::with<domain::conversation_record>,
    // Error `not_found` unless the conversation is the user's.
    caf::replies_to<rename_conversation_cmd>::with<domain::conversation_record>,
    // False when there was no such conversation of the user.
    caf::replies_to<delete_conversation_cmd>::with<bool>,
    // Commits the user's message and an empty `streaming` answer.
    caf::replies_to<begin_turn_cmd>::with<domain::turn_record>,
    // Saves a growing answer (no reply: the next checkpoint supersedes it).
    caf::reacts_to<checkpoint_cmd>,
    // Stores the final answer; replies with it as stored.
    caf::replies_to<finish_turn_cmd>::with<domain::message_record>,
    // Forgets expired sessions and idempotency keys.
    caf::reacts_to<purge_atom>,
    // Commits what is pending and closes the connection; the actor then ends.
    caf::replies_to<close_atom>::with<bool>,
    // The queue depth and commits so far, for the admin view.
    caf::replies_to<status_atom>::with<storage_status>>;

/// A reader of the database (a pool of them, each with its own connection and thread).
using storage_reader_actor = caf::typed_actor<
    // Error `not_found` for an unknown name.
    caf::replies_to<find_user_query>::with<user_secret>,
    // Error `unauthenticated` for an unknown, revoked or expired session.
    caf::replies_to<find_session_query>::with<domain::session_info>,
    caf::replies_to<list_conversations_query>::with<std::vector<domain::conversation_record>>,
    // Error `not_found` for an unknown id (owners are checked by the caller).
    caf::replies_to<get_conversation_query>::with<domain::conversation_record>,
    caf::replies_to<get_messages_query>::with<std::vector<domain::message_record>>,
    // Error `not_found` unless the message is in one of the user's conversations.
    caf::replies_to<find_message_query>::with<domain::message_record>,
    // Error `not_found` unless the key started a turn in the last 24 hours.
    caf::replies_to<find_turn_query>::with<domain::turn_record>,
    // By id alone, with its owner (admin use); error `not_found`.
    caf::replies_to<find_any_message_query>::with<owned_message>,
    caf::replies_to<recent_sign_in_places_query>::with<std::vector<domain::sign_in_place>>,
    // Whether the database answers a trivial query (readiness).
    caf::replies_to<ping_atom>::with<bool>>;

// -- accounts -----------------------------------------------------------------------------------

/// Hashes and verifies passwords (argon2id) on threads of its own: deliberately slow work
/// that must never run on a scheduler thread.
using password_hasher_actor =
    caf::typed_actor<caf::replies_to<hash_password_cmd>::with<std::string>,
                     caf::replies_to<verify_password_cmd>::with<bool>>;

/// Accounts and sessions: registration, logins (throttled), logouts, bearer tokens, and
/// finding who holds a token.
using accounts_actor = caf::typed_actor<
    // Error `username_taken`.
    caf::replies_to<register_cmd>::with<login_result>,
    // Errors `invalid_credentials`, `rate_limited` (with the seconds to wait).
    caf::replies_to<login_cmd>::with<login_result>, caf::replies_to<logout_cmd>::with<bool>,
    // Error `unauthenticated`.
    caf::replies_to<authenticate_query>::with<domain::session_info>,
    caf::replies_to<issue_token_cmd>::with<issued_token>>;

// -- streams ------------------------------------------------------------------------------------

/// Whoever follows an answer: an SSE writer (frames) or a whole-answer collector (outcome).
using subscriber_actor =
    caf::typed_actor<caf::reacts_to<stream_frame>, caf::reacts_to<turn_outcome>>;

/// An SSE writer: one per open browser stream; writes frames to its HTTP response as they come.
using sse_writer_actor =
    subscriber_actor::extend<caf::reacts_to<keepalive_atom>, caf::reacts_to<write_failed_atom>,
                             caf::reacts_to<drained_atom>>;

/// What an upstream call reports to the conversation that asked for it.
using upstream_sink_actor =
    caf::typed_actor<caf::reacts_to<upstream_started>, caf::reacts_to<upstream_text>,
                     caf::reacts_to<upstream_done>, caf::reacts_to<upstream_restarted>,
                     caf::reacts_to<upstream_failed>>;

/// One live conversation: the only owner of its current answer, event log and subscribers.
using conversation_actor = upstream_sink_actor::extend<
    // Starts a turn with the caller's subscriber attached; error `stream_in_progress`.
    caf::replies_to<start_turn_cmd, subscriber_actor>::with<turn_started>,
    // Replays an answer's events after an id, then follows it live.
    caf::replies_to<subscribe_msg, subscriber_actor>::with<turn_started>,
    // Stops a live answer (kept as `stopped`); a finished one is returned as it is.
    caf::replies_to<stop_msg>::with<domain::message_record>,
    // The conversation is being deleted: end any live answer and leave.
    caf::replies_to<close_atom>::with<bool>,
    // Shutdown: finish live answers by the deadline, else store them as `interrupted`.
    caf::reacts_to<drain_cmd>,
    // The registry accepted an idle notice: leave.
    caf::reacts_to<evict_atom>,
    // Timers: save the growing answer; check for idleness; ask again to store the answer's end.
    caf::reacts_to<checkpoint_atom>, caf::reacts_to<idle_atom>, caf::reacts_to<store_final_atom>,
    // Its state, for the admin view.
    caf::replies_to<inspect_atom>::with<conversation_info>>;

/// The registry's view, for the admin actor.
struct registry_status {
  std::vector<conversation_actor> conversations;
  std::uint64_t streams = 0;
  std::uint64_t mailbox = 0;
};
CHATD_INSPECT(registry_status, x.conversations, x.streams, x.mailbox)

/// Finds or starts the conversation actor for each request and enforces the stream limits.
using registry_actor = caf::typed_actor<
    // Errors: `not_found`, `stream_in_progress`, `too_many_streams`, `upstream_unavailable`,
    // `shutting_down`.
    caf::replies_to<start_turn_cmd, subscriber_actor>::with<turn_started>,
    caf::replies_to<attach_cmd, subscriber_actor>::with<turn_started>,
    caf::replies_to<stop_cmd>::with<domain::message_record>,
    caf::replies_to<delete_conversation_cmd>::with<bool>, caf::reacts_to<turn_finished_notice>,
    caf::reacts_to<idle_notice>, caf::reacts_to<provider_state>,
    // Replies once no turn is live any more: true, or false when the deadline passed first.
    caf::replies_to<drain_cmd>::with<bool>, caf::reacts_to<timeout_atom>,
    // For the admin view: the conversations in memory; one of them; a stop on an owner's behalf.
    caf::replies_to<status_atom>::with<registry_status>,
    caf::replies_to<inspect_atom, std::string>::with<conversation_info>,
    caf::replies_to<admin_stop_cmd>::with<domain::message_record>>;

/// Transfer events from the provider loop, timers, and nothing else: one per provider call.
using upstream_actor =
    caf::typed_actor<caf::reacts_to<transfer_head>, caf::reacts_to<transfer_data>,
                     caf::reacts_to<transfer_end>, caf::reacts_to<retry_atom>,
                     caf::reacts_to<watchdog_atom, std::uint64_t>>;

/// Starts upstream actors, watches them and restarts a failed one once, in fallback
/// (non-streaming) mode; marks the provider down when too many fail in a short time.
using supervisor_actor = caf::typed_actor<
    // Starts a job; error `upstream_unavailable` while the provider is down.
    caf::replies_to<start_upstream_cmd, upstream_sink_actor>::with<bool>,
    // Ends a job's current upstream, whichever attempt it is at; its conversation hears nothing.
    caf::reacts_to<cancel_upstream_cmd>,
    // Names the registry, which is told whenever the provider is marked down.
    caf::reacts_to<registry_actor>,
    // Counters and the mailbox, for the admin view.
    caf::replies_to<status_atom>::with<supervisor_status>>;

/// Reports the provider loop's running transfers (it is a thread, not an actor).
using provider_monitor_actor = caf::typed_actor<caf::replies_to<status_atom>::with<std::uint64_t>>;

} // namespace chatd::actors

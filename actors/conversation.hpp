#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "domain/turn_log.hpp"

namespace chatd::actors {

struct conversation_config {
  std::string model;
  /// How often a growing answer is saved while it streams.
  std::chrono::milliseconds checkpoint_interval{1000};
  /// A conversation without a live answer for this long offers to leave memory.
  std::chrono::milliseconds idle_timeout{60'000};
};

/// The actors a conversation talks to.
struct conversation_deps {
  storage_reader_actor reader;
  storage_writer_actor writer;
  supervisor_actor supervisor;
  registry_actor registry;
};

/// One answer being produced (or just produced) and who follows it.
struct live_turn {
  enum class phase { committing, running, finishing, done };

  phase at = phase::committing;
  std::string user_id;
  domain::turn_record ids;
  std::optional<domain::turn_log> log;
  bool streaming = true;
  std::uint64_t job = 0;
  bool fallback = false;
  std::string request_id;
  std::chrono::steady_clock::time_point started;
  std::optional<std::chrono::steady_clock::time_point> first_chunk;
  std::size_t checkpointed = 0; ///< bytes of the text saved so far
  std::vector<subscriber_actor> subscribers;
  /// Stops that arrived while the answer was being stored; answered once it is.
  std::vector<caf::typed_response_promise<domain::message_record>> stop_waiters;
  std::optional<domain::message_record> stored; ///< the answer as committed
  /// The answer's end while the writer is asked to store it (phase `finishing`).
  struct final_store {
    finish_turn_cmd cmd;
    std::function<void(bool stored)> then;
    std::size_t refusals = 0;
  };
  std::optional<final_store> storing;
};

struct conversation_state {
  static constexpr const char* name = "conversation";

  std::string id;
  conversation_config config;
  conversation_deps deps;
  std::optional<domain::conversation_record> record;
  bool missing = false; ///< no such conversation: everything is answered `not_found`
  /// A new conversation not yet in the database: its first turn's commit stores it.
  bool unsaved = false;
  /// Messages received from the registry, echoed in idle notices (see registry).
  std::uint64_t received = 0;
  std::optional<live_turn> turn;
  /// An answer's end the database refused until its client had to be told (`stored_in_db:
  /// false`): still asked for now and then, so that the text is not lost while chatd runs.
  std::optional<finish_turn_cmd> late_store;
  std::chrono::steady_clock::time_point last_activity;
};

/// The one owner of a conversation's live state: it commits each turn's messages, asks the
/// supervisor for an upstream call, turns the provider's text into numbered events for every
/// subscriber, saves the growing answer at intervals and stores the final one before anyone
/// hears `complete`.
///
///   registry ──start──▶ conversation ──begin_turn──▶ writer (commit)
///                           │ ──start_upstream──▶ supervisor ──spawn──▶ upstream
///   subscribers ◀─frames──  │ ◀──upstream_text / done / failed──────────┘
///                           └──finish_turn──▶ writer, then `complete`
///
/// With `preloaded` empty, it reads its record first (other messages wait meanwhile). With
/// `unsaved`, `preloaded` is a new conversation that its first turn stores.
conversation_actor::behavior_type
conversation(conversation_actor::stateful_pointer<conversation_state> self, std::string id,
             std::optional<domain::conversation_record> preloaded, conversation_config config,
             conversation_deps deps, bool unsaved = false);

} // namespace chatd::actors

#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/conversation.hpp"
#include "actors/interfaces.hpp"

namespace chatd::actors {

struct registry_config {
  conversation_config conversation;
  std::size_t max_streams_per_user = 8;
  std::size_t max_streams_total = 10'000;
};

struct registry_state {
  static constexpr const char* name = "registry";

  /// A conversation actor in memory.
  struct entry {
    conversation_actor handle;
    /// Messages sent to it that it must count (see idle_notice).
    std::uint64_t forwarded = 0;
    /// The user whose turn is live in it; empty when none.
    std::string streaming_user;
  };

  /// A start with an idempotency key that waits for an earlier start with the same key.
  struct waiting_start {
    start_turn_cmd cmd;
    subscriber_actor sub;
    caf::typed_response_promise<turn_started> rp;
  };

  registry_config config;
  conversation_deps deps; ///< handed to every conversation (its `registry` is this actor)
  std::unordered_map<std::string, entry> live;
  std::unordered_map<std::string, std::size_t> streams_per_user;
  std::size_t streams_total = 0;
  /// Starts in flight per (user, idempotency key), and those that wait for them.
  std::unordered_map<std::string, std::vector<waiting_start>> keys_in_flight;
  domain::unix_ms provider_down_until = 0;
  bool draining = false;
  std::vector<caf::typed_response_promise<bool>> drain_waiters;
};

/// Finds or starts the conversation actor for every request, so that each conversation has
/// exactly one; enforces the concurrent-stream limits; refuses new turns while the provider is
/// down or the service drains; lets idle conversations leave memory without losing a message
/// that is on its way to them.
registry_actor::behavior_type registry(registry_actor::stateful_pointer<registry_state> self,
                                       registry_config config, storage_reader_actor reader,
                                       storage_writer_actor writer, supervisor_actor supervisor);

} // namespace chatd::actors

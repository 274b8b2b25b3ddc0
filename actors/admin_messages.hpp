#pragma once

// What the admin actor answers, over CAF's network layer, to `chatctl`. Both sides register
// these types under the same names with register_admin_types().

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace chatd::actors {

using streams_atom = caf::atom_constant<caf::atom("streams")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using inspect_atom = caf::atom_constant<caf::atom("inspect")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;

/// One answer being written.
struct stream_info {
  std::string conversation_id;
  std::string user_id;
  std::string answer_id;
  std::string request_id;
  std::string state; ///< committing, running, finishing
  std::int64_t age_ms = 0;
  std::uint64_t chunks = 0;
  std::uint64_t sse_writers = 0;
  bool fallback = false;
};

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, stream_info& x) {
  return f(caf::meta::type_name("stream_info"), x.conversation_id, x.user_id, x.answer_id,
           x.request_id, x.state, x.age_ms, x.chunks, x.sse_writers, x.fallback);
}

/// A conversation actor in memory.
struct conversation_info {
  std::string conversation_id;
  std::string user_id;
  std::string title;
  bool found = false; ///< false: no such conversation is in memory
  bool live = false;  ///< an answer is being written
  std::uint64_t mailbox = 0;
  std::int64_t idle_ms = 0;
  std::vector<stream_info> streams; ///< the live answer, if any
};

template<class Inspector>
typename Inspector::result_type inspect(Inspector& f, conversation_info& x) {
  return f(caf::meta::type_name("conversation_info"), x.conversation_id, x.user_id, x.title,
           x.found, x.live, x.mailbox, x.idle_ms, x.streams);
}

/// The service as a whole.
struct service_status {
  std::uint64_t conversations_in_memory = 0;
  std::uint64_t streams_open = 0;
  std::uint64_t registry_mailbox = 0;
  std::uint64_t supervisor_mailbox = 0;
  std::uint64_t upstreams_running = 0;
  std::uint64_t supervisor_restarts = 0; ///< fallbacks started
  std::uint64_t supervisor_failures = 0; ///< answers that failed after every attempt
  std::int64_t provider_down_for_ms = 0; ///< > 0 while new turns are refused
  std::uint64_t storage_queue = 0;       ///< changes waiting for the writer
  std::uint64_t storage_commits = 0;
  std::uint64_t provider_transfers = 0; ///< HTTP transfers in the provider loop
};

template<class Inspector> typename Inspector::result_type inspect(Inspector& f, service_status& x) {
  return f(caf::meta::type_name("service_status"), x.conversations_in_memory, x.streams_open,
           x.registry_mailbox, x.supervisor_mailbox, x.upstreams_running, x.supervisor_restarts,
           x.supervisor_failures, x.provider_down_for_ms, x.storage_queue, x.storage_commits,
           x.provider_transfers);
}

/// The admin actor: a read-mostly view into the running service for operators (`chatctl`).
using admin_actor = caf::typed_actor<
    // Every answer being written now.
    caf::replies_to<streams_atom>::with<std::vector<stream_info>>,
    // One conversation actor's state (found = false when it is not in memory).
    caf::replies_to<inspect_atom, std::string>::with<conversation_info>,
    // Stops an answer by its id, as its owner could; replies with the stored status.
    caf::replies_to<stop_atom, std::string>::with<std::string>,
    // Counters and queue depths of the long-lived actors.
    caf::replies_to<status_atom>::with<service_status>>;

/// Registers the admin types under stable names; both chatd and chatctl call it.
inline void register_admin_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<stream_info>("chatd.stream_info");
  cfg.add_message_type<std::vector<stream_info>>("chatd.stream_info_list");
  cfg.add_message_type<conversation_info>("chatd.conversation_info");
  cfg.add_message_type<service_status>("chatd.service_status");
}

} // namespace chatd::actors

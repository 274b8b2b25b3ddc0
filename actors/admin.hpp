#pragma once

#include "actors/interfaces.hpp"

namespace chatd::actors {

/// The actors the admin view reads from.
struct admin_deps {
  registry_actor registry;
  supervisor_actor supervisor;
  storage_writer_actor writer;
  provider_monitor_actor provider;
};

struct admin_state {
  static constexpr const char* name = "admin";
  admin_deps deps;
};

/// Answers operators' questions (`chatctl`) by asking the long-lived actors and every
/// conversation in memory; changes nothing except through `stop`, which acts like the
/// answer's owner pressing Stop.
///
///   chatctl ──remote_actor──▶ admin ──status/inspect──▶ registry ──▶ conversations
///                                 └──status──▶ supervisor, storage writer, provider monitor
admin_actor::behavior_type admin(admin_actor::stateful_pointer<admin_state> self, admin_deps deps);

/// Reports the provider loop's running transfers; `count` is called on the actor's thread.
provider_monitor_actor::behavior_type provider_monitor(std::function<std::uint64_t()> count);

} // namespace chatd::actors

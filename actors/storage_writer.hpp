#pragma once

#include <caf/fwd.hpp>

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

namespace chatd::actors {

/// Starts the database's one writer on a thread of its own.
///
///   request ──▶ mailbox ──▶ [SAVEPOINT; run; RELEASE] × every queued request ──▶ COMMIT
///                                                                             └─▶ replies
///
/// Requests that queue up while one commit syncs to disk are committed together by the next
/// one (group commit): one fsync serves many turns. A request that fails rolls back alone, to
/// its savepoint. Replies go out only after the commit, so an answer means "durable".
storage_writer_actor spawn_storage_writer(caf::actor_system& sys, storage::database_options opts);

} // namespace chatd::actors

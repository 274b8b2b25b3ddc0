#pragma once

#include <atomic>
#include <memory>

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
///
/// A transaction that cannot begin (another process holds the database's write lock past the
/// busy timeout) or commit (a full disk) fails the requests in it; the writer goes on, and
/// `health` says that writes fail until one commits again.
struct storage_health {
  std::atomic<bool> writes_failing{false};
};

storage_writer_actor spawn_storage_writer(caf::actor_system& sys, storage::database_options opts,
                                          std::shared_ptr<storage_health> health = nullptr);

} // namespace chatd::actors

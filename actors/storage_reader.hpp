#pragma once

#include <cstddef>

#include <caf/fwd.hpp>

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

namespace chatd::actors {

/// Starts `count` readers, each on a thread of its own with its own connection (WAL lets them
/// read while the writer commits), behind one round-robin handle.
storage_reader_actor spawn_storage_readers(caf::actor_system& sys, storage::database_options opts,
                                           std::size_t count);

} // namespace chatd::actors

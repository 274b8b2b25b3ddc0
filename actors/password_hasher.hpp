#pragma once

#include <cstddef>

#include <caf/fwd.hpp>

#include "actors/interfaces.hpp"

namespace chatd::actors {

/// Starts `count` hashers (argon2id through libsodium at its INTERACTIVE limits), each on a
/// thread of its own, behind one round-robin handle.
password_hasher_actor spawn_password_hashers(caf::actor_system& sys, std::size_t count);

} // namespace chatd::actors

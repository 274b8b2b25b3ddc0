#include "actors/password_hasher.hpp"

#include <caf/actor_pool.hpp>
#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <sodium.h>

#include "actors/errors.hpp"

namespace chatd::actors {

namespace {

password_hasher_actor::behavior_type password_hasher() {
  return {
      [](const hash_password_cmd& cmd) -> caf::result<std::string> {
        char out[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(out, cmd.password.data(), cmd.password.size(),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
          return to_caf_error(domain::error_code::internal_error, "out of memory while hashing");
        return std::string(out);
      },
      [](const verify_password_cmd& cmd) {
        return crypto_pwhash_str_verify(cmd.password_hash.c_str(), cmd.password.data(),
                                        cmd.password.size()) == 0;
      },
  };
}

} // namespace

password_hasher_actor spawn_password_hashers(caf::actor_system& sys, std::size_t count) {
  auto factory = [&sys] {
    return caf::actor_cast<caf::actor>(sys.spawn<caf::detached>(password_hasher));
  };
  return caf::actor_cast<password_hasher_actor>(caf::actor_pool::make(
      sys.dummy_execution_unit(), count, factory, caf::actor_pool::round_robin()));
}

} // namespace chatd::actors

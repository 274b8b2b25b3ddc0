#pragma once

// The payloads with which long-lived actors report their state to the admin actor.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/domain_inspect.hpp"

namespace chatd::actors {

struct supervisor_status {
  std::uint64_t children = 0;
  std::uint64_t restarts = 0;
  std::uint64_t failures = 0;
  domain::unix_ms down_until = 0;
  std::uint64_t mailbox = 0;
};
CHATD_INSPECT(supervisor_status, x.children, x.restarts, x.failures, x.down_until, x.mailbox)

struct storage_status {
  std::uint64_t queue = 0;
  std::uint64_t commits = 0;
};
CHATD_INSPECT(storage_status, x.queue, x.commits)

/// A message found by its id alone, with the owner of its conversation (for admin stops).
struct owned_message {
  domain::message_record message;
  std::string user_id;
};
CHATD_INSPECT(owned_message, x.message, x.user_id)

struct find_any_message_query {
  std::string message_id;
};
CHATD_INSPECT(find_any_message_query, x.message_id)

/// Admin stop: by message id, on behalf of the message's owner.
struct admin_stop_cmd {
  std::string message_id;
};
CHATD_INSPECT(admin_stop_cmd, x.message_id)

} // namespace chatd::actors

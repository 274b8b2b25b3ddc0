#pragma once
// Before a chatd run: users and bearer tokens through chatd's own API (register, then
// POST /api/auth/tokens with the session cookie), over short blocking connections.

#include "tools/loadgen/options.hpp"

#include <string>
#include <vector>

namespace chatd::loadgen {

/// Registers `users` fresh users and returns one bearer token each.
/// @throws std::runtime_error with chatd's answer when a step fails.
std::vector<std::string> create_chatd_tokens(const endpoint& server, std::size_t users);

/// `name=value` of a Set-Cookie field value (what goes back in a Cookie header).
std::string cookie_pair(std::string_view set_cookie);

} // namespace chatd::loadgen

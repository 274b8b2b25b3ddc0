#pragma once

#include <string>

namespace chatd::actors {

/// A new session or bearer token: 256 bits from libsodium's CSPRNG, base64url.
std::string new_session_token();

/// What the database keeps instead of the token: BLAKE2b-256 of it, in hex. A stolen database
/// therefore holds no usable token.
std::string hash_session_token(const std::string& token);

} // namespace chatd::actors

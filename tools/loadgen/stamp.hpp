#pragma once
// What the load generator reads out of an event: the mock provider's benchmark stamps and the
// two JSON fields it needs (`type` and the delta's text), without a JSON parser on the hot path.

#include <cstdint>
#include <optional>
#include <string_view>

namespace chatd::loadgen {

/// A benchmark delta `@<send_ns>;<word> `, or for a response's first delta
/// `@<send_ns>;r<recv_ns>;<word> ` (both CLOCK_MONOTONIC ns of the mock's machine).
struct stamp {
  std::uint64_t send_ns = 0;
  std::optional<std::uint64_t> recv_ns; ///< When the mock received the request.
};

/// Parses a stamped delta; nullopt for any other shape.
std::optional<stamp> parse_stamp(std::string_view delta);

/// The raw text of the string member `key` of a compact JSON object (as chatd, Node's
/// JSON.stringify and the mock write them: `"key":"value"`, blanks after ':' allowed), with
/// escapes left as they are; nullopt if absent or not a string. Only for values without
/// escaped quotes — stamps and event types have none.
std::optional<std::string_view> json_string_member(std::string_view json, std::string_view key);

/// CLOCK_MONOTONIC now, in ns: the clock the mock stamps with.
std::uint64_t monotonic_ns();

} // namespace chatd::loadgen

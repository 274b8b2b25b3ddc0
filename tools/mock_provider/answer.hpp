#pragma once
// What the mock answers and how the answer is cut into deltas. Pure functions: tested alone.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::mock {

/// The default answer, which proves that context was carried:
///     Echo: <user text> (turn <k>; first message: "<first text>")
std::string echo_answer(std::string_view user_text, std::size_t turn, std::string_view first_text);

/// One piece per word: a cut after each blank (' '), so every piece but the last ends with
/// one. No piece is empty; an empty text gives none.
std::vector<std::string> split_after_spaces(std::string_view text);

/// Exactly `n` non-empty pieces, cut on character boundaries with about as many characters in
/// each. A text with fewer than `n` characters is first repeated (blank-separated) until it
/// has enough; an empty one becomes dots.
std::vector<std::string> split_into(std::string_view text, std::size_t n);

/// CLOCK_MONOTONIC in nanoseconds: the clock a load generator on the same machine compares with.
std::uint64_t monotonic_ns();

/// A benchmark delta: `@<ns>;<filler word> `, the word cycling through a fixed list. With
/// `received_ns` (a response's first delta): `@<ns>;r<received_ns>;<filler word> `.
std::string stamped_delta(std::uint64_t ns, std::size_t index,
                          std::optional<std::uint64_t> received_ns = std::nullopt);

/// A rough token count (a token is about four characters) for the `usage` object.
std::size_t approx_tokens(std::string_view text);

} // namespace chatd::mock

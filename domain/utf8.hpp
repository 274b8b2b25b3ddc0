#pragma once

#include <cstddef>
#include <string_view>

namespace chatd::domain {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// The number of Unicode code points in well-formed UTF-8 `text` (counts lead bytes).
std::size_t count_code_points(std::string_view text);

/// The longest prefix of `text` holding at most `max_points` code points, never cutting a
/// character in two.
std::string_view prefix_by_code_points(std::string_view text, std::size_t max_points);

} // namespace chatd::domain

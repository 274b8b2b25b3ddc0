#pragma once

#include <string>
#include <string_view>

namespace chatd::domain {

/// Appends `text` to `out` as a JSON string literal, quotes included. Expects valid UTF-8 and
/// copies it through unchanged except for the characters JSON must escape; this is the hot
/// path of every relayed chunk, so it avoids building a JSON value.
void append_json_string(std::string& out, std::string_view text);

} // namespace chatd::domain

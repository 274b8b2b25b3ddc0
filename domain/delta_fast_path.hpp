#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::domain {

/// The `delta` of a `response.output_text.delta` event's JSON, read without building a JSON
/// document: this event arrives once per chunk, and a full parse was the largest part of
/// relaying one. Returns nullopt for anything else or anything unusual (another type, a
/// malformed or surprising payload, escapes that decode to invalid UTF-8); the caller then
/// parses the event fully, so both paths always agree.
std::optional<std::string> text_delta_of(std::string_view event_json);

} // namespace chatd::domain

#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/provider_event.hpp"

namespace chatd::domain {

// Readers of the Responses API's events that take what the relay needs without building a JSON
// document. A full parse of each delta was once the largest part of relaying a chunk, and at the
// end of every answer four events carry the whole text again (about 19 KB for 200 deltas), which
// nlohmann took about 0.3 ms to read: a thousand answers ending together kept the actors busy for
// a third of a second.
//
// Each reader returns nullopt for anything unusual (another type, malformed or ill-formed UTF-8
// text, a repeated key it reads, a shape it does not expect, deep nesting); the caller then
// parses the event fully, so both paths always agree.

/// The `delta` of a `response.output_text.delta` event.
std::optional<std::string> text_delta_of(std::string_view event_json);

/// The top-level `type` of a well-formed event object, when it is a non-empty string.
std::optional<std::string> event_type_of(std::string_view event_json);

/// A `response.completed` event: the response's `id` and the text of its `output_text` parts.
std::optional<provider_completed> completed_of(std::string_view event_json);

} // namespace chatd::domain

#pragma once

#include <string>
#include <variant>

namespace chatd::domain {

// What the model provider told us, in the service's terms (decoded from OpenAI's Responses
// API events). An upstream actor turns these into stream events.

/// The provider accepted the request and named the response.
struct provider_started {
  std::string response_id;
};

/// A piece of the answer's text, in order.
struct provider_text {
  std::string delta;
};

/// The answer is complete; `text` is the provider's full text when it sent one.
struct provider_completed {
  std::string response_id;
  std::string text;
};

/// The provider gave up on this response (`response.failed`, `response.incomplete`, `error`,
/// or a payload we cannot read).
struct provider_failed {
  std::string code;
  std::string message;
};

using provider_event =
    std::variant<provider_started, provider_text, provider_completed, provider_failed>;

} // namespace chatd::domain

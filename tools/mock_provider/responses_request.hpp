#pragma once
// Reading the body of `POST /v1/responses` the way OpenAI does, keeping only what the mock uses.

#include "tools/mock_provider/openai_objects.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace chatd::mock {

struct responses_request {
  std::string model;
  bool stream = false;
  std::optional<std::string> previous_response_id;
  std::optional<std::string> conversation_id; ///< `conversation` as a string or `{"id": ...}`
  std::optional<std::string> instructions;
  /// Text of every user item of `input`, in order (a string `input` is one user item); the
  /// last one is "the user text". Parts other than input_text are skipped.
  std::vector<std::string> user_texts;
};

/// The request, or the 400 OpenAI would answer. Unknown fields are ignored.
std::variant<responses_request, api_error> parse_responses_request(const nlohmann::json& body);

} // namespace chatd::mock

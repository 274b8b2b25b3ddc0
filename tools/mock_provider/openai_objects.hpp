#pragma once
// The JSON shapes of OpenAI's Responses API that the mock produces: the response object, its
// message item, usage, and the error body. Key order follows OpenAI's (`ordered_json`), so a
// captured stream reads like a real one.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::mock {

using ojson = nlohmann::ordered_json;

/// What every form of one response shares, from `response.created` to `response.completed`.
struct response_meta {
  std::string id;      ///< `resp_<hex>`
  std::string item_id; ///< `msg_<hex>`, the one assistant message
  std::int64_t created_at = 0;
  std::string model;
  std::optional<std::string> previous_response_id;
  std::optional<std::string> conversation_id;
  std::optional<std::string> instructions;
  std::size_t input_tokens = 0;
};

/// The assistant message. Without `text`: just opened, empty content.
ojson message_item(const response_meta& meta, std::string_view status, const std::string* text);

/// The response object. `status` is in_progress, completed, incomplete or failed; `text` is the
/// output so far (none: `output` is empty and `usage` null); `error` goes with `failed`.
ojson response_object(const response_meta& meta, std::string_view status, const std::string* text,
                      ojson error = nullptr);

/// An error answered before any stream starts, in OpenAI's shape.
struct api_error {
  int status = 400;
  std::string message;
  std::string type = "invalid_request_error";
  std::optional<std::string> param;
  std::optional<std::string> code;
};

/// `{"error":{"message","type","param","code"}}`.
std::string error_body(const api_error& error);

/// `{"type":"server_error","code":"server_error","message":...}` for fault switches.
api_error server_error(int status, std::string message);

} // namespace chatd::mock

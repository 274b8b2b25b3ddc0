#include "tools/mock_provider/responses_request.hpp"

namespace chatd::mock {

namespace {

api_error missing(const char* param) {
  return {400, std::string("Missing required parameter: '") + param + "'.", "invalid_request_error",
          std::string(param), std::string("missing_required_parameter")};
}

api_error invalid_type(const char* param, const char* expected) {
  return {400, std::string("Invalid type for '") + param + "': expected " + expected + ".",
          "invalid_request_error", std::string(param), std::string("invalid_type")};
}

// An item's content is a string or a list of parts; only the text parts count.
std::optional<std::string> content_text(const nlohmann::json& content) {
  if (content.is_string())
    return content.get<std::string>();
  if (!content.is_array())
    return std::nullopt;
  std::string text;
  for (const auto& part : content) {
    if (!part.is_object())
      continue;
    const auto type = part.value("type", std::string("input_text"));
    const auto it = part.find("text");
    if ((type == "input_text" || type == "text") && it != part.end() && it->is_string())
      text += it->get<std::string>();
  }
  return text;
}

} // namespace

std::variant<responses_request, api_error> parse_responses_request(const nlohmann::json& body) {
  if (!body.is_object())
    return api_error{400, "The request body must be a JSON object.", "invalid_request_error",
                     std::nullopt, std::nullopt};
  responses_request r;

  const auto model = body.find("model");
  if (model == body.end() || model->is_null())
    return missing("model");
  if (!model->is_string() || model->get<std::string>().empty())
    return invalid_type("model", "a non-empty string");
  r.model = model->get<std::string>();

  const auto input = body.find("input");
  if (input == body.end() || input->is_null())
    return missing("input");
  if (input->is_string()) {
    r.user_texts.push_back(input->get<std::string>());
  } else if (input->is_array()) {
    for (const auto& item : *input) {
      if (!item.is_object() || item.value("role", std::string()) != "user")
        continue;
      const auto content = item.find("content");
      if (content == item.end())
        continue;
      auto text = content_text(*content);
      if (!text)
        return invalid_type("input", "content as a string or a list of parts");
      r.user_texts.push_back(std::move(*text));
    }
  } else {
    return invalid_type("input", "a string or an array of items");
  }

  if (const auto it = body.find("stream"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean())
      return invalid_type("stream", "a boolean");
    r.stream = it->get<bool>();
  }
  if (const auto it = body.find("previous_response_id"); it != body.end() && !it->is_null()) {
    if (!it->is_string())
      return invalid_type("previous_response_id", "a string");
    r.previous_response_id = it->get<std::string>();
  }
  if (const auto it = body.find("conversation"); it != body.end() && !it->is_null()) {
    if (it->is_string())
      r.conversation_id = it->get<std::string>();
    else if (it->is_object() && it->contains("id") && (*it)["id"].is_string())
      r.conversation_id = (*it)["id"].get<std::string>();
    else
      return invalid_type("conversation", "a string or an object with an id");
  }
  if (r.previous_response_id && r.conversation_id)
    return api_error{400,
                     "Mutually exclusive parameters: Ensure you are only providing one of: "
                     "'previous_response_id' or 'conversation'.",
                     "invalid_request_error", std::string("conversation"),
                     std::string("mutually_exclusive_parameters")};
  if (const auto it = body.find("instructions"); it != body.end() && it->is_string())
    r.instructions = it->get<std::string>();
  return r;
}

} // namespace chatd::mock

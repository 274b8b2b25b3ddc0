#include "tools/mock_provider/openai_objects.hpp"

#include "tools/mock_provider/answer.hpp"

namespace chatd::mock {

namespace {

template<class T> ojson or_null(const std::optional<T>& v) {
  return v ? ojson(*v) : ojson(nullptr);
}

ojson usage(const response_meta& meta, const std::string& text) {
  const auto output_tokens = approx_tokens(text);
  return {
      {"input_tokens", meta.input_tokens},
      {"input_tokens_details", {{"cached_tokens", 0}}},
      {"output_tokens", output_tokens},
      {"output_tokens_details", {{"reasoning_tokens", 0}}},
      {"total_tokens", meta.input_tokens + output_tokens},
  };
}

} // namespace

ojson message_item(const response_meta& meta, std::string_view status, const std::string* text) {
  ojson content = ojson::array();
  if (text)
    content.push_back({{"type", "output_text"}, {"annotations", ojson::array()}, {"text", *text}});
  return {
      {"id", meta.item_id}, {"type", "message"},   {"status", status},
      {"content", content}, {"role", "assistant"},
  };
}

ojson response_object(const response_meta& meta, std::string_view status, const std::string* text,
                      ojson error) {
  ojson output = ojson::array();
  if (text)
    output.push_back(message_item(meta, status == "completed" ? "completed" : "incomplete", text));
  ojson incomplete = nullptr;
  if (status == "incomplete")
    incomplete = {{"reason", "max_output_tokens"}};
  ojson conversation = nullptr;
  if (meta.conversation_id)
    conversation = {{"id", *meta.conversation_id}};
  return {
      {"id", meta.id},
      {"object", "response"},
      {"created_at", meta.created_at},
      {"status", status},
      {"background", false},
      {"error", std::move(error)},
      {"incomplete_details", std::move(incomplete)},
      {"instructions", or_null(meta.instructions)},
      {"max_output_tokens", nullptr},
      {"model", meta.model},
      {"output", std::move(output)},
      {"parallel_tool_calls", true},
      {"previous_response_id", or_null(meta.previous_response_id)},
      {"reasoning", {{"effort", nullptr}, {"summary", nullptr}}},
      {"store", true},
      {"temperature", 1.0},
      {"text", {{"format", {{"type", "text"}}}}},
      {"tool_choice", "auto"},
      {"tools", ojson::array()},
      {"top_p", 1.0},
      {"truncation", "disabled"},
      {"usage", text ? usage(meta, *text) : ojson(nullptr)},
      {"user", nullptr},
      {"metadata", ojson::object()},
      {"conversation", std::move(conversation)},
  };
}

std::string error_body(const api_error& error) {
  const ojson body = {{"error",
                       {
                           {"message", error.message},
                           {"type", error.type},
                           {"param", or_null(error.param)},
                           {"code", or_null(error.code)},
                       }}};
  return body.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

api_error server_error(int status, std::string message) {
  return {status, std::move(message), "server_error", std::nullopt, std::string("server_error")};
}

} // namespace chatd::mock

#include "tools/mock_provider/routes.hpp"

#include "tools/mock_provider/http_replies.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

namespace chatd::mock {

namespace {

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A query parameter as a number, or `fallback` when absent or unreadable.
long query_number(const restinio::query_string_params_t& params, std::string_view name,
                  long fallback) {
  const auto value = params.get_param(name);
  if (!value)
    return fallback;
  long n = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, n);
  return ec == std::errc() && ptr == end ? n : fallback;
}

} // namespace

restinio::default_request_handler_t routes::make_handler(std::shared_ptr<routes> self) {
  using handler =
      restinio::request_handling_status_t (routes::*)(const restinio::request_handle_t&);
  struct route {
    restinio::http_method_id_t method;
    std::string_view path;
    handler on;
  };
  static const route table[] = {
      {restinio::http_method_get(), "/v1/models", &routes::on_get_models},
      {restinio::http_method_post(), "/v1/conversations", &routes::on_post_conversations},
      {restinio::http_method_post(), "/v1/responses", &routes::on_post_responses},
      {restinio::http_method_get(), "/mock/requests", &routes::on_get_mock_requests},
      {restinio::http_method_post(), "/mock/reset", &routes::on_post_mock_reset},
  };
  return [self](restinio::request_handle_t req) {
    const auto& h = req->header();
    for (const auto& r : table)
      if (r.method == h.method() && r.path == h.path())
        return ((*self).*(r.on))(req);
    return self->on_not_found(req);
  };
}

restinio::request_handling_status_t routes::on_get_models(const restinio::request_handle_t& req) {
  if (auto error = check_auth(req))
    return reply_error(req, *error);
  const ojson body = {
      {"object", "list"},
      {"data",
       {{{"id", "mock-model"},
         {"object", "model"},
         {"created", 1700000000},
         {"owned_by", "chatd-mock"}}}},
  };
  return reply_json(req, 200, body.dump());
}

restinio::request_handling_status_t
routes::on_post_conversations(const restinio::request_handle_t& req) {
  if (auto error = check_auth(req))
    return reply_error(req, *error);
  // OpenAI echoes the metadata it was given; anything else in the body is ignored here.
  ojson metadata = ojson::object();
  const auto body = ojson::parse(req->body(), nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("metadata") && body["metadata"].is_object())
    metadata = body["metadata"];
  const ojson conversation = {
      {"id", state_->conversations.create_conversation()},
      {"object", "conversation"},
      {"created_at", unix_seconds()},
      {"metadata", std::move(metadata)},
  };
  return reply_json(req, 200, conversation.dump());
}

restinio::request_handling_status_t
routes::on_get_mock_requests(const restinio::request_handle_t& req) {
  long wait_for = 0;
  long timeout_ms = 5000;
  try {
    const auto params = restinio::parse_query(req->header().query());
    wait_for = std::max(0L, query_number(params, "wait_for", 0));
    timeout_ms = std::clamp(query_number(params, "timeout_ms", 5000), 0L, 60'000L);
  } catch (const std::exception&) {
    return reply_error(req, {400, "Unreadable query string.", "invalid_request_error", std::nullopt,
                             std::nullopt});
  }
  state_->log.wait_for(state_->io, static_cast<std::size_t>(wait_for),
                       std::chrono::milliseconds(timeout_ms),
                       [req](std::string body) { reply_json(req, 200, std::move(body)); });
  return restinio::request_accepted();
}

restinio::request_handling_status_t
routes::on_post_mock_reset(const restinio::request_handle_t& req) {
  state_->log.reset();
  state_->counters.reset();
  return reply_json(req, 200, R"({"reset":true})");
}

restinio::request_handling_status_t routes::on_not_found(const restinio::request_handle_t& req) {
  const std::string method{req->header().method().c_str()};
  return reply_error(req,
                     {404, "Invalid URL (" + method + " " + std::string(req->header().path()) + ")",
                      "invalid_request_error", std::nullopt, std::nullopt});
}

std::optional<api_error> routes::check_auth(const restinio::request_handle_t& req) const {
  const auto value = req->header().get_field_or(restinio::http_field::authorization, "");
  std::string scheme = value.substr(0, 7);
  for (auto& c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string token = scheme == "bearer " ? value.substr(7) : std::string();
  while (!token.empty() && token.front() == ' ')
    token.erase(0, 1);
  while (!token.empty() && token.back() == ' ')
    token.pop_back();
  if (token.empty())
    return api_error{401,
                     "You didn't provide an API key. You need to provide your API key in an "
                     "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                     "YOUR_KEY).",
                     "invalid_request_error", std::nullopt, std::string("invalid_api_key")};
  const auto& required = state_->options.required_api_key;
  if (!required.empty() && token != required) {
    // Like OpenAI, show only the ends of the key that was given.
    const auto shown = token.size() > 8
                           ? token.substr(0, 3) + "*****" + token.substr(token.size() - 4)
                           : std::string("*****");
    return api_error{401, "Incorrect API key provided: " + shown + ".", "invalid_request_error",
                     std::nullopt, std::string("invalid_api_key")};
  }
  return std::nullopt;
}

} // namespace chatd::mock

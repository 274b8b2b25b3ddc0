#include "domain/error.hpp"

#include <nlohmann/json.hpp>

namespace chatd::domain {

std::string_view to_string(error_code code) {
  switch (code) {
  case error_code::invalid_json:
    return "invalid_json";
  case error_code::invalid_request:
    return "invalid_request";
  case error_code::unauthenticated:
    return "unauthenticated";
  case error_code::invalid_credentials:
    return "invalid_credentials";
  case error_code::forbidden_origin:
    return "forbidden_origin";
  case error_code::not_found:
    return "not_found";
  case error_code::username_taken:
    return "username_taken";
  case error_code::stream_in_progress:
    return "stream_in_progress";
  case error_code::payload_too_large:
    return "payload_too_large";
  case error_code::rate_limited:
    return "rate_limited";
  case error_code::too_many_streams:
    return "too_many_streams";
  case error_code::upstream_error:
    return "upstream_error";
  case error_code::upstream_unavailable:
    return "upstream_unavailable";
  case error_code::upstream_timeout:
    return "upstream_timeout";
  case error_code::shutting_down:
    return "shutting_down";
  case error_code::internal_error:
    break;
  }
  return "internal_error";
}

std::optional<error_code> parse_error_code(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(error_code::internal_error); ++i)
    if (to_string(static_cast<error_code>(i)) == name)
      return static_cast<error_code>(i);
  return std::nullopt;
}

int http_status(error_code code) {
  switch (code) {
  case error_code::invalid_json:
  case error_code::invalid_request:
    return 400;
  case error_code::unauthenticated:
  case error_code::invalid_credentials:
    return 401;
  case error_code::forbidden_origin:
    return 403;
  case error_code::not_found:
    return 404;
  case error_code::username_taken:
  case error_code::stream_in_progress:
    return 409;
  case error_code::payload_too_large:
    return 413;
  case error_code::rate_limited:
  case error_code::too_many_streams:
    return 429;
  case error_code::upstream_error:
    return 502;
  case error_code::upstream_unavailable:
  case error_code::shutting_down:
    return 503;
  case error_code::upstream_timeout:
    return 504;
  case error_code::internal_error:
    break;
  }
  return 500;
}

std::string error_body(const api_error& err) {
  // API.md lists exactly which codes an HTTP answer carries; `shutting_down` is a stream's
  // ending only. A request refused while the service stops says what a client should do with
  // it, the same as for a provider that is away: 503, come back shortly.
  auto code = err.code == error_code::shutting_down ? error_code::upstream_unavailable : err.code;
  nlohmann::json body = {{"error", {{"code", to_string(code)}, {"message", err.message}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace chatd::domain

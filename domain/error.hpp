#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::domain {

/// The stable machine codes of API.md's error table (and of SSE `error` events).
enum class error_code {
  invalid_json,
  invalid_request,
  unauthenticated,
  invalid_credentials,
  forbidden_origin,
  not_found,
  username_taken,
  stream_in_progress,
  payload_too_large,
  rate_limited,
  too_many_streams,
  upstream_error,
  upstream_unavailable,
  upstream_timeout,
  shutting_down,
  internal_error,
};

/// The wire name, e.g. `stream_in_progress`.
std::string_view to_string(error_code code);

/// The code of a wire name; nothing for a name that is not one.
std::optional<error_code> parse_error_code(std::string_view name);

/// The HTTP status that answers this code outside of a stream.
int http_status(error_code code);

/// An error as the service reports it: a code and a sentence for a person.
struct api_error {
  error_code code = error_code::internal_error;
  std::string message;
};

/// `{"error":{"code":"...","message":"..."}}`, the one body shape of every error answer.
/// `shutting_down` is written as `upstream_unavailable`, one of API.md's codes for HTTP.
std::string error_body(const api_error& err);

} // namespace chatd::domain

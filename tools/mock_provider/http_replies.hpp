#pragma once
// The one path by which the mock answers a plain (non-streamed) JSON reply or error.

#include "tools/mock_provider/openai_objects.hpp"

#include <restinio/all.hpp>

#include <string>
#include <utility>
#include <vector>

namespace chatd::mock {

using header_list = std::vector<std::pair<std::string, std::string>>;

inline const char* reason_phrase(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 404:
    return "Not Found";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Status";
  }
}

inline restinio::request_handling_status_t reply_json(const restinio::request_handle_t& req,
                                                      int status, std::string body,
                                                      const header_list& extra = {}) {
  auto resp = req->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(status)}, reason_phrase(status)});
  resp.append_header(restinio::http_field::content_type, "application/json");
  for (const auto& [name, value] : extra)
    resp.append_header(name, value);
  return resp.set_body(std::move(body)).done();
}

inline restinio::request_handling_status_t reply_error(const restinio::request_handle_t& req,
                                                       const api_error& error,
                                                       const header_list& extra = {}) {
  return reply_json(req, error.status, error_body(error), extra);
}

} // namespace chatd::mock

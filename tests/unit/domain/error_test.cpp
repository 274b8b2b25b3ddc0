#include "domain/error.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chatd::domain;

TEST_CASE("every error code has its wire name and HTTP status", "[error]") {
  struct row {
    error_code code;
    const char* name;
    int status;
  };
  const row table[] = {
      {error_code::invalid_json, "invalid_json", 400},
      {error_code::invalid_request, "invalid_request", 400},
      {error_code::unauthenticated, "unauthenticated", 401},
      {error_code::invalid_credentials, "invalid_credentials", 401},
      {error_code::forbidden_origin, "forbidden_origin", 403},
      {error_code::not_found, "not_found", 404},
      {error_code::username_taken, "username_taken", 409},
      {error_code::stream_in_progress, "stream_in_progress", 409},
      {error_code::payload_too_large, "payload_too_large", 413},
      {error_code::rate_limited, "rate_limited", 429},
      {error_code::too_many_streams, "too_many_streams", 429},
      {error_code::upstream_error, "upstream_error", 502},
      {error_code::upstream_unavailable, "upstream_unavailable", 503},
      {error_code::upstream_timeout, "upstream_timeout", 504},
      {error_code::shutting_down, "shutting_down", 503},
      {error_code::internal_error, "internal_error", 500},
  };
  for (auto& r : table) {
    INFO(r.name);
    CHECK(to_string(r.code) == r.name);
    CHECK(http_status(r.code) == r.status);
  }
}

TEST_CASE("error_body is {error: {code, message}} and nothing else", "[error]") {
  const auto body = error_body({error_code::not_found, "no such conversation"});
  CHECK(body == R"({"error":{"code":"not_found","message":"no such conversation"}})");
}

TEST_CASE("error_body escapes the message", "[error]") {
  const std::string message = "bad \"field\"\n\\ \xE4\xB8\x96";
  const auto j = nlohmann::json::parse(error_body({error_code::invalid_request, message}));
  CHECK(j["error"]["code"] == "invalid_request");
  CHECK(j["error"]["message"] == message);
}

TEST_CASE("error_body survives invalid UTF-8 in the message", "[error]") {
  std::string body;
  REQUIRE_NOTHROW(body = error_body({error_code::upstream_error, "bad \xFF byte"}));
  CHECK(nlohmann::json::parse(body)["error"]["message"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("an HTTP answer to a request refused while stopping uses a code of API.md's table",
          "[error]") {
  const auto j = nlohmann::json::parse(
      error_body({error_code::shutting_down, "the service is restarting; try again"}));
  CHECK(j["error"]["code"] == "upstream_unavailable");
  CHECK(j["error"]["message"] == "the service is restarting; try again");
  CHECK(http_status(error_code::shutting_down) == 503);
}

TEST_CASE("a default api_error is an internal error", "[error]") {
  api_error e;
  CHECK(e.code == error_code::internal_error);
  CHECK(http_status(e.code) == 500);
}

#include "domain/responses_request.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chatd::domain;
using nlohmann::json;

TEST_CASE("a first turn carries model, input and stream", "[responses_request]") {
  const auto body =
      encode_responses_request({"gpt-5-mini", "Hello \"there\"\n\xE4\xB8\x96", "", true, {}, {}});
  CHECK(json::parse(body) == json{{"model", "gpt-5-mini"},
                                  {"input", "Hello \"there\"\n\xE4\xB8\x96"},
                                  {"stream", true}});
}

TEST_CASE("a later turn names the previous response", "[responses_request]") {
  const auto j = json::parse(encode_responses_request({"m", "next", "resp_123", true, {}, {}}));
  CHECK(j["previous_response_id"] == "resp_123");
}

TEST_CASE("the non-streaming fallback asks for stream false", "[responses_request]") {
  const auto j = json::parse(encode_responses_request({"m", "x", "", false, {}, {}}));
  CHECK(j["stream"] == false);
  CHECK_FALSE(j.contains("previous_response_id"));
}

TEST_CASE("invalid UTF-8 input does not throw", "[responses_request]") {
  std::string body;
  REQUIRE_NOTHROW(body = encode_responses_request({"m", "bad \xC3\x28", "", true, {}, {}}));
  CHECK(json::parse(body)["input"] == "bad \xEF\xBF\xBD(");
}

TEST_CASE("messages the chain lacks go before the new one, as input items", "[responses_request]") {
  responses_request req{
      "m",
      "What is my name?",
      "resp_9",
      true,
      {{message_role::user, "My name is Ada"}, {message_role::assistant, "Nice to meet"}},
      {}};
  const auto j = json::parse(encode_responses_request(req));
  CHECK(j["previous_response_id"] == "resp_9");
  CHECK(j["input"] == json::array({{{"role", "user"}, {"content", "My name is Ada"}},
                                   {{"role", "assistant"}, {"content", "Nice to meet"}},
                                   {{"role", "user"}, {"content", "What is my name?"}}}));
}

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/delta_fast_path.hpp"

using chatd::domain::text_delta_of;

namespace {

/// What a full JSON parse says the delta is (nullopt when it is not a delta event).
std::optional<std::string> by_full_parse(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "response.output_text.delta" ||
      !j.contains("delta") || !j["delta"].is_string())
    return std::nullopt;
  return j["delta"].get<std::string>();
}

} // namespace

TEST_CASE("the delta fast path reads OpenAI's delta events exactly as a full parse does",
          "[domain][delta_fast_path]") {
  const std::vector<std::string> events = {
      R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]})",
      R"({"type":"response.output_text.delta","delta":"Gr\u00fc\u00dfe \ud83d\ude00 \"q\" \\ \/ \n\t","obfuscation":"x"})",
      R"({ "delta" : "你好 😀" , "type" : "response.output_text.delta" , "n" : -1.5e3, "b": true, "z": null, "o": {} })",
      R"({"type":"response.output_text.delta","delta":""})",
  };
  for (auto& ev : events) {
    INFO(ev);
    auto fast = text_delta_of(ev);
    REQUIRE(fast);
    CHECK(*fast == *by_full_parse(ev));
  }
}

TEST_CASE("the delta fast path leaves everything unusual to the full parser",
          "[domain][delta_fast_path]") {
  const std::vector<std::string> others = {
      R"({"type":"response.completed","response":{}})",
      R"({"type":"response.output_text.delta"})",
      R"({"delta":"no type"})",
      R"({"type":"response.output_text.delta","delta":"x","logprobs":[{"token":"x"}]})",
      R"({"type":"response.output_text.delta","delta":"x",})",
      R"({"type":"response.output_text.delta","delta":"x"} trailing)",
      R"({"type":"response.output_text.delta","delta":"\ud800"})",
      R"({"type":"response.output_text.delta","delta":"\q"})",
      R"({"type":"response.output_text.delta","delta":"x","n":01})",
      R"({"type":"response.output_text.delta","delta":"x","b":tru})",
      R"({"type":"response.output_text.delta","delta":"a","delta":"b"})",
      R"({"type":"response.output_text.delta","delta":"x","type":"other"})",
      "{\"type\":\"response.output_text.delta\",\"delta\":\"\xC3\x28\"}",
      "{\"type\":\"response.output_text.delta\",\"delta\":\"raw\ncontrol\"}",
      "",
      "[]",
  };
  for (auto& ev : others) {
    INFO(ev);
    CHECK_FALSE(text_delta_of(ev));
  }
}

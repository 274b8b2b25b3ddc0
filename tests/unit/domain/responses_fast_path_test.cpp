#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/responses_event_decoder.hpp"
#include "domain/responses_fast_path.hpp"

using namespace chatd::domain;

namespace {

/// What a full JSON parse says the delta is (nullopt when it is not a delta event).
std::optional<std::string> by_full_parse(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "response.output_text.delta" ||
      !j.contains("delta") || !j["delta"].is_string())
    return std::nullopt;
  return j["delta"].get<std::string>();
}

/// Every field of every event, in order, so that two decodings compare by content.
std::vector<std::string> fields(const std::vector<provider_event>& events) {
  std::vector<std::string> out;
  for (const auto& ev : events) {
    if (auto* e = std::get_if<provider_started>(&ev))
      out.insert(out.end(), {"started", e->response_id});
    else if (auto* e = std::get_if<provider_text>(&ev))
      out.insert(out.end(), {"text", e->delta});
    else if (auto* e = std::get_if<provider_completed>(&ev))
      out.insert(out.end(), {"completed", e->response_id, e->text});
    else if (auto* e = std::get_if<provider_failed>(&ev))
      out.insert(out.end(), {"failed", e->code, e->message});
  }
  return out;
}

std::vector<std::string> decoded(const std::string& data, bool full_parse) {
  sse_message msg{"", data, ""};
  std::vector<provider_event> out;
  if (full_parse)
    decode_event_by_full_parse(msg, out);
  else
    decode_event(msg, out);
  return fields(out);
}

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

const std::string message_item =
    R"({"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[)"
    R"({"type":"output_text","text":"Hello \u00fc","annotations":[]},)"
    R"({"type":"refusal","refusal":"no"},)"
    R"({"annotations":[],"text":" w\"orld","type":"output_text"}]})";

} // namespace

TEST_CASE("the delta reader reads OpenAI's delta events exactly as a full parse does",
          "[domain][responses_fast_path]") {
  const std::vector<std::string> events = {
      R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]})",
      R"({"type":"response.output_text.delta","delta":"Gr\u00fc\u00dfe \ud83d\ude00 \"q\" \\ \/ \n\t","obfuscation":"x"})",
      R"({ "delta" : "你好 😀" , "type" : "response.output_text.delta" , "n" : -1.5e3, "b": true, "z": null, "o": {} })",
      R"({"type":"response.output_text.delta","delta":"x","logprobs":[{"token":"x","top":[1,2.5]}]})",
      R"({"type":"response.output_text.delta","delta":""})",
  };
  for (auto& ev : events) {
    INFO(ev);
    auto fast = text_delta_of(ev);
    REQUIRE(fast);
    CHECK(*fast == *by_full_parse(ev));
  }
}

TEST_CASE("the delta reader leaves everything unusual to the full parser",
          "[domain][responses_fast_path]") {
  const std::vector<std::string> others = {
      R"({"type":"response.completed","response":{}})",
      R"({"type":"response.output_text.delta"})",
      R"({"delta":"no type"})",
      R"({"type":"response.output_text.delta","delta":"x",})",
      R"({"type":"response.output_text.delta","delta":"x"} trailing)",
      R"({"type":"response.output_text.delta","delta":"\ud800"})",
      R"({"type":"response.output_text.delta","delta":"\q"})",
      R"({"type":"response.output_text.delta","delta":"x","n":01})",
      R"({"type":"response.output_text.delta","delta":"x","n":1e999})",
      R"({"type":"response.output_text.delta","delta":"x","b":tru})",
      R"({"type":"response.output_text.delta","delta":"a","delta":"b"})",
      R"({"type":"response.output_text.delta","delta":"x","type":"other"})",
      "{\"type\":\"response.output_text.delta\",\"delta\":\"\xC3\x28\"}",
      // Ill-formed UTF-8 outside the delta: a full parse rejects the whole event.
      "{\"type\":\"response.output_text.delta\",\"item_id\":\"\xC3\x28\",\"delta\":\"x\"}",
      "{\"type\":\"response.output_text.delta\",\"delta\":\"raw\ncontrol\"}",
      R"({"type":"response.output_text.delta","delta":"x","deep":)" + nested(65) + "}",
      "",
      "[]",
  };
  for (auto& ev : others) {
    INFO(ev);
    CHECK_FALSE(text_delta_of(ev));
  }
}

TEST_CASE("the completed reader takes the response's id and the text of its output_text parts",
          "[domain][responses_fast_path]") {
  auto done = completed_of(
      R"({"type":"response.completed","sequence_number":11,"response":{"id":"resp_1",)"
      R"("output":[{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"hm"}]},)" +
      message_item + R"(],"usage":{"input_tokens":12,"output_tokens":9}}})");
  REQUIRE(done);
  CHECK(done->response_id == "resp_1");
  CHECK(done->text == "Hello \xC3\xBC w\"orld");
}

TEST_CASE("the type reader names well-formed events and declines the rest",
          "[domain][responses_fast_path]") {
  CHECK(event_type_of(R"({"sequence_number":9,"type":"response.output_text.done","text":"a"})") ==
        "response.output_text.done");
  CHECK(event_type_of(R"({"type":"x","deep":)" + nested(60) + "}") == "x");
  for (std::string bad : {
           R"({"type":"x","deep":)" + nested(65) + "}",
           std::string(R"({"type":""})"),
           std::string(R"({"type":1})"),
           std::string(R"({"text":"no type"})"),
           std::string(R"({"type":"a","type":"b"})"),
           std::string(R"({"type":"x","text":"unterminated})"),
           std::string(R"({"type":"x"}{})"),
           std::string("{\"type\":\"x\",\"text\":\"\xED\xA0\x80\"}"),
       }) {
    INFO(bad);
    CHECK_FALSE(event_type_of(bad));
  }
}

TEST_CASE("every event decodes the same by the fast readers as by a full parse",
          "[domain][responses_fast_path]") {
  const std::vector<std::string> events = {
      // What OpenAI sends around the deltas.
      R"({"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[]}})",
      R"({"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","output":[]}})",
      R"({"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","content":[]}})",
      R"({"type":"response.output_text.done","item_id":"msg_1","text":"Hello \u00fc w\"orld"})",
      R"({"type":"response.content_part.done","part":{"type":"output_text","text":"Hello"}})",
      R"({"type":"response.output_item.done","output_index":0,"item":)" + message_item + "}",
      R"({"type":"response.completed","response":{"id":"resp_1","output":[)" + message_item + "]}}",
      R"({"type":"response.refusal.delta","delta":"no"})",
      R"({"type":"response.failed","response":{"error":{"code":"server_error","message":"m"}}})",
      R"({"type":"response.incomplete","response":{"incomplete_details":{"reason":"max_output_tokens"}}})",
      R"({"type":"error","code":"rate_limit_exceeded","message":"slow down"})",
      // Shapes the completed reader declines, left to the full parse.
      R"({"type":"response.completed"})",
      R"({"type":"response.completed","response":null})",
      R"({"type":"response.completed","response":{"id":7,"output":"none"}})",
      R"({"type":"response.completed","response":{"id":"a","id":"b","output":[]}})",
      R"({"type":"response.completed","response":{"id":"r","output":[1,{"content":[2,{"type":"output_text"}]}]}})",
      R"({"type":"response.completed","response":{"id":"r","output":[{"content":[{"type":"output_text","text":"a","text":"b"}]}]}})",
      R"({"response":{"id":"r","output":[]},"type":"response.completed","type":"response.completed"})",
      // Broken or odd events of a type the decoder would otherwise skip.
      R"({"type":"response.output_text.done","text":"unterminated})",
      R"({"type":"response.output_text.done","text":"x",})",
      R"({"type":"response.output_text.done","n":17E1476541})",
      R"({"type":"response.output_text.done","n":1e-999,"m":-0.5E+99})",
      R"({"type":"response.completed","response":{"id":"r","created_at":1e400,"output":[]}})",
      R"({"type":"response.completed","response":{"id":"r","created_at":)" + std::string(400, '9') +
          R"(,"output":[]}})",
      "{\"type\":\"response.output_text.done\",\"text\":\"\xC3\x28\"}",
      R"({"type":"response.output_text.done","deep":)" + nested(200) + "}",
      R"({"type":"response.output_text.done","type":"response.created","response":{"id":"r"}})",
      R"({"type":"","delta":"x"})",
      R"({"type":5})",
      R"(["not an object"])",
      "[DONE]",
      "",
  };
  for (auto& ev : events) {
    INFO(ev);
    CHECK(decoded(ev, false) == decoded(ev, true));
  }
}

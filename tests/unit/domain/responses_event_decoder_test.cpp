#include "domain/responses_event_decoder.hpp"

#include <catch2/catch.hpp>

#include "domain/utf8.hpp"

using namespace chatd::domain;

namespace {

/// One comparable line per event.
std::string describe(const provider_event& ev) {
  if (auto* e = std::get_if<provider_started>(&ev))
    return "started " + e->response_id;
  if (auto* e = std::get_if<provider_text>(&ev))
    return "text " + e->delta;
  if (auto* e = std::get_if<provider_completed>(&ev))
    return "completed " + e->response_id + " " + e->text;
  auto& f = std::get<provider_failed>(ev);
  return "failed " + f.code + " " + f.message;
}

std::vector<std::string> decode_pieces(const std::vector<std::string>& pieces) {
  responses_event_decoder d;
  std::vector<provider_event> events;
  for (auto& piece : pieces)
    d.feed(piece, events);
  std::vector<std::string> out;
  for (auto& ev : events)
    out.push_back(describe(ev));
  return out;
}

std::vector<std::string> decode(const std::string& stream) {
  return decode_pieces({stream});
}

std::string frame(const std::string& type, const std::string& json) {
  return "event: " + type + "\ndata: " + json + "\n\n";
}

// The answer: "Hello 世界 👋🏽!\n\"ok\"", in four deltas; the emoji of the third is sent as
// JSON escapes (surrogate pairs), the rest as raw UTF-8.
const std::string full_text =
    "Hello \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD!\n\"ok\"";
const std::string full_text_json = R"(Hello 世界 👋🏽!\n\"ok\")";

std::string recorded_stream() {
  const std::string resp_head =
      R"({"id":"resp_67ccd2bed1ec8190","object":"response","created_at":1741476542,)"
      R"("model":"gpt-5-mini","previous_response_id":null,)";
  std::string s;
  s += frame("response.created", R"({"type":"response.created","sequence_number":0,"response":)" +
                                     resp_head + R"("status":"in_progress","output":[]}})");
  s += frame("response.in_progress",
             R"({"type":"response.in_progress","sequence_number":1,"response":)" + resp_head +
                 R"("status":"in_progress","output":[]}})");
  s += frame("response.output_item.added",
             R"({"type":"response.output_item.added","sequence_number":2,"output_index":0,)"
             R"("item":{"id":"msg_67ccd2bf","type":"message","status":"in_progress",)"
             R"("role":"assistant","content":[]}})");
  s += frame("response.content_part.added",
             R"({"type":"response.content_part.added","sequence_number":3,)"
             R"("item_id":"msg_67ccd2bf","output_index":0,"content_index":0,)"
             R"("part":{"type":"output_text","text":"","annotations":[]}})");
  const char* deltas[] = {R"(Hello)", R"( 世界)", R"( \ud83d\udc4b\ud83c\udffd)", R"(!\n\"ok\")"};
  int seq = 4;
  for (const char* delta : deltas)
    s +=
        frame("response.output_text.delta",
              R"({"type":"response.output_text.delta","sequence_number":)" + std::to_string(seq++) +
                  R"(,"item_id":"msg_67ccd2bf","output_index":0,"content_index":0,"delta":")" +
                  delta + R"(","logprobs":[]})");
  s += frame("response.output_text.done",
             R"({"type":"response.output_text.done","sequence_number":8,"item_id":"msg_67ccd2bf",)"
             R"("output_index":0,"content_index":0,"text":")" +
                 full_text_json + R"(","logprobs":[]})");
  s += frame("response.content_part.done",
             R"({"type":"response.content_part.done","sequence_number":9,)"
             R"("item_id":"msg_67ccd2bf","output_index":0,"content_index":0,)"
             R"("part":{"type":"output_text","text":")" +
                 full_text_json + R"(","annotations":[]}})");
  const std::string message_item =
      R"({"id":"msg_67ccd2bf","type":"message","status":"completed","role":"assistant",)"
      R"("content":[{"type":"output_text","text":")" +
      full_text_json + R"(","annotations":[]}]})";
  s += frame("response.output_item.done",
             R"({"type":"response.output_item.done","sequence_number":10,"output_index":0,)"
             R"("item":)" +
                 message_item + "}");
  s += frame(
      "response.completed",
      R"({"type":"response.completed","sequence_number":11,"response":)" + resp_head +
          R"("status":"completed","output":[{"id":"rs_1","type":"reasoning","summary":[]},)" +
          message_item + R"(],"usage":{"input_tokens":12,"output_tokens":9,"total_tokens":21}}})");
  return s;
}

const std::vector<std::string> recorded_events = {
    "started resp_67ccd2bed1ec8190",
    "text Hello",
    "text  \xE4\xB8\x96\xE7\x95\x8C",
    "text  \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD",
    "text !\n\"ok\"",
    "completed resp_67ccd2bed1ec8190 " + full_text,
};

} // namespace

TEST_CASE("a recorded Responses stream fed whole yields its provider events", "[decoder]") {
  CHECK(decode(recorded_stream()) == recorded_events);
}

TEST_CASE("a recorded Responses stream fed byte by byte yields the same events", "[decoder]") {
  const auto s = recorded_stream();
  std::vector<std::string> bytes;
  for (char c : s)
    bytes.emplace_back(1, c);
  CHECK(decode_pieces(bytes) == recorded_events);
}

TEST_CASE("a recorded Responses stream split at every position yields the same events",
          "[decoder]") {
  const auto s = recorded_stream();
  for (std::size_t k = 0; k <= s.size(); ++k) {
    INFO("split at " << k);
    REQUIRE(decode_pieces({s.substr(0, k), s.substr(k)}) == recorded_events);
  }
}

TEST_CASE("the deltas rebuild the completed text", "[decoder]") {
  std::string joined;
  for (auto& line : recorded_events)
    if (line.rfind("text ", 0) == 0)
      joined += line.substr(5);
  CHECK(joined == full_text);
}

TEST_CASE("CRLF line ends and a DONE terminator change nothing", "[decoder]") {
  std::string crlf;
  for (char c : recorded_stream())
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(decode(crlf + "data: [DONE]\r\n\r\n") == recorded_events);
}

TEST_CASE("unknown event types are ignored", "[decoder]") {
  const auto s =
      frame("response.reasoning_summary_text.delta",
            R"({"type":"response.reasoning_summary_text.delta","sequence_number":3,"delta":"x"})") +
      frame("response.output_text.annotation.added",
            R"({"type":"response.output_text.annotation.added","sequence_number":4})") +
      frame("response.some_future_event", R"({"type":"response.some_future_event","x":[1,2]})") +
      ": keep-alive\n\n" +
      frame("response.output_text.delta", R"({"type":"response.output_text.delta","delta":"ok"})");
  CHECK(decode(s) == std::vector<std::string>{"text ok"});
}

TEST_CASE("an event without a type field is named by its event line", "[decoder]") {
  CHECK(decode(frame("response.output_text.delta", R"({"delta":"hi"})")) ==
        std::vector<std::string>{"text hi"});
}

TEST_CASE("empty deltas are dropped", "[decoder]") {
  CHECK(decode(frame("response.output_text.delta",
                     R"({"type":"response.output_text.delta","delta":""})"))
            .empty());
}

TEST_CASE("a delta without a text gives bad_event, not a silent gap", "[decoder]") {
  for (const char* data : {R"({"type":"response.output_text.delta"})",
                           R"({"type":"response.output_text.delta","delta":7})",
                           R"({"type":"response.refusal.delta","delta":null})"}) {
    INFO(data);
    CHECK(decode(frame("response.output_text.delta", data)) ==
          std::vector<std::string>{"failed bad_event the provider sent a delta without text"});
  }
}

TEST_CASE("response.failed gives provider_failed with the provider's code and message",
          "[decoder]") {
  const auto s = frame(
      "response.failed",
      R"({"type":"response.failed","sequence_number":5,"response":{"id":"resp_1","status":"failed",)"
      R"("error":{"code":"server_error","message":"The model failed to generate a response."}}})");
  CHECK(decode(s) ==
        std::vector<std::string>{"failed server_error The model failed to generate a response."});
}

TEST_CASE("response.failed without details gives a generic failure", "[decoder]") {
  CHECK(decode(frame("response.failed", R"({"type":"response.failed","response":{}})")) ==
        std::vector<std::string>{
            "failed response_failed the provider could not complete the answer"});
}

TEST_CASE("response.incomplete gives provider_failed with the provider's reason", "[decoder]") {
  const auto s = frame("response.incomplete",
                       R"({"type":"response.incomplete","sequence_number":7,"response":)"
                       R"({"id":"resp_1","status":"incomplete",)"
                       R"("incomplete_details":{"reason":"max_output_tokens"}}})");
  CHECK(decode(s) == std::vector<std::string>{
                         "failed response_incomplete the answer is incomplete: max_output_tokens"});
}

TEST_CASE("an error event gives provider_failed with the provider's code and message",
          "[decoder]") {
  const auto s =
      frame("error", R"({"type":"error","code":"rate_limit_exceeded",)"
                     R"("message":"Rate limit reached","param":null,"sequence_number":2})");
  CHECK(decode(s) == std::vector<std::string>{"failed rate_limit_exceeded Rate limit reached"});
  CHECK(decode(frame("error", R"({"type":"error"})")) ==
        std::vector<std::string>{"failed provider_error the provider reported an error"});
}

TEST_CASE("malformed JSON gives bad_event, and later events still decode", "[decoder]") {
  const auto s = "data: {not json\n\n" + frame("x", "[1,2]") + frame("x", "\"text\"") +
                 frame("response.output_text.delta",
                       R"({"type":"response.output_text.delta","delta":"after"})");
  const auto got = decode(s);
  REQUIRE(got.size() == 4);
  CHECK(got[0] == "failed bad_event the provider sent an unreadable event");
  CHECK(got[1] == got[0]);
  CHECK(got[2] == got[0]);
  CHECK(got[3] == "text after");
}

TEST_CASE("an oversized event gives bad_event", "[decoder]") {
  responses_event_decoder d;
  std::vector<provider_event> events;
  d.feed("data: " + std::string((1 << 20) + 16, 'x'), events);
  REQUIRE(events.size() == 1);
  CHECK(describe(events[0]).rfind("failed bad_event", 0) == 0);
}

TEST_CASE("an oversized event after a complete one reports bad_event in the same feed",
          "[decoder]") {
  responses_event_decoder d;
  std::vector<provider_event> events;
  d.feed(
      frame("response.output_text.delta", R"({"type":"response.output_text.delta","delta":"ok"})") +
          "data: " + std::string((1 << 20) + 16, 'x'),
      events);
  REQUIRE(events.size() == 2);
  CHECK(describe(events[0]) == "text ok");
  CHECK(describe(events[1]).rfind("failed bad_event", 0) == 0);
}

TEST_CASE("decode_response_object reads the text of a non-streaming response", "[decoder]") {
  const auto body = R"({"id":"resp_9","object":"response","status":"completed","output":[)"
                    R"({"id":"rs_1","type":"reasoning","summary":[]},)"
                    R"({"id":"msg_1","type":"message","role":"assistant","content":[)"
                    R"({"type":"output_text","text":"Hello ","annotations":[]},)"
                    R"({"type":"refusal","refusal":"no"},)"
                    R"({"type":"output_text","text":"世界","annotations":[]}]}]})";
  CHECK(describe(decode_response_object(body)) == "completed resp_9 Hello 世界");
  CHECK(describe(decode_response_object(R"({"id":"resp_0","output":[]})")) == "completed resp_0 ");
}

TEST_CASE("decode_response_object reports a failed or incomplete response", "[decoder]") {
  CHECK(describe(decode_response_object(
            R"({"id":"r","status":"failed","error":{"code":"server_error","message":"boom"}})")) ==
        "failed server_error boom");
  CHECK(
      describe(decode_response_object(
          R"({"id":"r","status":"incomplete","incomplete_details":{"reason":"content_filter"}})")) ==
      "failed response_incomplete the answer is incomplete: content_filter");
  CHECK(
      describe(decode_response_object(
          R"({"error":{"message":"Invalid model","type":"invalid_request_error","code":null}})")) ==
      "failed provider_error Invalid model");
}

TEST_CASE("decode_response_object reports garbage as bad_response", "[decoder]") {
  for (const char* body : {"", "<html>502 Bad Gateway</html>", "[1]", "{\"id\":", "null"}) {
    INFO(body);
    CHECK(describe(decode_response_object(body)) ==
          "failed bad_response the provider sent an unreadable response");
  }
}

TEST_CASE("is_lost_chain_error: the provider no longer holds the previous response", "[decoder]") {
  CHECK(is_lost_chain_error(R"({"error":{"message":"Previous response with id 'resp_1' not )"
                            R"(found.","type":"invalid_request_error","param":)"
                            R"("previous_response_id","code":"previous_response_not_found"}})"));
  CHECK(is_lost_chain_error(R"({"error":{"code":null,"param":"previous_response_id"}})"));
  CHECK_FALSE(is_lost_chain_error(R"({"error":{"code":"invalid_value","param":"input"}})"));
  CHECK_FALSE(is_lost_chain_error("<html>previous_response_not_found</html>"));
  CHECK_FALSE(is_lost_chain_error(R"({"error":"previous_response_not_found"})"));
}

TEST_CASE("describe_error_body gives the provider's message", "[decoder]") {
  CHECK(describe_error_body(R"({"error":{"message":"Incorrect API key provided","type":)"
                            R"("invalid_request_error","code":"invalid_api_key"}})") ==
        "Incorrect API key provided");
}

TEST_CASE("describe_error_body names an HTML page by its title, on one line", "[decoder]") {
  CHECK(describe_error_body("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>"
                            "<center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare"
                            "</center></body></html>\r\n") == "an HTML page: 502 Bad Gateway");
  CHECK(
      describe_error_body("\n <!DOCTYPE html><HTML><TITLE> Request Header\n Too Large </TITLE>") ==
      "an HTML page: Request Header Too Large");
  CHECK(describe_error_body("<html><body>oops</body></html>") == "an HTML page");
  CHECK(describe_error_body("") == "");
  CHECK(describe_error_body("upstream\r\nconnect error") == "upstream connect error");
}

TEST_CASE("describe_error_body gives an excerpt of any other body, or calls it unreadable",
          "[decoder]") {
  CHECK(describe_error_body("Bad Gateway") == "Bad Gateway");
  CHECK(describe_error_body(R"({"error":"plain"})") == R"({"error":"plain"})");
  CHECK(describe_error_body(std::string(1000, 'x')) == std::string(200, 'x'));
  CHECK(describe_error_body("\xC3\x28 broken") == "(unreadable body)");
}

TEST_CASE("describe_error_body of a long multi-byte body is a readable excerpt", "[decoder]") {
  std::string body;
  for (int i = 0; i < 300; ++i)
    body += "\xE4\xB8\x96"; // 世, three bytes
  const auto excerpt = describe_error_body(body);
  INFO(excerpt);
  CHECK(is_valid_utf8(excerpt));
  CHECK_FALSE(excerpt.empty());
  CHECK(body.rfind(excerpt, 0) == 0);
}

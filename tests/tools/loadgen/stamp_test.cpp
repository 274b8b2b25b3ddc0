#include "tools/loadgen/dialect.hpp"
#include "tools/loadgen/stamp.hpp"

#include <catch2/catch.hpp>

using namespace chatd::loadgen;

TEST_CASE("stamp: send time, and receipt time on the first delta", "[loadgen][stamp]") {
  const auto plain = parse_stamp("@123456789;lorem ");
  REQUIRE(plain);
  CHECK(plain->send_ns == 123456789u);
  CHECK_FALSE(plain->recv_ns);

  const auto first = parse_stamp("@2000;r1500;ipsum ");
  REQUIRE(first);
  CHECK(first->send_ns == 2000u);
  CHECK(first->recv_ns == 1500u);
}

TEST_CASE("stamp: other shapes are refused", "[loadgen][stamp]") {
  for (const char* bad :
       {"", "@;lorem ", "123;lorem ", "@12;", "@12;lorem", "@12;Lorem ", "@12;r;lorem ",
        "@12x;lorem ", "@99999999999999999999;lorem ", "Echo: hello "})
    CHECK_FALSE(parse_stamp(bad));
}

TEST_CASE("json member: chatd, Node and mock shapes", "[loadgen][stamp]") {
  const std::string chatd = R"({"type":"content","data":"@5;r4;do ","chunk_id":1,"total_chars":9})";
  CHECK(json_string_member(chatd, "type") == std::string_view("content"));
  CHECK(json_string_member(chatd, "data") == std::string_view("@5;r4;do "));
  const std::string mock = R"({"type":"response.output_text.delta","sequence_number":4,)"
                           R"("item_id":"msg_1","delta":"@7;sit ","logprobs":[]})";
  CHECK(json_string_member(mock, "delta") == std::string_view("@7;sit "));
  CHECK(json_string_member(R"({"type" : "x"})", "type") == std::string_view("x"));
  // A key's name inside a string value is escaped, so it is not taken for a member.
  const std::string tricky = R"({"final_content":"say \"type\":\"no\"","type":"complete"})";
  CHECK(json_string_member(tricky, "type") == std::string_view("complete"));
  CHECK(json_string_member(R"({"a":"x\"y"})", "a") == std::string_view(R"(x\"y)"));
  CHECK_FALSE(json_string_member(R"({"chunk_id":1})", "chunk_id"));
  CHECK_FALSE(json_string_member(R"({"type":"unterminated)", "type"));
  CHECK_FALSE(json_string_member("{}", "type"));
}

TEST_CASE("dialect: events by target", "[loadgen][stamp]") {
  CHECK(classify(target_kind::chatd, "content") == event_kind::content);
  CHECK(classify(target_kind::peer, "complete") == event_kind::success);
  CHECK(classify(target_kind::chatd, "error") == event_kind::failure);
  CHECK(classify(target_kind::chatd, "start") == event_kind::other);
  CHECK(classify(target_kind::mock, "response.output_text.delta") == event_kind::content);
  CHECK(classify(target_kind::mock, "response.completed") == event_kind::success);
  CHECK(classify(target_kind::mock, "response.failed") == event_kind::failure);
  CHECK(classify(target_kind::mock, "content") == event_kind::other);
  // The TCP relay only moves the mock's bytes: the same dialect.
  CHECK(classify(target_kind::tcp_relay, "response.output_text.delta") == event_kind::content);
  CHECK(classify(target_kind::tcp_relay, "content") == event_kind::other);
  CHECK(text_member(target_kind::tcp_relay) == "delta");
}

TEST_CASE("dialect: requests carry the directive and the token", "[loadgen][stamp]") {
  CHECK(mock_directive(200, 20) == "[[mock deltas=200 rate=20 stamp=1]]");
  CHECK(mock_directive(200, 0.5) == "[[mock deltas=200 rate=0.5 stamp=1]]");
  const auto chatd = stream_request(target_kind::chatd, {"127.0.0.1", 8080}, "tok", 3, 4);
  CHECK(chatd.rfind("POST /api/chat/stream HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", 0) == 0);
  CHECK(chatd.find("Authorization: Bearer tok\r\n") != std::string::npos);
  const std::string body = R"({"message":"bench [[mock deltas=3 rate=4 stamp=1]]"})";
  CHECK(chatd.find("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body) !=
        std::string::npos);
  const auto mock = stream_request(target_kind::mock, {"::1", 9}, "x", 3, 4);
  CHECK(mock.rfind("POST /v1/responses HTTP/1.1\r\nHost: [::1]:9\r\n", 0) == 0);
  CHECK(mock.find(R"("stream":true)") != std::string::npos);
}

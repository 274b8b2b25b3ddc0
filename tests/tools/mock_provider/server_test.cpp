// The mock provider over real loopback HTTP: routes, event sequence, context, observation.

#include "tests/tools/mock_provider/test_client.hpp"
#include "tools/mock_provider/answer.hpp"
#include "tools/mock_provider/utf8.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace chatd::mock;
using namespace chatd::mock::test;
using nlohmann::json;

TEST_CASE("start picks a free port and stop is idempotent", "[mock][server]") {
  auto a = mock_provider::start({});
  auto b = mock_provider::start({});
  CHECK(a->port() != 0);
  CHECK(a->port() != b->port());
  CHECK(a->base_url() == "http://127.0.0.1:" + std::to_string(a->port()) + "/v1");
  a->stop();
  a->stop();
  mock_options taken;
  taken.port = b->port();
  CHECK_THROWS(mock_provider::start(taken));
}

TEST_CASE("GET /v1/models lists the mock model", "[mock][server]") {
  mock_fixture mock;
  const auto r = mock.get("/v1/models");
  REQUIRE(r.status == 200);
  const auto j = r.json();
  CHECK(j["object"] == "list");
  CHECK(j["data"][0]["id"] == "mock-model");
  CHECK(j["data"][0]["object"] == "model");
  CHECK(j["data"][0]["owned_by"] == "chatd-mock");
  CHECK(j["data"][0]["created"].is_number());
}

TEST_CASE("a streamed response follows OpenAI's event sequence", "[mock][server]") {
  mock_fixture mock;
  const auto r = mock.respond("hello world", true);
  REQUIRE(r.code == CURLE_OK);
  REQUIRE(r.status == 200);
  CHECK(r.headers.at("content-type").rfind("text/event-stream", 0) == 0);
  const auto events = parse_sse(r.body);

  const std::string expected_text = "Echo: hello world (turn 1; first message: \"hello world\")";
  const auto words = split_after_spaces(expected_text);
  const auto types = types_of(events);
  std::vector<std::string> expected_types = {"response.created", "response.in_progress",
                                             "response.output_item.added",
                                             "response.content_part.added"};
  expected_types.insert(expected_types.end(), words.size(), "response.output_text.delta");
  for (const char* t : {"response.output_text.done", "response.content_part.done",
                        "response.output_item.done", "response.completed"})
    expected_types.push_back(t);
  REQUIRE(types == expected_types);

  for (std::size_t i = 0; i < events.size(); ++i) {
    CHECK(events[i].name == events[i].type());
    CHECK(events[i].data.at("sequence_number") == i);
  }

  const auto& created = events[0].data.at("response");
  CHECK(created.at("id").get<std::string>().rfind("resp_", 0) == 0);
  CHECK(created.at("object") == "response");
  CHECK(created.at("status") == "in_progress");
  CHECK(created.at("model") == "mock-model");
  CHECK(created.at("output") == json::array());
  CHECK(created.at("previous_response_id").is_null());
  CHECK(created.at("created_at").is_number_integer());

  const auto& added = events[2].data;
  CHECK(added.at("output_index") == 0);
  const auto& item = added.at("item");
  const auto item_id = item.at("id").get<std::string>();
  CHECK(item_id.rfind("msg_", 0) == 0);
  CHECK(item.at("type") == "message");
  CHECK(item.at("status") == "in_progress");
  CHECK(item.at("role") == "assistant");
  CHECK(item.at("content") == json::array());

  const auto& part_added = events[3].data;
  CHECK(part_added.at("item_id") == item_id);
  CHECK(part_added.at("output_index") == 0);
  CHECK(part_added.at("content_index") == 0);
  CHECK(part_added.at("part") ==
        json({{"type", "output_text"}, {"annotations", json::array()}, {"text", ""}}));

  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& d = events[4 + i].data;
    CHECK(d.at("item_id") == item_id);
    CHECK(d.at("output_index") == 0);
    CHECK(d.at("content_index") == 0);
    CHECK(d.at("delta") == words[i]);
    CHECK(d.at("logprobs") == json::array());
  }
  CHECK(joined(deltas_of(events)) == expected_text);

  const auto n = events.size();
  CHECK(events[n - 4].data.at("text") == expected_text);
  CHECK(events[n - 3].data.at("part").at("text") == expected_text);
  CHECK(events[n - 2].data.at("item").at("status") == "completed");
  const auto& done = events[n - 1].data.at("response");
  CHECK(done.at("id") == created.at("id"));
  CHECK(done.at("status") == "completed");
  CHECK(done.at("output").at(0).at("id") == item_id);
  CHECK(done.at("output").at(0).at("content").at(0) ==
        json({{"type", "output_text"}, {"annotations", json::array()}, {"text", expected_text}}));
  CHECK(done.at("usage").at("output_tokens").get<int>() > 0);
  CHECK(done.at("usage").at("total_tokens").get<int>() >
        done.at("usage").at("input_tokens").get<int>());
}

TEST_CASE("a non-streaming response is the whole response object", "[mock][server]") {
  mock_fixture mock;
  const auto r = mock.respond("ping", false, {{"instructions", "be brief"}});
  REQUIRE(r.status == 200);
  CHECK(r.headers.at("content-type") == "application/json");
  const auto j = r.json();
  CHECK(j.at("object") == "response");
  CHECK(j.at("status") == "completed");
  CHECK(j.at("instructions") == "be brief");
  CHECK_FALSE(j.contains("output_text")); // an SDK helper, not part of the API object
  const auto& message = j.at("output").at(0);
  CHECK(message.at("type") == "message");
  CHECK(message.at("role") == "assistant");
  CHECK(message.at("content").at(0).at("type") == "output_text");
  CHECK(message.at("content").at(0).at("text") == "Echo: ping (turn 1; first message: \"ping\")");
  CHECK(j.at("usage").is_object());
}

TEST_CASE("previous_response_id carries the context", "[mock][server]") {
  mock_fixture mock;
  const auto first = mock.respond("first question", true);
  const auto first_id = parse_sse(first.body).back().data.at("response").at("id");
  const auto second = mock.respond("second one", true, {{"previous_response_id", first_id}});
  const auto events = parse_sse(second.body);
  CHECK(joined(deltas_of(events)) ==
        "Echo: second one (turn 2; first message: \"first question\")");
  CHECK(events.front().data.at("response").at("previous_response_id") == first_id);
  const auto second_id = events.back().data.at("response").at("id");
  const auto third = mock.respond("third", false, {{"previous_response_id", second_id}});
  CHECK(third.json().at("output")[0]["content"][0]["text"] ==
        "Echo: third (turn 3; first message: \"first question\")");

  const auto unknown = mock.respond("x", true, {{"previous_response_id", "resp_nope"}});
  CHECK(unknown.status == 400);
  CHECK(unknown.json().at("error").at("code") == "previous_response_not_found");
  CHECK(unknown.json().at("error").at("param") == "previous_response_id");
}

TEST_CASE("a conversation id carries the context", "[mock][server]") {
  mock_fixture mock;
  const auto created = mock.post("/v1/conversations", "{}");
  REQUIRE(created.status == 200);
  const auto conv = created.json();
  CHECK(conv.at("object") == "conversation");
  CHECK(conv.at("metadata") == json::object());
  const auto id = conv.at("id").get<std::string>();
  CHECK(id.rfind("conv_", 0) == 0);

  mock.respond("one", true, {{"conversation", id}});
  const auto r = mock.respond("two", false, {{"conversation", {{"id", id}}}});
  CHECK(r.json().at("output")[0]["content"][0]["text"] ==
        "Echo: two (turn 2; first message: \"one\")");
  CHECK(r.json().at("conversation").at("id") == id);

  CHECK(mock.respond("x", false, {{"conversation", "conv_unknown"}}).status == 404);
}

TEST_CASE("input as a list of items: the last user item is the user text", "[mock][server]") {
  mock_fixture mock;
  const json input = json::array({
      {{"role", "system"}, {"content", "You are terse."}},
      {{"role", "user"}, {"content", "earlier"}},
      {{"role", "assistant"}, {"content", "ok"}},
      {{"type", "message"},
       {"role", "user"},
       {"content", json::array({{{"type", "input_text"}, {"text", "now "}},
                                {{"type", "input_text"}, {"text", "this"}}})}},
  });
  const json body = {{"model", "mock-model"}, {"input", input}};
  const auto r = mock.post("/v1/responses", body.dump());
  REQUIRE(r.status == 200);
  CHECK(r.json().at("output")[0]["content"][0]["text"] ==
        "Echo: now this (turn 2; first message: \"earlier\")");
}

TEST_CASE("authentication is required and checked", "[mock][server]") {
  mock_options options;
  options.required_api_key = "sk-right";
  mock_fixture mock(options);
  const std::string body = R"({"model":"m","input":"hi"})";
  for (const std::string auth : {"", "Bearer ", "Basic abc", "Bearer sk-wrong-key-123"}) {
    const auto r = mock.post("/v1/responses", body, 5000, auth);
    CHECK(r.status == 401);
    const auto error = r.json().at("error");
    CHECK(error.at("type") == "invalid_request_error");
    CHECK(error.at("code") == "invalid_api_key");
    CHECK(error.at("param").is_null());
    CHECK(error.at("message").is_string());
  }
  CHECK(mock.post("/v1/responses", body, 5000, "Bearer sk-right").status == 200);
}

TEST_CASE("bad requests get OpenAI's 400", "[mock][server]") {
  mock_fixture mock;
  const auto bad_json = mock.post("/v1/responses", "{\"model\": ");
  CHECK(bad_json.status == 400);
  CHECK(bad_json.json().at("error").at("type") == "invalid_request_error");
  const auto no_model = mock.post("/v1/responses", R"({"input":"hi"})");
  CHECK(no_model.status == 400);
  CHECK(no_model.json().at("error").at("param") == "model");
  const auto no_input = mock.post("/v1/responses", R"({"model":"m"})");
  CHECK(no_input.status == 400);
  CHECK(no_input.json().at("error").at("code") == "missing_required_parameter");
  const auto bad_directive = mock.respond("hi [[mock fail=boom]]", true);
  CHECK(bad_directive.status == 400);
  CHECK(bad_directive.json().at("error").at("code") == "invalid_mock_directive");
  const auto unknown_route = mock.get("/v1/nope");
  CHECK(unknown_route.status == 404);
  CHECK(unknown_route.json().at("error").at("message") == "Invalid URL (GET /v1/nope)");
}

TEST_CASE("multi-byte text is never split inside a character", "[mock][server]") {
  mock_fixture mock;
  const std::string text = "Grüße 世界 👋🏽 — ☃ 日本語のテキスト";
  // %-encode the whole text for text=.
  std::string encoded;
  for (unsigned char c : text) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    encoded += buf;
  }
  for (const std::string chop : {"0", "1"}) {
    const auto r = mock.respond("[[mock deltas=9 chop=" + chop + " text=" + encoded + "]]", true);
    REQUIRE(r.code == CURLE_OK);
    const auto deltas = deltas_of(parse_sse(r.body));
    REQUIRE(deltas.size() == 9);
    for (const auto& d : deltas) {
      CHECK_FALSE(d.empty());
      CHECK(utf8::is_valid(d));
    }
    CHECK(joined(deltas) == text);
  }
  // The default split of an echo with CJK and emoji keeps them whole as well.
  const auto echo = mock.respond("你好 🌍 world", true);
  CHECK(joined(deltas_of(parse_sse(echo.body))) ==
        "Echo: 你好 🌍 world (turn 1; first message: \"你好 🌍 world\")");
}

TEST_CASE("chop=1 writes tiny pieces that still make the same events", "[mock][server]") {
  mock_fixture mock;
  const auto plain = mock.respond("same words here [[mock deltas=4]]", true);
  const auto chopped = mock.respond("same words here [[mock deltas=4 chop=1]]", true);
  REQUIRE(chopped.code == CURLE_OK);
  const auto a = deltas_of(parse_sse(plain.body));
  const auto b = deltas_of(parse_sse(chopped.body));
  CHECK(a.size() == 4);
  CHECK(a == b);
  // Every byte was its own chunk; libcurl may still merge some that arrive together.
  CHECK(chopped.writes > plain.writes);
  CHECK(chopped.writes > 20);
}

TEST_CASE("rate paces the deltas from a fixed start", "[mock][server]") {
  mock_fixture mock;
  const auto r = mock.respond("pace [[mock deltas=6 rate=50]]", true);
  REQUIRE(r.code == CURLE_OK);
  CHECK(deltas_of(parse_sse(r.body)).size() == 6);
  CHECK(r.elapsed >= std::chrono::milliseconds(95)); // 5 gaps of 20 ms
  CHECK(r.elapsed < std::chrono::milliseconds(1000));
}

TEST_CASE("stamp mode puts the send time in every delta", "[mock][server]") {
  mock_options options;
  options.stamp = true;
  options.default_deltas = 4;
  mock_fixture mock(options);
  const auto before = monotonic_ns();
  const auto r = mock.respond("bench", true);
  const auto after = monotonic_ns();
  const auto deltas = deltas_of(parse_sse(r.body));
  REQUIRE(deltas.size() == 4);
  std::uint64_t last = 0;
  for (const auto& d : deltas) {
    const auto stamp = stamp_of(d);
    REQUIRE(stamp);
    const auto ns = *stamp;
    CHECK(ns >= before);
    CHECK(ns <= after);
    CHECK(ns >= last);
    last = ns;
  }
  // Only the first delta says when the request arrived: after it was sent, before delta 0.
  const auto received = receipt_of(deltas[0]);
  REQUIRE(received);
  CHECK(*received >= before);
  CHECK(*received <= *stamp_of(deltas[0]));
  for (std::size_t i = 1; i < deltas.size(); ++i)
    CHECK_FALSE(receipt_of(deltas[i]));
  // A directive can switch it off again.
  const auto plain = mock.respond("x [[mock stamp=0 deltas=1]]", true);
  CHECK(deltas_of(parse_sse(plain.body)) ==
        std::vector<std::string>{"Echo: x (turn 1; first message: \"x\")"});
}

TEST_CASE("text= replaces the echo", "[mock][server]") {
  mock_fixture mock;
  const auto r = mock.respond("[[mock text=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E]]", false);
  CHECK(r.json().at("output")[0]["content"][0]["text"] == "<img src=x onerror=alert(1)>");
}

TEST_CASE("/mock/requests long-polls and /mock/reset clears", "[mock][server]") {
  mock_fixture mock;
  // The poll is waiting before the request exists, and returns as soon as it arrives.
  auto poll = std::async(std::launch::async,
                         [&] { return mock.get("/mock/requests?wait_for=2&timeout_ms=4000"); });
  mock.respond("one", true);
  mock.post("/v1/responses", "not json");
  const auto polled = poll.get();
  REQUIRE(polled.status == 200);
  CHECK(polled.elapsed < std::chrono::milliseconds(3000));
  const auto requests = polled.json().at("requests");
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].at("seq") == 1);
  CHECK(requests[0].at("stream") == true);
  CHECK(requests[0].at("body").at("input") == "one");
  CHECK(requests[0].at("headers").at("authorization") == "Bearer test-key");
  CHECK(requests[0].at("received_at_ms").is_number_integer());
  CHECK(requests[1].at("body") == "not json");

  CHECK(mock.post("/mock/reset", "").status == 200);
  const auto empty = mock.get("/mock/requests?wait_for=1&timeout_ms=100");
  CHECK(empty.json().at("requests").empty());
  CHECK(empty.elapsed >= std::chrono::milliseconds(90));
  mock.respond("after reset", false);
  CHECK(mock.get("/mock/requests?wait_for=1").json().at("requests")[0].at("seq") == 1);
}

TEST_CASE("concurrent streams on two threads all complete", "[mock][server]") {
  mock_options options;
  options.io_threads = 2;
  mock_fixture mock(options);
  std::vector<std::future<http_result>> results;
  for (int i = 0; i < 16; ++i)
    results.push_back(std::async(std::launch::async, [&mock, i] {
      return mock.respond("stream " + std::to_string(i) + " [[mock deltas=5 rate=200]]", true);
    }));
  for (int i = 0; i < 16; ++i) {
    const auto r = results[static_cast<std::size_t>(i)].get();
    CHECK(r.code == CURLE_OK);
    const auto events = parse_sse(r.body);
    CHECK(deltas_of(events).size() == 5);
    CHECK(events.back().type() == "response.completed");
  }
  CHECK(mock.get("/mock/requests?wait_for=16").json().at("requests").size() == 16);
}

#include "domain/api_json.hpp"

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chatd::domain;
using nlohmann::json;

namespace {

const conversation_record conv{"c_1",    "u_1",         "Trip \"to\" Kyoto\n",
                               "resp_1", 1764087865123, 1764087999000};

const message_record user_msg{
    "m_1",         "c_1", message_role::user, "Hello \xE4\xB8\x96", message_status::complete,
    1764087865123, ""};
const message_record answer{
    "m_2", "c_1", message_role::assistant, "Hi!\n", message_status::streaming, 1764087865124, ""};

std::vector<std::string> keys_of(const json& j) {
  std::vector<std::string> out;
  for (auto& [k, v] : j.items())
    out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

using keys = std::vector<std::string>;

} // namespace

TEST_CASE("user_body: {user: {id, username}}", "[api_json]") {
  const auto j = json::parse(user_body({"u_1", "alice"}));
  CHECK(j == json{{"user", {{"id", "u_1"}, {"username", "alice"}}}});
}

TEST_CASE("conversation_body: id, title and RFC 3339 times, nothing private", "[api_json]") {
  const auto j = json::parse(conversation_body(conv));
  CHECK(keys_of(j) == keys{"conversation"});
  const auto& c = j["conversation"];
  CHECK(keys_of(c) == keys{"created_at", "id", "title", "updated_at"});
  CHECK(c["id"] == "c_1");
  CHECK(c["title"] == "Trip \"to\" Kyoto\n");
  CHECK(c["created_at"] == "2025-11-25T16:24:25.123Z");
  CHECK(c["updated_at"] == "2025-11-25T16:26:39.000Z");
}

TEST_CASE("conversation_list_body keeps the given order", "[api_json]") {
  auto second = conv;
  second.id = "c_2";
  const auto j = json::parse(conversation_list_body({second, conv}));
  CHECK(keys_of(j) == keys{"conversations"});
  REQUIRE(j["conversations"].size() == 2);
  CHECK(j["conversations"][0]["id"] == "c_2");
  CHECK(j["conversations"][1]["id"] == "c_1");
  CHECK(keys_of(j["conversations"][0]) == keys{"created_at", "id", "title", "updated_at"});
  CHECK(conversation_list_body({}) == R"({"conversations":[]})");
}

TEST_CASE("conversation_with_messages_body: messages in order with their times", "[api_json]") {
  const auto j = json::parse(conversation_with_messages_body(conv, {user_msg, answer}));
  CHECK(keys_of(j) == keys{"conversation", "messages"});
  CHECK(j["conversation"]["id"] == "c_1");
  REQUIRE(j["messages"].size() == 2);
  CHECK(j["messages"][0] == json{{"id", "m_1"},
                                 {"role", "user"},
                                 {"content", "Hello \xE4\xB8\x96"},
                                 {"status", "complete"},
                                 {"created_at", "2025-11-25T16:24:25.123Z"}});
  CHECK(j["messages"][1] == json{{"id", "m_2"},
                                 {"role", "assistant"},
                                 {"content", "Hi!\n"},
                                 {"status", "streaming"},
                                 {"created_at", "2025-11-25T16:24:25.124Z"}});
  CHECK(json::parse(conversation_with_messages_body(conv, {}))["messages"] == json::array());
}

TEST_CASE("message_body: id, role, content and status", "[api_json]") {
  for (auto status : {message_status::complete, message_status::stopped, message_status::failed,
                      message_status::interrupted}) {
    auto m = answer;
    m.status = status;
    const auto j = json::parse(message_body(m));
    CHECK(j == json{{"message",
                     {{"id", "m_2"},
                      {"role", "assistant"},
                      {"content", "Hi!\n"},
                      {"status", std::string(to_string(status))}}}});
  }
}

TEST_CASE("chat_answer_body: conversation_id, user_message_id and the message", "[api_json]") {
  auto done = answer;
  done.status = message_status::complete;
  const auto j = json::parse(chat_answer_body("c_1", "m_1", done));
  CHECK(
      j ==
      json{{"conversation_id", "c_1"},
           {"user_message_id", "m_1"},
           {"message",
            {{"id", "m_2"}, {"role", "assistant"}, {"content", "Hi!\n"}, {"status", "complete"}}}});
}

TEST_CASE("token_body: {token}", "[api_json]") {
  CHECK(token_body("abc.def") == R"({"token":"abc.def"})");
}

TEST_CASE("bodies are compact and keep non-ASCII text as UTF-8", "[api_json]") {
  const auto body = user_body({"u_1", "\xC3\xA9mile"});
  CHECK(body == "{\"user\":{\"id\":\"u_1\",\"username\":\"\xC3\xA9mile\"}}");
}

TEST_CASE("invalid UTF-8 in stored text is replaced, not thrown", "[api_json]") {
  auto broken = answer;
  broken.content = "ok\xC3\x28";
  std::string body;
  REQUIRE_NOTHROW(body = message_body(broken));
  CHECK(json::parse(body)["message"]["content"] == "ok\xEF\xBF\xBD(");
}

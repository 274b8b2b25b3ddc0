#include "domain/request_validation.hpp"

#include <functional>

#include <catch2/catch.hpp>

#include "domain/utf8.hpp"

using namespace chatd::domain;

namespace {

/// The error code a parser gives for `body`, or empty when it accepts it.
using parser = std::function<std::optional<error_code>(std::string_view)>;

template<class T> std::optional<error_code> code_of(const result<T>& r) {
  return r.ok() ? std::nullopt : std::optional<error_code>(r.error().code);
}

const std::vector<std::pair<const char*, parser>>& all_parsers() {
  static const std::vector<std::pair<const char*, parser>> parsers = {
      {"parse_credentials", [](std::string_view b) { return code_of(parse_credentials(b)); }},
      {"parse_chat_request", [](std::string_view b) { return code_of(parse_chat_request(b)); }},
      {"parse_new_conversation",
       [](std::string_view b) { return code_of(parse_new_conversation(b)); }},
      {"parse_rename", [](std::string_view b) { return code_of(parse_rename(b)); }},
      {"parse_stop_request", [](std::string_view b) { return code_of(parse_stop_request(b)); }},
  };
  return parsers;
}

std::string creds(const std::string& user, const std::string& pass) {
  return R"({"username":")" + user + R"(","password":")" + pass + R"("})";
}

std::optional<error_code> creds_code(const std::string& user, const std::string& pass) {
  return code_of(parse_credentials(creds(user, pass)));
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

} // namespace

TEST_CASE("every parser answers invalid_json to a body that is not JSON", "[validation]") {
  for (auto& [name, parse] : all_parsers())
    for (const char* body : {"{", "{\"message\":", "not json", "{'a':1}", "{\"a\":1} trailing"}) {
      INFO(name << " on " << body);
      CHECK(parse(body) == error_code::invalid_json);
    }
}

TEST_CASE("every parser answers invalid_request to JSON that is not an object", "[validation]") {
  for (auto& [name, parse] : all_parsers())
    for (const char* body : {"[]", "[{\"message\":\"hi\"}]", "\"text\"", "42", "null", "true"}) {
      INFO(name << " on " << body);
      CHECK(parse(body) == error_code::invalid_request);
    }
}

TEST_CASE("every parser answers invalid_request to bytes that are not UTF-8", "[validation]") {
  for (auto& [name, parse] : all_parsers())
    for (const char* bad : {"\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
      const std::string body = R"({"username":"alice","password":"password1","message":"x)" +
                               std::string(bad) + R"(","title":"t","message_id":"m_1"})";
      INFO(name);
      CHECK(parse(body) == error_code::invalid_request);
    }
}

TEST_CASE("credentials: a valid pair is returned as given", "[validation]") {
  auto r = parse_credentials(R"({"username":"Alice_01.x-y","password":"s3cret pass","extra":1})");
  REQUIRE(r.ok());
  CHECK(r->username == "Alice_01.x-y");
  CHECK(r->password == "s3cret pass");
}

TEST_CASE("credentials: missing, null, wrong type or empty fields are refused", "[validation]") {
  for (const char* body :
       {R"({})", R"({"password":"password1"})", R"({"username":"alice"})",
        R"({"username":null,"password":"password1"})", R"({"username":"alice","password":null})",
        R"({"username":42,"password":"password1"})", R"({"username":"alice","password":12345678})",
        R"({"username":["alice"],"password":"password1"})",
        R"({"username":"","password":"password1"})", R"({"username":"   ","password":"password1"})",
        R"({"username":"alice","password":""})"}) {
    INFO(body);
    CHECK(code_of(parse_credentials(body)) == error_code::invalid_request);
  }
}

TEST_CASE("credentials: usernames are 3 to 64 characters", "[validation]") {
  CHECK_FALSE(creds_code("abc", "password1"));
  CHECK_FALSE(creds_code(std::string(64, 'u'), "password1"));
  CHECK(creds_code("ab", "password1") == error_code::invalid_request);
  CHECK(creds_code(std::string(65, 'u'), "password1") == error_code::invalid_request);
}

TEST_CASE("credentials: usernames hold only letters, digits, '_', '.' and '-'", "[validation]") {
  CHECK_FALSE(creds_code("aZ09_.-", "password1"));
  for (const std::string name : {"al ice", "al@ice", "al/ice", "al\\\\ice", "\xC3\xA9lise", " bob",
                                 "bob\\n", "al+ce", "al'ce"}) {
    INFO(name);
    CHECK(creds_code(name, "password1") == error_code::invalid_request);
  }
}

TEST_CASE("credentials: passwords are 8 to 1024 bytes", "[validation]") {
  CHECK(creds_code("alice", "1234567") == error_code::invalid_request);
  CHECK_FALSE(creds_code("alice", "12345678"));
  CHECK_FALSE(creds_code("alice", std::string(1024, 'p')));
  CHECK(creds_code("alice", std::string(1025, 'p')) == error_code::invalid_request);
  // bytes, not characters: four two-byte characters are enough, 342 three-byte ones too many
  CHECK_FALSE(creds_code("alice", repeat("\xC3\xA9", 4)));
  CHECK(creds_code("alice", repeat("\xC3\xA9", 3)) == error_code::invalid_request);
  CHECK_FALSE(creds_code("alice", repeat("\xE4\xB8\x96", 341)));
  CHECK(creds_code("alice", repeat("\xE4\xB8\x96", 342)) == error_code::invalid_request);
}

TEST_CASE("chat request: message required, conversation id optional", "[validation]") {
  auto r = parse_chat_request(R"({"message":"Hello \n\"world\" 世界"})");
  REQUIRE(r.ok());
  CHECK(r->message == "Hello \n\"world\" \xE4\xB8\x96\xE7\x95\x8C");
  CHECK_FALSE(r->conversation_id);

  auto with_id = parse_chat_request(R"({"message":"hi","conversation_id":"c_1"})");
  REQUIRE(with_id.ok());
  CHECK(with_id->conversation_id == std::optional<std::string>("c_1"));
}

TEST_CASE("chat request: a null conversation_id is treated as absent", "[validation]") {
  auto r = parse_chat_request(R"({"message":"hi","conversation_id":null})");
  REQUIRE(r.ok());
  CHECK_FALSE(r->conversation_id);
}

TEST_CASE("chat request: bad fields are refused", "[validation]") {
  for (const char* body :
       {R"({})", R"({"message":null})", R"({"message":""})", R"({"message":" \n\t "})",
        R"({"message":7})", R"({"message":["hi"]})", R"({"message":{"text":"hi"}})",
        R"({"message":"hi","conversation_id":""})", R"({"message":"hi","conversation_id":"  "})",
        R"({"message":"hi","conversation_id":12})",
        R"({"message":"hi","conversation_id":false})"}) {
    INFO(body);
    CHECK(code_of(parse_chat_request(body)) == error_code::invalid_request);
  }
}

TEST_CASE("new conversation: an empty body, {} or a null title mean no title", "[validation]") {
  for (const char* body : {"", "  \r\n", "{}", R"({"title":null})", R"({"other":1})"}) {
    INFO(body);
    auto r = parse_new_conversation(body);
    REQUIRE(r.ok());
    CHECK_FALSE(r->title);
  }
  auto titled = parse_new_conversation(R"({"title":"Trip to Kyoto"})");
  REQUIRE(titled.ok());
  CHECK(titled->title == std::optional<std::string>("Trip to Kyoto"));
}

TEST_CASE("new conversation and rename: titles are non-blank strings of at most 200 characters",
          "[validation]") {
  const auto max_title = repeat("\xE4\xB8\x96", 200); // 200 characters, 600 bytes
  const auto too_long = repeat("\xE4\xB8\x96", 201);
  for (auto parse : {parse_new_conversation, parse_rename}) {
    auto ok = parse(R"({"title":")" + max_title + R"("})");
    REQUIRE(ok.ok());
    CHECK(ok->title == max_title);
    CHECK(code_of(parse(R"({"title":")" + too_long + R"("})")) == error_code::invalid_request);
    CHECK(code_of(parse(R"({"title":")" + std::string(201, 't') + R"("})")) ==
          error_code::invalid_request);
    CHECK(code_of(parse(R"({"title":""})")) == error_code::invalid_request);
    CHECK(code_of(parse(R"({"title":"   "})")) == error_code::invalid_request);
    CHECK(code_of(parse(R"({"title":5})")) == error_code::invalid_request);
  }
}

TEST_CASE("rename: the title is required", "[validation]") {
  CHECK(code_of(parse_rename("{}")) == error_code::invalid_request);
  CHECK(code_of(parse_rename(R"({"title":null})")) == error_code::invalid_request);
  CHECK(code_of(parse_rename("")) == error_code::invalid_json);
}

TEST_CASE("stop request: message_id is a required non-blank string", "[validation]") {
  auto r = parse_stop_request(R"({"message_id":"m_123"})");
  REQUIRE(r.ok());
  CHECK(r->message_id == "m_123");
  for (const char* body : {"{}", R"({"message_id":null})", R"({"message_id":""})",
                           R"({"message_id":" "})", R"({"message_id":1})"}) {
    INFO(body);
    CHECK(code_of(parse_stop_request(body)) == error_code::invalid_request);
  }
}

TEST_CASE("is_well_formed_id: 1 to 64 letters, digits, '_' or '-'", "[validation]") {
  CHECK(is_well_formed_id("c_0123456789abcdef0123456789abcdef"));
  CHECK(is_well_formed_id("a"));
  CHECK(is_well_formed_id("AZ-az_09"));
  CHECK(is_well_formed_id(std::string(64, 'x')));
  CHECK_FALSE(is_well_formed_id(std::string(65, 'x')));
  for (const char* id : {"", "a.b", "../etc", "a b", "a/b", "a'b", "%41", "\xC3\xA9"}) {
    INFO(id);
    CHECK_FALSE(is_well_formed_id(id));
  }
  CHECK_FALSE(is_well_formed_id(std::string("a\0b", 3)));
}

TEST_CASE("is_valid_idempotency_key: 1 to 255 printable ASCII characters", "[validation]") {
  CHECK(is_valid_idempotency_key("k"));
  CHECK(is_valid_idempotency_key("retry-2025-11-25T10:00:00Z/{\"x\"}~!"));
  CHECK(is_valid_idempotency_key(std::string(255, 'k')));
  CHECK_FALSE(is_valid_idempotency_key(std::string(256, 'k')));
  for (const std::string key : {"", "a b", "a\tb", "a\x7f", "\xC3\xA9", "a\r\n"}) {
    INFO(key);
    CHECK_FALSE(is_valid_idempotency_key(key));
  }
}

TEST_CASE("title_from_message takes the first non-blank line", "[validation]") {
  CHECK(title_from_message("Hello world") == "Hello world");
  CHECK(title_from_message("  \n\t Plan a trip  \nwith details") == "Plan a trip");
  CHECK(title_from_message("first\r\nsecond") == "first");
  CHECK(title_from_message("") == "New conversation");
  CHECK(title_from_message(" \r\n\t ") == "New conversation");
}

TEST_CASE("title_from_message keeps 60 characters and marks the cut", "[validation]") {
  CHECK(title_from_message(std::string(60, 'a')) == std::string(60, 'a'));
  CHECK(title_from_message(std::string(61, 'a')) == std::string(60, 'a') + "\xE2\x80\xA6");
  // a space at the cut is dropped before the ellipsis
  CHECK(title_from_message(std::string(59, 'a') + " bbb") == std::string(59, 'a') + "\xE2\x80\xA6");
}

TEST_CASE("title_from_message never cuts a multi-byte character", "[validation]") {
  for (const std::string ch : {"\xC3\xA9", "\xE4\xB8\x96", "\xF0\x9F\x98\x80"}) {
    const auto title = title_from_message(repeat(ch, 70));
    INFO(title);
    CHECK(is_valid_utf8(title));
    CHECK(title == repeat(ch, 60) + "\xE2\x80\xA6");
    CHECK(count_code_points(title) == 61);
    CHECK(title_from_message(repeat(ch, 60)) == repeat(ch, 60));
  }
}

TEST_CASE("deeply nested JSON is refused without harm", "[validation]") {
  const std::size_t depth = 64 * 1024 / 2 - 16; // as deep as the body limit allows
  const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  CHECK(code_of(parse_chat_request(arrays)) == error_code::invalid_request);
  CHECK(code_of(parse_chat_request(R"({"message":)" + arrays + "}")) ==
        error_code::invalid_request);
  auto extra = parse_chat_request(R"({"message":"hi","x":)" + arrays + "}");
  REQUIRE(extra.ok());
  CHECK(extra->message == "hi");
}

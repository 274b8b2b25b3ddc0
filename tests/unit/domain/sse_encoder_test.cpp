#include "domain/sse_encoder.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace chatd::domain;

namespace {

// Every character a text can hold that a naive encoder gets wrong.
const std::string tricky_text = "line1\nline2\r\nline3\rq\"uo\"te \\back\\slash\t\b\f \x01\x1f\x7f "
                                "U+2028:\xE2\x80\xA8 U+2029:\xE2\x80\xA9 \xC3\xA9 \xE4\xB8\x96 "
                                "\xF0\x9F\x98\x80 </script>";

/// The frame's lines, split at '\n' only (what a plain `data:` parser does).
std::vector<std::string> lines_of(const std::string& frame) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (auto end = frame.find('\n'); end != std::string::npos; end = frame.find('\n', begin)) {
    out.push_back(frame.substr(begin, end - begin));
    begin = end + 1;
  }
  out.push_back(frame.substr(begin));
  return out;
}

/// Checks the frame is `id: <id>\ndata: <one line>\n\n` and returns the parsed JSON.
nlohmann::json single_data_line(const std::string& frame, std::uint64_t id) {
  INFO(frame);
  REQUIRE(frame.find('\r') == std::string::npos);
  const auto lines = lines_of(frame);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "id: " + std::to_string(id));
  REQUIRE(lines[1].rfind("data: ", 0) == 0);
  CHECK(lines[2].empty());
  CHECK(lines[3].empty());
  return nlohmann::json::parse(lines[1].substr(6));
}

start_event sample_start() {
  return {"Assistant is answering", "c_1", "m_1", "m_2", 1764087865123};
}

} // namespace

TEST_CASE("start frame: exact bytes", "[sse_encoder]") {
  CHECK(encode_sse(1, sample_start()) ==
        "id: 1\ndata: "
        R"({"type":"start","message":"Assistant is answering","conversation_id":"c_1",)"
        R"("user_message_id":"m_1","assistant_message_id":"m_2","timestamp":1764087865123})"
        "\n\n");
}

TEST_CASE("content frame: exact bytes", "[sse_encoder]") {
  CHECK(
      encode_sse(2, content_event{"Hel", 1, 3}) ==
      "id: 2\ndata: {\"type\":\"content\",\"data\":\"Hel\",\"chunk_id\":1,\"total_chars\":3}\n\n");
  CHECK(encode_content_sse(12, "lo \xE4\xB8\x96", 11, 42) ==
        "id: 12\ndata: {\"type\":\"content\",\"data\":\"lo \xE4\xB8\x96\",\"chunk_id\":11,"
        "\"total_chars\":42}\n\n");
}

TEST_CASE("complete frame: exact bytes with every statistic", "[sse_encoder]") {
  complete_event ev;
  ev.final_content = "Hi there";
  ev.message_id = "m_2";
  ev.status = message_status::complete;
  ev.stored_in_db = true;
  ev.stats = {2, 8, 1500, 120, fallback_mode::none};
  CHECK(encode_sse(4, ev) ==
        "id: 4\ndata: "
        R"({"type":"complete","final_content":"Hi there","message_id":"m_2","status":"complete",)"
        R"("stored_in_db":true,"streaming_stats":{"chunks":2,"total_chars":8,"duration_ms":1500,)"
        R"("time_to_first_chunk_ms":120,"chars_per_second":5.3,"fallback":"none"}})"
        "\n\n");
}

TEST_CASE("complete frame: stopped, from the fallback, with no first chunk", "[sse_encoder]") {
  complete_event ev;
  ev.final_content = "";
  ev.message_id = "m_9";
  ev.status = message_status::stopped;
  ev.stored_in_db = false;
  ev.stats = {0, 0, 0, std::nullopt, fallback_mode::non_streaming};
  CHECK(encode_sse(2, ev) ==
        "id: 2\ndata: "
        R"({"type":"complete","final_content":"","message_id":"m_9","status":"stopped",)"
        R"("stored_in_db":false,"streaming_stats":{"chunks":0,"total_chars":0,"duration_ms":0,)"
        R"("time_to_first_chunk_ms":null,"chars_per_second":0.0,"fallback":"non_streaming"}})"
        "\n\n");
}

TEST_CASE("error frame: exact bytes", "[sse_encoder]") {
  error_event ev{{error_code::upstream_timeout, "the provider did not answer"}, true, false};
  CHECK(encode_sse(7, ev) ==
        "id: 7\ndata: "
        R"({"type":"error","error":{"code":"upstream_timeout","message":"the provider did not )"
        R"(answer"},"retryable":true,"stored_in_db":false})"
        "\n\n");
  error_event shutdown{{error_code::shutting_down, "bye"}, true, true};
  CHECK(encode_event_json(shutdown) ==
        R"({"type":"error","error":{"code":"shutting_down","message":"bye"},"retryable":true,)"
        R"("stored_in_db":true})");
}

TEST_CASE("every event is one data line whatever its text holds", "[sse_encoder]") {
  auto start = sample_start();
  start.message = tricky_text;
  CHECK(single_data_line(encode_sse(1, start), 1)["message"] == tricky_text);

  CHECK(single_data_line(encode_sse(2, content_event{tricky_text, 1, 9}), 2)["data"] ==
        tricky_text);
  CHECK(single_data_line(encode_content_sse(3, tricky_text, 2, 9), 3)["data"] == tricky_text);

  complete_event done;
  done.final_content = tricky_text;
  done.message_id = "m_2";
  CHECK(single_data_line(encode_sse(4, done), 4)["final_content"] == tricky_text);

  error_event err{{error_code::upstream_error, tricky_text}, false, true};
  CHECK(single_data_line(encode_sse(5, err), 5)["error"]["message"] == tricky_text);
}

TEST_CASE("every ASCII byte in a delta survives the content frame", "[sse_encoder]") {
  for (int b = 0; b < 0x80; ++b) {
    const std::string text = std::string("<") + static_cast<char>(b) + ">";
    INFO("byte " << b);
    CHECK(single_data_line(encode_content_sse(2, text, 1, 3), 2)["data"] == text);
  }
}

TEST_CASE("encode_content_sse equals encode_sse of a content_event", "[sse_encoder]") {
  for (const std::string& text :
       {std::string(), std::string("plain"), tricky_text, std::string("\x00\x01", 2)}) {
    const content_event ev{text, 5, 77};
    INFO(text);
    CHECK(encode_content_sse(6, text, 5, 77) == encode_sse(6, ev));
    // and the hand-written hot path matches the generic JSON encoder byte for byte
    CHECK(encode_content_sse(6, text, 5, 77) == "id: 6\ndata: " + encode_event_json(ev) + "\n\n");
  }
}

TEST_CASE("the complete frame is written as a JSON value would write it", "[sse_encoder]") {
  complete_event ev;
  ev.message_id = "m_\xC3\xA9";
  ev.stored_in_db = true;
  ev.stats = {3, 12, 2500, 80, fallback_mode::none};
  for (const std::string& text : {std::string(), std::string("plain"), tricky_text,
                                  std::string("\x00\x01", 2), std::string(9000, 'x')}) {
    ev.final_content = text;
    INFO(text);
    const auto json = encode_event_json(ev);
    // Parsed and written again by nlohmann: the same bytes, so the escapes are its own.
    CHECK(nlohmann::ordered_json::parse(json).dump() == json);
    CHECK(nlohmann::json::parse(json)["final_content"] == text);
  }
}

TEST_CASE("a complete frame of ill-formed text carries replacement characters", "[sse_encoder]") {
  complete_event ev;
  ev.final_content = "ok \xC3\x28 \xFF";
  ev.message_id = "m_1";
  const auto json = encode_event_json(ev);
  CHECK(nlohmann::json::parse(json)["final_content"] == "ok \xEF\xBF\xBD( \xEF\xBF\xBD");
}

TEST_CASE("the fields come in a fixed order with type first", "[sse_encoder]") {
  CHECK(encode_event_json(sample_start()).rfind(R"({"type":"start",)", 0) == 0);
  CHECK(encode_event_json(content_event{"x", 1, 1}).rfind(R"({"type":"content",)", 0) == 0);
  CHECK(encode_event_json(complete_event{}).rfind(R"({"type":"complete",)", 0) == 0);
  CHECK(encode_event_json(error_event{}).rfind(R"({"type":"error",)", 0) == 0);
}

TEST_CASE("large ids and counters are written in full", "[sse_encoder]") {
  const std::uint64_t big = 18446744073709551615ULL;
  CHECK(encode_content_sse(big, "x", big, big) ==
        "id: 18446744073709551615\ndata: {\"type\":\"content\",\"data\":\"x\","
        "\"chunk_id\":18446744073709551615,\"total_chars\":18446744073709551615}\n\n");
}

TEST_CASE("the keep-alive frame is a comment line", "[sse_encoder]") {
  CHECK(keep_alive_frame() == ": keep-alive\n\n");
}

TEST_CASE("is_terminal is true for complete and error only", "[sse_encoder]") {
  CHECK_FALSE(is_terminal(sample_start()));
  CHECK_FALSE(is_terminal(content_event{}));
  CHECK(is_terminal(complete_event{}));
  CHECK(is_terminal(error_event{}));
}

TEST_CASE("a renumbered frame is the frame encoded with the new id", "[sse_encoder]") {
  error_event ev{{error_code::upstream_timeout, "id: 3\ndata: x"}, true, false};
  CHECK(renumber_sse(encode_sse(7, ev), 1001) == encode_sse(1001, ev));
  CHECK(renumber_sse(encode_content_sse(12, "a\nb", 11, 3), 5) ==
        encode_content_sse(5, "a\nb", 11, 3));
}

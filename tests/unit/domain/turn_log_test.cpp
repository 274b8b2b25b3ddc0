#include "domain/stored_ending.hpp"
#include "domain/turn_log.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/sse_encoder.hpp"

using namespace chatd::domain;

namespace {

start_event turn_log_start() {
  return {"Assistant is answering", "c_1", "m_1", "m_2", 1000};
}

complete_event sample_complete(const std::string& text) {
  complete_event ev;
  ev.final_content = text;
  ev.message_id = "m_2";
  ev.stored_in_db = true;
  ev.stats = {3, 9, 1200, 40, fallback_mode::none};
  return ev;
}

const std::vector<std::string> deltas = {"Hel", "lo \xE4\xB8\x96", "\xF0\x9F\x98\x80!\n\"x\""};

/// A log with the sample deltas and, when asked, a terminal event; `live` gets every frame
/// as it was produced live (the start frame is encoded by the caller, as the service does).
turn_log make_log(std::vector<std::string>& live, bool finish) {
  turn_log log(turn_log_start());
  live.push_back(encode_sse(1, log.start()));
  for (auto& d : deltas)
    live.push_back(log.append(d));
  if (finish)
    live.push_back(log.finish(sample_complete(log.text())));
  return log;
}

std::uint64_t id_of(const std::string& frame) {
  return std::stoull(frame.substr(4, frame.find('\n') - 4));
}

} // namespace

TEST_CASE("ids: start is 1, chunks 2.., the terminal event last", "[turn_log]") {
  std::vector<std::string> live;
  auto log = make_log(live, true);
  REQUIRE(live.size() == 5);
  for (std::size_t i = 0; i < live.size(); ++i)
    CHECK(id_of(live[i]) == i + 1);
  CHECK(log.last_id() == 5);
  CHECK(log.finished());
  CHECK(nlohmann::json::parse(live[4].substr(live[4].find("data: ") + 6))["type"] == "complete");
}

TEST_CASE("append encodes chunk ids and running character counts", "[turn_log]") {
  turn_log log(turn_log_start());
  CHECK(log.last_id() == 1);
  CHECK(log.append("Hel") == encode_content_sse(2, "Hel", 1, 3));
  CHECK(log.append("lo \xE4\xB8\x96") == encode_content_sse(3, "lo \xE4\xB8\x96", 2, 7));
  CHECK(log.append("\xF0\x9F\x98\x80") == encode_content_sse(4, "\xF0\x9F\x98\x80", 3, 8));
  CHECK(log.chunks() == 3);
  CHECK(log.total_chars() == 8);
  CHECK(log.text() == "Hello \xE4\xB8\x96\xF0\x9F\x98\x80");
  CHECK(log.last_id() == 4);
  CHECK_FALSE(log.finished());
}

TEST_CASE("frames_after(N) is every frame with id above N, byte-identical to the live frames",
          "[turn_log]") {
  for (bool finished : {false, true}) {
    std::vector<std::string> live;
    auto log = make_log(live, finished);
    for (std::uint64_t n = 0; n <= live.size() + 2; ++n) {
      INFO("finished " << finished << ", after " << n);
      const auto frames = log.frames_after(n);
      const std::size_t expected = n >= live.size() ? 0 : live.size() - n;
      REQUIRE(frames.size() == expected);
      for (std::size_t i = 0; i < frames.size(); ++i) {
        CHECK(frames[i].id == n + 1 + i);
        CHECK(frames[i].bytes == live[n + i]);
      }
    }
  }
}

TEST_CASE("a log without chunks replays start and terminal", "[turn_log]") {
  turn_log log(turn_log_start());
  const auto end = log.finish(error_event{{error_code::upstream_error, "no"}, true, false});
  CHECK(log.last_id() == 2);
  const auto frames = log.frames_after(0);
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].bytes == encode_sse(1, turn_log_start()));
  CHECK(frames[1].id == 2);
  CHECK(frames[1].bytes == end);
  CHECK(log.frames_after(1).size() == 1);
  CHECK(log.frames_after(2).empty());
}

TEST_CASE("terminal_event_of: complete and stopped answers give complete", "[turn_log]") {
  for (auto status : {message_status::complete, message_status::stopped}) {
    message_record m{"m_2", "c_1", message_role::assistant, "h\xC3\xA9llo \xE4\xB8\x96", status,
                     5,     ""};
    const auto ev = terminal_event_of(m);
    REQUIRE(std::holds_alternative<complete_event>(ev));
    const auto& c = std::get<complete_event>(ev);
    CHECK(c.final_content == m.content);
    CHECK(c.message_id == "m_2");
    CHECK(c.status == status);
    CHECK(c.stored_in_db);
    CHECK(c.stats.total_chars == 7);
  }
}

TEST_CASE("terminal_event_of: a failed answer gives a retryable upstream_error", "[turn_log]") {
  message_record m{"m_2", "c_1", message_role::assistant, "part", message_status::failed, 5, ""};
  const auto ev = terminal_event_of(m);
  REQUIRE(std::holds_alternative<error_event>(ev));
  const auto& e = std::get<error_event>(ev);
  CHECK(e.error.code == error_code::upstream_error);
  CHECK(e.retryable);
  CHECK(e.stored_in_db);
}

TEST_CASE("terminal_event_of: interrupted and streaming answers give shutting_down", "[turn_log]") {
  for (auto status : {message_status::interrupted, message_status::streaming}) {
    message_record m{"m_2", "c_1", message_role::assistant, "part", status, 5, ""};
    const auto ev = terminal_event_of(m);
    REQUIRE(std::holds_alternative<error_event>(ev));
    const auto& e = std::get<error_event>(ev);
    CHECK(e.error.code == error_code::shutting_down);
    CHECK(e.retryable);
    CHECK(e.stored_in_db);
  }
}

TEST_CASE("terminal_event_of: a stored ending gives back what the live stream said", "[turn_log]") {
  complete_event live{"two words", "m_2", message_status::complete, true, {}};
  live.stats = {3, 9, 1234, 56, fallback_mode::non_streaming};
  message_record m{"m_2",
                   "c_1",
                   message_role::assistant,
                   "two words",
                   message_status::complete,
                   5,
                   encode_stored_ending(live)};
  auto ev = std::get<complete_event>(terminal_event_of(m));
  CHECK(ev.stats.chunks == 3);
  CHECK(ev.stats.total_chars == 9);
  CHECK(ev.stats.duration_ms == 1234);
  CHECK(ev.stats.time_to_first_chunk_ms == 56);
  CHECK(ev.stats.fallback == fallback_mode::non_streaming);
  // A fallback answer had no chunk: no time to the first one, as live.
  live.stats = {0, 9, 800, std::nullopt, fallback_mode::non_streaming};
  m.ending = encode_stored_ending(live);
  CHECK_FALSE(std::get<complete_event>(terminal_event_of(m)).stats.time_to_first_chunk_ms);

  error_event failed{{error_code::upstream_unavailable, "the provider is down"}, true, true};
  message_record f{"m_3",
                   "c_1",
                   message_role::assistant,
                   "",
                   message_status::failed,
                   5,
                   encode_stored_ending(failed)};
  auto e = std::get<error_event>(terminal_event_of(f));
  CHECK(e.error.code == error_code::upstream_unavailable);
  CHECK(e.error.message == "the provider is down");
  CHECK(e.stored_in_db);
  // Garbage (a hand-edited row) falls back to the generic ending, not a crash.
  f.ending = "{not json";
  CHECK(std::get<error_event>(terminal_event_of(f)).error.code == error_code::upstream_error);
}

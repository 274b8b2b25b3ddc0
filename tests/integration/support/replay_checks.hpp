#pragma once

// Catch checks of a replayed or resumed stream against the stream its answer was written to.
// Header-only: they use Catch's macros, which only the test programs link.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/http_client.hpp"

namespace chatd::test {

/// `tail` holds exactly the events of `whole` after its first `skip`, in order, byte for byte.
inline void check_events_after(const sse_result& tail, const sse_result& whole, std::size_t skip) {
  REQUIRE(tail.status == 200);
  REQUIRE(tail.events.size() == whole.events.size() - skip);
  for (std::size_t i = 0; i < tail.events.size(); ++i) {
    CHECK(tail.events[i].id == whole.events[skip + i].id);
    CHECK(tail.events[i].data == whole.events[skip + i].data);
  }
}

/// `replay` is an answer's ending alone: one `complete` event, numbered `id`, with the text.
inline void check_lone_ending(const sse_result& replay, std::size_t id,
                              const nlohmann::json& final_content) {
  REQUIRE(replay.status == 200);
  REQUIRE(replay.events.size() == 1);
  CHECK(replay.events[0].id == std::to_string(id));
  auto ending = nlohmann::json::parse(replay.events[0].data);
  CHECK(ending["type"] == "complete");
  CHECK(ending["final_content"] == final_content);
}

} // namespace chatd::test

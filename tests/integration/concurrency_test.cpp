// Many streams at once: each gets its own answer, whole and in order.

#include <future>

#include <catch2/catch.hpp>

#include "support/service_fixture.hpp"
#include "support/stream_checks.hpp"

using namespace chatd::test;
using nlohmann::json;

TEST_CASE("50 concurrent streams all complete with their own answers, on one HTTP thread or "
          "several",
          "[integration][load]") {
  // One thread serves connections without strands, several with one strand per connection.
  const int http_threads = GENERATE(1, 3);
  INFO("HTTP threads: " << http_threads);
  service_fixture svc({"--http-threads", std::to_string(http_threads)});
  constexpr int users = 10, per_user = 5;
  // A bearer token per stream, so that each runs on a connection of its own.
  std::vector<std::vector<std::string>> tokens(users);
  for (int u = 0; u < users; ++u) {
    auto browser = svc.signed_in_client("user" + std::to_string(u));
    for (int k = 0; k < per_user; ++k)
      tokens[static_cast<std::size_t>(u)].push_back(
          browser->request("POST", "/api/auth/tokens").json()["token"].get<std::string>());
  }

  std::vector<std::future<std::string>> runs;
  for (int u = 0; u < users; ++u) {
    for (int k = 0; k < per_user; ++k) {
      auto token = tokens[static_cast<std::size_t>(u)][static_cast<std::size_t>(k)];
      runs.push_back(std::async(std::launch::async, [&svc, token, u, k] {
        http_client c(svc.chatd->url());
        c.use_bearer(token);
        auto message =
            "stream " + std::to_string(u) + "-" + std::to_string(k) + " ✓ 🚀 [[mock deltas=40]]";
        auto s =
            check_stream(c.stream("POST", "/api/chat/stream", json{{"message", message}}.dump()));
        if (s.terminal["type"] != "complete" || s.terminal["final_content"] != s.streamed_text)
          return std::string("incomplete: ") + s.terminal.dump();
        if (s.streamed_text.find("stream " + std::to_string(u) + "-" + std::to_string(k) +
                                 " ✓ 🚀") == std::string::npos)
          return std::string("wrong answer: ") + s.streamed_text;
        if (s.contents.size() != 40)
          return "expected 40 chunks, got " + std::to_string(s.contents.size());
        return std::string("ok");
      }));
    }
  }
  for (auto& r : runs)
    CHECK(r.get() == "ok");
  auto rows = stored_messages(svc.db_file().string());
  CHECK(rows.size() == 2u * users * per_user);
  for (auto& row : rows)
    CHECK(row.status == "complete");
}

// The generator's streams and runs against the mock provider over real loopback.

#include "tools/loadgen/load_run.hpp"
#include "tools/loadgen/report.hpp"
#include "tools/loadgen/stream_connection.hpp"
#include "tools/mock_provider/mock_provider.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

using namespace chatd::loadgen;

namespace {

/// Records what the stream told the run, in order.
class recorder final : public stream_observer {
public:
  std::vector<std::string> calls;

  void on_under_way(const stream_result&) override {
    calls.push_back("under way after " + std::to_string(chunks_) + " chunks");
  }
  void on_chunk(std::int64_t, std::uint64_t) override { ++chunks_; }
  void on_event() override {}
  void on_end(const stream_result& r) override {
    calls.push_back("end after " + std::to_string(r.contents) + " chunks");
  }

private:
  std::size_t chunks_ = 0;
};

/// A mock that serves every test case of this process and is never stopped. Stopping it
/// right after a stream ends can catch its loop before it has seen the client's close, and
/// RESTinio then never frees that connection (LeakSanitizer reports it); a mock that lives as
/// long as the process stays reachable. `key`: the API key it requires (empty: any).
const chatd::mock::mock_provider& mock_for(const std::string& key) {
  static std::mutex mtx;
  // Never destroyed either: what it points to must stay reachable until the process ends.
  static auto* running = new std::map<std::string, chatd::mock::mock_provider*>;
  std::lock_guard<std::mutex> guard(mtx);
  auto& mock = (*running)[key];
  if (!mock) {
    chatd::mock::mock_options opts;
    opts.required_api_key = key;
    mock = chatd::mock::mock_provider::start(opts).release();
  }
  return *mock;
}

/// Runs one stream of `deltas` stamped deltas from `mock` to its end.
stream_result run_stream(const chatd::mock::mock_provider& mock, std::string_view token,
                         std::size_t deltas, recorder& observer) {
  asio::io_context io;
  stream_connection stream(io, target_kind::mock, deltas, 0, observer);
  const endpoint server{"127.0.0.1", mock.port()};
  stream.start(asio::ip::tcp::endpoint(asio::ip::make_address(server.host), server.port),
               stream_request(target_kind::mock, server, token, deltas, 500));
  io.run();
  return stream.result();
}

/// Runs three streams of `deltas` at `rate` against the open mock, at most `concurrency` at
/// once (0: all).
run_result run_three(std::size_t deltas, double rate, std::size_t concurrency) {
  options opts;
  opts.target = target_kind::mock;
  opts.server = {"127.0.0.1", mock_for("").port()};
  opts.streams = 3;
  opts.deltas = deltas;
  opts.rate = rate;
  opts.concurrency = concurrency;
  load_run run(opts, {});
  return run.run();
}

} // namespace

// The run samples /proc for "memory per open stream" when every stream is under way; that
// moment must come after a stream's first chunk, so that the sampling is never timed as part
// of a relay's first chunk.
TEST_CASE("a stream is under way at its first chunk, not at its response head",
          "[loadgen][stream]") {
  recorder observer;
  const auto result = run_stream(mock_for(""), "any", 3, observer);
  CHECK(result.result == outcome::ok);
  CHECK(observer.calls ==
        std::vector<std::string>{"under way after 1 chunks", "end after 3 chunks"});
}

TEST_CASE("a stream that ends before any chunk is under way once, as it ends",
          "[loadgen][stream]") {
  recorder observer;
  const auto result = run_stream(mock_for("the-right-key"), "a-wrong-key", 3, observer);
  CHECK(result.result == outcome::failed);
  CHECK(observer.calls ==
        std::vector<std::string>{"under way after 0 chunks", "end after 0 chunks"});
}

TEST_CASE("with --concurrency 1 the run's streams follow one another", "[loadgen][run]") {
  const auto result = run_three(2, 500, 1);
  REQUIRE(result.streams.size() == 3);
  for (std::size_t i = 0; i < result.streams.size(); ++i) {
    CHECK(result.streams[i].result == outcome::ok);
    CHECK(result.streams[i].contents == 2);
    if (i > 0) // each one sent only after the one before had ended
      CHECK(result.streams[i].sent_at >= result.streams[i - 1].ended_at);
  }
}

TEST_CASE("without a concurrency limit the run's streams overlap", "[loadgen][run]") {
  // 0.5 s answers; the ramp starts all three within its first 5 ms tick.
  const auto result = run_three(50, 100, 0);
  REQUIRE(result.streams.size() == 3);
  for (const auto& s : result.streams)
    CHECK(s.result == outcome::ok);
  CHECK(result.streams[2].sent_at < result.streams[0].ended_at);
}

TEST_CASE("the report gives the relay latency second by second, every chunk counted once",
          "[loadgen][run]") {
  // 1.2 s answers: the chunks fall in the run's seconds 0 and 1.
  auto result = run_three(24, 20, 0);
  options opts;
  opts.streams = 3;
  const auto report = run_report(opts, result);
  const auto& rows = report["relay_latency_us_by_second"];
  REQUIRE(rows.size() == 2);
  std::size_t counted = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i]["second"] == i);
    CHECK(rows[i]["p50"].get<double>() <= rows[i]["p99"].get<double>());
    CHECK(rows[i]["p99"].get<double>() <= rows[i]["max"].get<double>());
    counted += rows[i]["chunks"].get<std::size_t>();
  }
  CHECK(counted == 3 * 24);
  CHECK(report["relay_latency_us"]["count"] == 3 * 24);
}

#pragma once
// One run: S streams opened at a steady ramp on one thread, the relay's /proc sampled at the
// start, when every stream is open, now and then for the peak, and at the end.

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/proc_sampler.hpp"
#include "tools/loadgen/stream_connection.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chatd::loadgen {

/// A process's samples over the run.
struct process_trace {
  pid_t pid = 0;
  std::optional<proc_sample> before, open, end;
  long peak_rss_kib = 0; ///< The largest VmRSS seen while sampling.
};

struct run_result {
  std::vector<stream_result> streams;
  std::vector<std::int64_t> chunk_latency_ns; ///< Every content event's receipt − send.
  std::vector<std::uint32_t> chunk_second;    ///< The second of the run each one arrived in.
  std::size_t events = 0;
  std::uint64_t started_at = 0; ///< The first stream's start.
  std::uint64_t open_at = 0;    ///< Every stream had its first chunk (or had ended).
  std::uint64_t ended_at = 0;   ///< The last stream ended.
  process_trace server, mock, self;
};

class load_run final : private stream_observer {
public:
  /// `tokens`: bearer tokens, used round-robin (one is enough for the peer and the mock).
  load_run(options opts, std::vector<std::string> tokens);

  /// Runs every stream to its end (or the deadline) and returns what was seen.
  run_result run();

private:
  void on_under_way(const stream_result& r) override;
  void on_chunk(std::int64_t latency_ns, std::uint64_t received_at) override;
  void on_event() override;
  void on_end(const stream_result& r) override;

  void ramp();
  void sample_peak();
  void sample_all(std::optional<proc_sample> process_trace::*slot);

  options opts_;
  std::vector<std::string> tokens_;
  asio::io_context io_{1};
  asio::ip::tcp::endpoint server_;
  asio::steady_timer ramp_timer_{io_};
  asio::steady_timer sample_timer_{io_};
  asio::steady_timer deadline_timer_{io_};
  std::vector<std::unique_ptr<stream_connection>> streams_;
  std::size_t under_way_ = 0;
  std::size_t ended_ = 0;
  run_result result_;
};

} // namespace chatd::loadgen

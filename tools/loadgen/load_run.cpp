#include "tools/loadgen/load_run.hpp"

#include "tools/loadgen/stamp.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <unistd.h>

namespace chatd::loadgen {

namespace {
// Ramp granularity: new streams are opened in small batches this often.
constexpr auto ramp_tick = std::chrono::milliseconds(5);
// How often the relay's RSS is read for its peak; /proc reads are cheap at this pace.
constexpr auto peak_period = std::chrono::milliseconds(200);
} // namespace

load_run::load_run(options opts, std::vector<std::string> tokens)
    : opts_(std::move(opts)), tokens_(std::move(tokens)) {
  if (tokens_.empty())
    tokens_.emplace_back("bench");
  asio::ip::tcp::resolver resolver(io_);
  const auto found = resolver.resolve(opts_.server.host, std::to_string(opts_.server.port));
  if (found.empty())
    throw std::runtime_error("cannot resolve " + opts_.server.host);
  server_ = found.begin()->endpoint();
  result_.server.pid = opts_.pid;
  result_.mock.pid = opts_.mock_pid;
  result_.self.pid = getpid();
  result_.chunk_latency_ns.reserve(opts_.streams * opts_.deltas);
  result_.chunk_second.reserve(opts_.streams * opts_.deltas);
  result_.streams.reserve(opts_.streams);
  streams_.reserve(opts_.streams);
}

run_result load_run::run() {
  sample_all(&process_trace::before);
  result_.started_at = monotonic_ns();
  const double ramp_s = static_cast<double>(opts_.streams) / opts_.ramp_per_s;
  // Streams that wait for a free slot run one round after another.
  const double rounds = std::ceil(static_cast<double>(opts_.streams) / open_at_once(opts_));
  const double answer_s = static_cast<double>(opts_.deltas) / opts_.rate * rounds;
  const double timeout_s = opts_.timeout_s > 0 ? opts_.timeout_s : ramp_s + answer_s + 60;
  deadline_timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(timeout_s)));
  deadline_timer_.async_wait([this, timeout_s](const std::error_code& ec) {
    if (ec)
      return;
    ramp_timer_.cancel();
    const auto why = "run deadline (" + std::to_string(static_cast<int>(timeout_s)) + " s)";
    for (auto& s : streams_)
      s->abort(why);
    // Streams never started count as incomplete too.
    while (streams_.size() < opts_.streams) {
      stream_result never;
      never.result = outcome::incomplete;
      never.error = "never started: " + why;
      result_.streams.push_back(never);
      streams_.push_back(nullptr);
      ++ended_;
    }
    sample_timer_.cancel();
  });
  ramp();
  sample_peak();
  io_.run();
  result_.ended_at = monotonic_ns();
  sample_all(&process_trace::end);
  for (const auto& s : streams_)
    if (s)
      result_.streams.push_back(s->result());
  return std::move(result_);
}

void load_run::ramp() {
  const auto elapsed_s = static_cast<double>(monotonic_ns() - result_.started_at) / 1e9;
  const auto by_ramp = std::min<std::size_t>(
      opts_.streams, static_cast<std::size_t>(std::floor(elapsed_s * opts_.ramp_per_s)) + 1);
  const auto due = std::min(by_ramp, ended_ + open_at_once(opts_));
  while (streams_.size() < due) {
    const auto i = streams_.size();
    stream_observer& observer = *this;
    auto s = std::make_unique<stream_connection>(io_, opts_.target, opts_.deltas, opts_.rcvbuf,
                                                 observer);
    auto* raw = s.get();
    streams_.push_back(std::move(s));
    raw->start(server_, stream_request(opts_.target, opts_.server, tokens_[i % tokens_.size()],
                                       opts_.deltas, opts_.rate));
  }
  // Held back by the ramp: look again shortly. (Held back by the concurrency: the next end
  // calls again.)
  if (streams_.size() < opts_.streams && streams_.size() >= by_ramp) {
    ramp_timer_.expires_after(ramp_tick);
    ramp_timer_.async_wait([this](const std::error_code& ec) {
      if (!ec)
        ramp();
    });
  }
}

void load_run::sample_peak() {
  for (auto* t : {&result_.server, &result_.mock})
    if (t->pid != 0)
      if (const auto s = sample_process(t->pid))
        t->peak_rss_kib = std::max(t->peak_rss_kib, s->rss_kib);
  if (ended_ == opts_.streams)
    return;
  sample_timer_.expires_after(peak_period);
  sample_timer_.async_wait([this](const std::error_code& ec) {
    if (!ec)
      sample_peak();
  });
}

void load_run::sample_all(std::optional<proc_sample> process_trace::*slot) {
  for (auto* t : {&result_.server, &result_.mock}) {
    if (t->pid == 0)
      continue;
    t->*slot = sample_process(t->pid);
    if (const auto& s = t->*slot)
      t->peak_rss_kib = std::max(t->peak_rss_kib, s->rss_kib);
  }
  result_.self.*slot = sample_process(0);
}

void load_run::on_under_way(const stream_result&) {
  if (++under_way_ == opts_.streams) {
    result_.open_at = monotonic_ns();
    sample_all(&process_trace::open);
  }
}

void load_run::on_chunk(std::int64_t latency_ns, std::uint64_t received_at) {
  result_.chunk_latency_ns.push_back(latency_ns);
  result_.chunk_second.push_back(
      static_cast<std::uint32_t>((received_at - result_.started_at) / 1'000'000'000));
}

void load_run::on_event() {
  ++result_.events;
}

void load_run::on_end(const stream_result&) {
  if (++ended_ < opts_.streams) {
    if (streams_.size() < opts_.streams && open_at_once(opts_) < opts_.streams)
      asio::post(io_, [this] { ramp(); }); // not from inside the stream that just ended
    return;
  }
  // Every stream is done: let io_.run() return.
  deadline_timer_.cancel();
  sample_timer_.cancel();
  ramp_timer_.cancel();
}

} // namespace chatd::loadgen

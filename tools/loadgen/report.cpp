#include "tools/loadgen/report.hpp"

#include "tools/loadgen/percentiles.hpp"

#include <cstdio>
#include <map>

namespace chatd::loadgen {

namespace {

nlohmann::json summary_us(std::vector<std::int64_t> samples_ns) {
  const auto s = summarize(samples_ns);
  auto us = [](std::int64_t ns) { return static_cast<double>(ns) / 1000.0; };
  return {{"count", s.count}, {"mean", s.mean / 1000.0}, {"min", us(s.min)},    {"p50", us(s.p50)},
          {"p90", us(s.p90)}, {"p99", us(s.p99)},        {"p99_9", us(s.p999)}, {"max", us(s.max)}};
}

/// Relay latency second by second of the run: where in the run the tail comes from (the ramp,
/// a steady state, or the answers' ends, which all fall in the run's last second or two).
nlohmann::json latency_by_second(const run_result& r) {
  auto rows = nlohmann::json::array();
  for (const auto& [second, s] : summarize_by_key(r.chunk_latency_ns, r.chunk_second))
    rows.push_back({{"second", second},
                    {"chunks", s.count},
                    {"p50", static_cast<double>(s.p50) / 1000.0},
                    {"p99", static_cast<double>(s.p99) / 1000.0},
                    {"max", static_cast<double>(s.max) / 1000.0}});
  return rows;
}

nlohmann::json optional_number(bool present, double value) {
  return present ? nlohmann::json(value) : nlohmann::json(nullptr);
}

/// CPU and memory of one process over the run; `chunks` relayed, `streams` open at once.
nlohmann::json process_report(const process_trace& t, std::size_t chunks, std::size_t streams) {
  if (t.pid == 0)
    return nullptr;
  nlohmann::json j = {{"pid", t.pid}};
  const bool whole = t.before && t.end;
  const double cpu = whole ? t.end->cpu_s - t.before->cpu_s : 0;
  j["cpu_s"] = optional_number(whole, cpu);
  j["cpu_us_per_chunk"] = optional_number(whole && chunks > 0, cpu * 1e6 / double(chunks));
  j["chunks_per_cpu_s"] = optional_number(whole && cpu > 0, double(chunks) / cpu);
  j["rss_before_kib"] = optional_number(t.before.has_value(), t.before ? t.before->rss_kib : 0);
  j["rss_open_kib"] = optional_number(t.open.has_value(), t.open ? t.open->rss_kib : 0);
  j["rss_end_kib"] = optional_number(t.end.has_value(), t.end ? t.end->rss_kib : 0);
  j["rss_peak_kib"] = t.peak_rss_kib;
  j["hwm_kib"] = optional_number(t.end.has_value(), t.end ? t.end->hwm_kib : 0);
  const bool per_stream = t.before && t.open;
  j["rss_per_stream_kib"] = optional_number(
      per_stream, per_stream ? double(t.open->rss_kib - t.before->rss_kib) / double(streams) : 0);
  return j;
}

/// An error message with its numbers replaced by N, so that "after 47 chunks" and "after 48
/// chunks" count as one kind of failure.
std::string error_kind(const std::string& message) {
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] >= '0' && message[i] <= '9') {
      out.push_back('N');
      while (i + 1 < message.size() && message[i + 1] >= '0' && message[i + 1] <= '9')
        ++i;
    } else {
      out.push_back(message[i]);
    }
  }
  return out;
}

std::string outcome_name(outcome o) {
  switch (o) {
  case outcome::ok:
    return "ok";
  case outcome::failed:
    return "failed";
  case outcome::incomplete:
    return "incomplete";
  case outcome::pending:
    break;
  }
  return "pending";
}

} // namespace

nlohmann::json run_report(const options& opts, run_result& r) {
  std::size_t ok = 0, failed = 0, incomplete = 0, chunks = 0;
  // Kinds of failure (at most 20 listed), each with how many streams and one full example.
  constexpr std::size_t max_error_kinds = 20;
  std::map<std::string, std::pair<std::size_t, std::string>> errors;
  std::vector<std::int64_t> to_provider, overhead, first_chunk;
  for (const auto& s : r.streams) {
    chunks += s.contents;
    if (s.result == outcome::ok)
      ++ok;
    else if (s.result == outcome::failed)
      ++failed;
    else
      ++incomplete;
    if (s.result != outcome::ok) {
      auto kind = outcome_name(s.result) + ": " + error_kind(s.error);
      if (errors.size() >= max_error_kinds && errors.count(kind) == 0)
        kind = "(other kinds)";
      auto& [count, example] = errors[kind];
      if (count++ == 0)
        example = s.error;
    }
    if (s.first_content_at == 0)
      continue;
    const auto client_first = static_cast<std::int64_t>(s.first_content_at - s.sent_at);
    first_chunk.push_back(client_first);
    if (s.provider_recv_ns && s.first_send_ns) {
      const auto recv = static_cast<std::int64_t>(*s.provider_recv_ns);
      to_provider.push_back(recv - static_cast<std::int64_t>(s.sent_at));
      // What the client waited beyond what the provider itself took to produce delta 1.
      overhead.push_back(client_first - (static_cast<std::int64_t>(*s.first_send_ns) - recv));
    }
  }
  const double duration_s = double(r.ended_at - r.started_at) / 1e9;
  nlohmann::json error_list = nlohmann::json::array();
  for (const auto& [kind, seen] : errors)
    error_list.push_back({{"kind", kind}, {"streams", seen.first}, {"example", seen.second}});
  auto by_second = latency_by_second(r); // before the samples are moved away
  return {
      {"target", target_name(opts.target)},
      {"label", opts.label},
      {"streams", opts.streams},
      {"deltas", opts.deltas},
      {"rate", opts.rate},
      {"ramp_per_s", opts.ramp_per_s},
      {"concurrency", open_at_once(opts)},
      {"ok", ok},
      {"failed", failed},
      {"incomplete", incomplete},
      {"errors", error_list},
      {"duration_s", duration_s},
      {"all_open_after_s", optional_number(r.open_at != 0, double(r.open_at - r.started_at) / 1e9)},
      {"events", r.events},
      {"chunks", chunks},
      {"events_per_s", duration_s > 0 ? double(r.events) / duration_s : 0},
      {"chunks_per_s", duration_s > 0 ? double(chunks) / duration_s : 0},
      {"relay_latency_us_by_second", std::move(by_second)},
      {"relay_latency_us", summary_us(std::move(r.chunk_latency_ns))},
      {"first_chunk_overhead_us", summary_us(std::move(overhead))},
      {"request_to_provider_us", summary_us(std::move(to_provider))},
      {"time_to_first_chunk_us", summary_us(std::move(first_chunk))},
      {"server_process", process_report(r.server, chunks, opts.streams)},
      {"mock_process", process_report(r.mock, chunks, opts.streams)},
      {"generator_process", process_report(r.self, chunks, opts.streams)},
  };
}

std::string summary_line(const nlohmann::json& j) {
  char line[512];
  const auto& lat = j["relay_latency_us"];
  const auto& server = j["server_process"];
  const double cpu_per_chunk = server.is_object() && server["cpu_us_per_chunk"].is_number()
                                   ? server["cpu_us_per_chunk"].get<double>()
                                   : -1;
  const double kib_per_stream = server.is_object() && server["rss_per_stream_kib"].is_number()
                                    ? server["rss_per_stream_kib"].get<double>()
                                    : -1;
  std::snprintf(line, sizeof line,
                "%-5s S=%-5zu R=%-6g ok=%zu failed=%zu incomplete=%zu | relay us p50=%.0f "
                "p99=%.0f p99.9=%.0f max=%.0f | first-chunk overhead p50=%.0f us | %.0f ev/s | "
                "cpu %.2f us/chunk | %.1f KiB/stream",
                j["target"].get<std::string>().c_str(), j["streams"].get<std::size_t>(),
                j["rate"].get<double>(), j["ok"].get<std::size_t>(), j["failed"].get<std::size_t>(),
                j["incomplete"].get<std::size_t>(), lat["p50"].get<double>(),
                lat["p99"].get<double>(), lat["p99_9"].get<double>(), lat["max"].get<double>(),
                j["first_chunk_overhead_us"]["p50"].get<double>(), j["events_per_s"].get<double>(),
                cpu_per_chunk, kib_per_stream);
  return line;
}

} // namespace chatd::loadgen

#include "actors/metrics.hpp"

#include <algorithm>
#include <cstdio>

namespace chatd::actors {

namespace {

void counter(std::string& out, const char* name, const char* help, std::uint64_t value,
             const char* type = "counter") {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

} // namespace

void latency_histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < bounds.size() && seconds > bounds[i])
    ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void latency_histogram::render(std::string& out, const char* name, const char* help) const {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  char le[32];
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    std::snprintf(le, sizeof le, "%g", bounds[i]);
    out += std::string(name) + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += counts_[bounds.size()].load(std::memory_order_relaxed);
  out += std::string(name) + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  std::snprintf(le, sizeof le, "%.6f", static_cast<double>(sum_micros_.load()) / 1e6);
  out += std::string(name) + "_sum " + le + "\n";
  out += std::string(name) + "_count " + std::to_string(cumulative) + "\n";
}

void service_metrics::count_upstream_error(domain::error_code code) {
  auto i = static_cast<std::size_t>(code);
  if (i < upstream_errors.size())
    upstream_errors[i].fetch_add(1, std::memory_order_relaxed);
}

std::string service_metrics::render() const {
  std::string out;
  counter(out, "chatd_streams_total", "Answers started.", streams_total.load());
  counter(out, "chatd_streams_active", "Answers being written now.",
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, streams_active.load())), "gauge");
  counter(out, "chatd_chunks_relayed_total", "Text chunks relayed to subscribers.",
          chunks_relayed.load());
  out += "# HELP chatd_turns_finished_total Answers finished, by status.\n"
         "# TYPE chatd_turns_finished_total counter\n";
  out += "chatd_turns_finished_total{status=\"complete\"} " +
         std::to_string(turns_completed.load()) + "\n";
  out += "chatd_turns_finished_total{status=\"stopped\"} " + std::to_string(turns_stopped.load()) +
         "\n";
  out +=
      "chatd_turns_finished_total{status=\"failed\"} " + std::to_string(turns_failed.load()) + "\n";
  out += "chatd_turns_finished_total{status=\"interrupted\"} " +
         std::to_string(turns_interrupted.load()) + "\n";
  counter(out, "chatd_fallbacks_total", "Provider calls restarted without streaming.",
          fallbacks.load());
  counter(out, "chatd_supervisor_restarts_total", "Upstream actors restarted by the supervisor.",
          supervisor_restarts.load());
  out += "# HELP chatd_upstream_errors_total Failed provider calls, by kind.\n"
         "# TYPE chatd_upstream_errors_total counter\n";
  for (auto code : {domain::error_code::upstream_error, domain::error_code::upstream_unavailable,
                    domain::error_code::upstream_timeout}) {
    out += "chatd_upstream_errors_total{kind=\"" + std::string(domain::to_string(code)) + "\"} " +
           std::to_string(upstream_errors[static_cast<std::size_t>(code)].load()) + "\n";
  }
  request_seconds.render(out, "chatd_http_request_duration_seconds",
                         "Time from a request's arrival to its answer (JSON routes).");
  first_chunk_seconds.render(out, "chatd_first_chunk_seconds",
                             "Time from a turn's start to its first relayed chunk.");
  return out;
}

service_metrics& metrics() {
  static service_metrics instance;
  return instance;
}

} // namespace chatd::actors

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "domain/error.hpp"

namespace chatd::actors {

/// A Prometheus histogram with fixed buckets, safe to observe from any thread.
class latency_histogram {
public:
  /// Upper bounds in seconds.
  static constexpr std::array<double, 14> bounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

  void observe(double seconds);
  void render(std::string& out, const char* name, const char* help) const;

private:
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// The service's counters. Plain atomics: one relaxed increment on the hot path, no lock.
struct service_metrics {
  std::atomic<std::uint64_t> streams_total{0};
  std::atomic<std::int64_t> streams_active{0};
  std::atomic<std::uint64_t> chunks_relayed{0};
  std::atomic<std::uint64_t> turns_completed{0};
  std::atomic<std::uint64_t> turns_stopped{0};
  std::atomic<std::uint64_t> turns_failed{0};
  std::atomic<std::uint64_t> turns_interrupted{0};
  std::atomic<std::uint64_t> fallbacks{0};
  std::atomic<std::uint64_t> supervisor_restarts{0};
  /// Upstream failures by the error code they ended with.
  std::array<std::atomic<std::uint64_t>, 16> upstream_errors{};
  latency_histogram request_seconds;
  latency_histogram first_chunk_seconds;

  void count_upstream_error(domain::error_code code);
  std::string render() const;
};

/// The process's one set of counters.
service_metrics& metrics();

} // namespace chatd::actors

#pragma once
// Exact percentiles of a sample set (every value is kept: a million samples is 8 MB, and exact
// tails are the point of the benchmark).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace chatd::loadgen {

struct summary {
  std::size_t count = 0;
  double mean = 0;
  std::int64_t min = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

/// Nearest-rank percentile (the smallest value with at least p% of the samples at or below
/// it) of `sorted`, which must be sorted ascending and non-empty; `p` in (0, 100].
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p);

/// Sorts `samples` and summarises them; all zero when empty.
summary summarize(std::vector<std::int64_t>& samples);

} // namespace chatd::loadgen

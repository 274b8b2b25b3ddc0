#pragma once
// Exact percentiles of a sample set (every value is kept: a million samples is 8 MB, and exact
// tails are the point of the benchmark).

#include <cstddef>
#include <cstdint>
#include <utility>
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

/// The samples grouped by their `keys` (one per sample, as small integers such as the second
/// of the run a sample was taken in), each group summarised; in order of key, empty groups
/// left out.
std::vector<std::pair<std::uint32_t, summary>>
summarize_by_key(const std::vector<std::int64_t>& samples, const std::vector<std::uint32_t>& keys);

} // namespace chatd::loadgen

#include "tools/loadgen/percentiles.hpp"

#include <algorithm>
#include <cmath>

namespace chatd::loadgen {

std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  // rank = ceil(p/100 * n), 1-based; the small epsilon keeps 99.9% of 1000 at rank 999, not
  // 1000, despite floating-point error.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

summary summarize(std::vector<std::int64_t>& samples) {
  summary s;
  if (samples.empty())
    return s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  long double total = 0;
  for (auto v : samples)
    total += v;
  s.mean = static_cast<double>(total / static_cast<long double>(samples.size()));
  s.min = samples.front();
  s.p50 = percentile(samples, 50);
  s.p90 = percentile(samples, 90);
  s.p99 = percentile(samples, 99);
  s.p999 = percentile(samples, 99.9);
  s.max = samples.back();
  return s;
}

std::vector<std::pair<std::uint32_t, summary>>
summarize_by_key(const std::vector<std::int64_t>& samples, const std::vector<std::uint32_t>& keys) {
  std::vector<std::vector<std::int64_t>> groups;
  for (std::size_t i = 0; i < samples.size() && i < keys.size(); ++i) {
    if (keys[i] >= groups.size())
      groups.resize(keys[i] + std::size_t{1});
    groups[keys[i]].push_back(samples[i]);
  }
  std::vector<std::pair<std::uint32_t, summary>> out;
  for (std::size_t key = 0; key < groups.size(); ++key)
    if (!groups[key].empty())
      out.emplace_back(static_cast<std::uint32_t>(key), summarize(groups[key]));
  return out;
}

} // namespace chatd::loadgen

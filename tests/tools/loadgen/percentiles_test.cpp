#include "tools/loadgen/percentiles.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace chatd::loadgen;

TEST_CASE("percentiles: nearest rank", "[loadgen][percentiles]") {
  std::vector<std::int64_t> v(1000);
  std::iota(v.begin(), v.end(), 1); // 1..1000
  CHECK(percentile(v, 50) == 500);
  CHECK(percentile(v, 90) == 900);
  CHECK(percentile(v, 99) == 990);
  CHECK(percentile(v, 99.9) == 999);
  CHECK(percentile(v, 100) == 1000);
  CHECK(percentile(v, 0.01) == 1);
  const std::vector<std::int64_t> one = {7};
  CHECK(percentile(one, 50) == 7);
  CHECK(percentile(one, 99.9) == 7);
  const std::vector<std::int64_t> four = {10, 20, 30, 40};
  CHECK(percentile(four, 50) == 20);
  CHECK(percentile(four, 51) == 30);
}

TEST_CASE("summarize sorts and reports the tails", "[loadgen][percentiles]") {
  std::vector<std::int64_t> v;
  for (int i = 100; i >= 1; --i)
    v.push_back(i * 10);
  const auto s = summarize(v);
  CHECK(std::is_sorted(v.begin(), v.end()));
  CHECK(s.count == 100);
  CHECK(s.min == 10);
  CHECK(s.p50 == 500);
  CHECK(s.p90 == 900);
  CHECK(s.p99 == 990);
  CHECK(s.p999 == 1000);
  CHECK(s.max == 1000);
  CHECK(s.mean == Approx(505.0));
  std::vector<std::int64_t> none;
  CHECK(summarize(none).count == 0);
}

TEST_CASE("summarize_by_key summarises each group, in order of key", "[loadgen][percentiles]") {
  const std::vector<std::int64_t> samples = {5, 100, 7, 300, 200, 6};
  const std::vector<std::uint32_t> keys = {0, 3, 0, 3, 3, 0};
  const auto groups = summarize_by_key(samples, keys);
  REQUIRE(groups.size() == 2); // keys 1 and 2 had no sample
  CHECK(groups[0].first == 0);
  CHECK(groups[0].second.count == 3);
  CHECK(groups[0].second.p50 == 6);
  CHECK(groups[0].second.max == 7);
  CHECK(groups[1].first == 3);
  CHECK(groups[1].second.count == 3);
  CHECK(groups[1].second.p50 == 200);
  CHECK(groups[1].second.max == 300);
  CHECK(summarize_by_key({}, {}).empty());
}

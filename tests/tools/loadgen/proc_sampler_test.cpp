#include "tools/loadgen/proc_sampler.hpp"

#include <catch2/catch.hpp>

using namespace chatd::loadgen;

TEST_CASE("proc: utime + stime, even with ') ' in the command name", "[loadgen][proc]") {
  // Fields 14 and 15 (utime, stime) are 250 and 50.
  const std::string stat = "4242 (odd) name) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 "
                           "20 0 9 0 12345 1000000 500 18446744073709551615\n";
  CHECK(parse_stat_ticks(stat) == 300ull);
  CHECK_FALSE(parse_stat_ticks("4242 (short) S 1 2"));
  CHECK_FALSE(parse_stat_ticks("no parenthesis"));
}

TEST_CASE("proc: kB fields of /proc/PID/status", "[loadgen][proc]") {
  const std::string status = "Name:\tchatd\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n"
                             "VmRSSx:\t 1 kB\nThreads:\t5\n";
  CHECK(parse_status_kib(status, "VmRSS") == 10240);
  CHECK(parse_status_kib(status, "VmHWM") == 20480);
  CHECK_FALSE(parse_status_kib(status, "VmSwap"));
  CHECK_FALSE(parse_status_kib("VmRSS:\t\n", "VmRSS"));
}

TEST_CASE("proc: this process can be sampled", "[loadgen][proc]") {
  const auto s = sample_process(0);
  REQUIRE(s);
  CHECK(s->rss_kib > 0);
  CHECK(s->hwm_kib >= s->rss_kib);
  CHECK(s->cpu_s >= 0);
}

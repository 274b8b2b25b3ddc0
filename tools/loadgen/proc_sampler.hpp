#pragma once
// CPU time and memory of a process, from /proc (Linux): what the relay under test, the mock and
// the generator itself cost.

#include <cstdint>
#include <optional>
#include <string_view>
#include <sys/types.h>

namespace chatd::loadgen {

struct proc_sample {
  double cpu_s = 0;        ///< utime + stime, seconds
  long rss_kib = 0;        ///< VmRSS
  long hwm_kib = 0;        ///< VmHWM: the peak RSS since the process started
  std::uint64_t at_ns = 0; ///< CLOCK_MONOTONIC when sampled
};

/// utime + stime in clock ticks from the text of /proc/PID/stat (the command name may hold
/// blanks and parentheses, so fields are counted from the last ')').
std::optional<unsigned long long> parse_stat_ticks(std::string_view stat);

/// The value in kB of field `name` (e.g. "VmRSS") in the text of /proc/PID/status.
std::optional<long> parse_status_kib(std::string_view status, std::string_view name);

/// Samples process `pid` (0 = this process); nullopt when it cannot be read (it has gone).
std::optional<proc_sample> sample_process(pid_t pid);

} // namespace chatd::loadgen

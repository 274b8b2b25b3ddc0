#include "tools/loadgen/proc_sampler.hpp"

#include "tools/loadgen/stamp.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace chatd::loadgen {

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<unsigned long long> parse_unsigned(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  unsigned long long n = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    n = n * 10 + static_cast<unsigned long long>(c - '0');
  }
  return n;
}

} // namespace

std::optional<unsigned long long> parse_stat_ticks(std::string_view stat) {
  const auto paren = stat.rfind(')');
  if (paren == std::string_view::npos)
    return std::nullopt;
  // After ") " come field 3 (state) onwards; utime and stime are fields 14 and 15.
  std::string_view rest = stat.substr(paren + 1);
  unsigned long long utime = 0, stime = 0;
  int field = 2;
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos)
      break;
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \n");
    const auto token = rest.substr(0, end);
    ++field;
    if (field == 14 || field == 15) {
      const auto v = parse_unsigned(token);
      if (!v)
        return std::nullopt;
      (field == 14 ? utime : stime) = *v;
      if (field == 15)
        return utime + stime;
    }
    if (end == std::string_view::npos)
      break;
    rest.remove_prefix(end);
  }
  return std::nullopt;
}

std::optional<long> parse_status_kib(std::string_view status, std::string_view name) {
  std::size_t pos = 0;
  while (pos < status.size()) {
    auto eol = status.find('\n', pos);
    if (eol == std::string_view::npos)
      eol = status.size();
    const auto line = status.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
        line[name.size()] != ':')
      continue;
    auto value = line.substr(name.size() + 1);
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos)
      return std::nullopt;
    value.remove_prefix(first);
    const auto blank = value.find(' ');
    const auto n = parse_unsigned(value.substr(0, blank));
    if (!n)
      return std::nullopt;
    return static_cast<long>(*n);
  }
  return std::nullopt;
}

std::optional<proc_sample> sample_process(pid_t pid) {
  const std::string dir = pid == 0 ? "/proc/self" : "/proc/" + std::to_string(pid);
  const auto stat = read_file(dir + "/stat");
  const auto status = read_file(dir + "/status");
  if (!stat || !status)
    return std::nullopt;
  const auto ticks = parse_stat_ticks(*stat);
  const auto rss = parse_status_kib(*status, "VmRSS");
  const auto hwm = parse_status_kib(*status, "VmHWM");
  if (!ticks || !rss || !hwm)
    return std::nullopt;
  static const long ticks_per_s = sysconf(_SC_CLK_TCK);
  proc_sample s;
  s.cpu_s = static_cast<double>(*ticks) / static_cast<double>(ticks_per_s);
  s.rss_kib = *rss;
  s.hwm_kib = *hwm;
  s.at_ns = monotonic_ns();
  return s;
}

} // namespace chatd::loadgen

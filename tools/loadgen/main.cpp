// chatd-loadgen: opens S concurrent streams against chatd, the Node peer or the mock provider
// itself, on one thread, and reports relay latency, first-chunk overhead, throughput, failures
// and the server's CPU and memory. See bench/README.md.

#include "tools/loadgen/chatd_accounts.hpp"
#include "tools/loadgen/load_run.hpp"
#include "tools/loadgen/options.hpp"
#include "tools/loadgen/report.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <sys/resource.h>

namespace {

// Every stream is a socket; the default soft limit (often 1024) is far below 5 000.
void raise_file_limit(std::size_t streams) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < streams + 64)
    std::cerr << "chatd-loadgen: warning: only " << limit.rlim_cur << " file descriptors for "
              << streams << " streams\n";
}

} // namespace

int main(int argc, char** argv) {
  using namespace chatd::loadgen;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
  auto parsed = parse_options(args);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "chatd-loadgen: " << *error << "\n" << usage;
    return 2;
  }
  const auto& opts = std::get<options>(parsed);
  std::signal(SIGPIPE, SIG_IGN);
  raise_file_limit(opts.streams);

  try {
    std::vector<std::string> tokens;
    if (!opts.token.empty())
      tokens.push_back(opts.token);
    else if (opts.target == target_kind::chatd)
      tokens = create_chatd_tokens(opts.server, opts.users);
    load_run run(opts, std::move(tokens));
    auto result = run.run();
    const auto report = run_report(opts, result);
    std::cerr << summary_line(report) << "\n";
    if (opts.json_path.empty()) {
      std::cout << report.dump(2) << "\n";
    } else {
      std::ofstream out(opts.json_path);
      out << report.dump(2) << "\n";
      if (!out) {
        std::cerr << "chatd-loadgen: cannot write " << opts.json_path << "\n";
        return 1;
      }
    }
    const bool clean = report["failed"] == 0 && report["incomplete"] == 0;
    return clean ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "chatd-loadgen: " << e.what() << "\n";
    return 1;
  }
}

// chatd-mock-provider: the mock provider as a process, for scripts, demos and the benchmark.
//
//   chatd-mock-provider [--host H] [--port P] [--api-key K] [--deltas N] [--rate R] [--stamp]
//                       [--threads T]
//
// Prints `mock provider listening on http://HOST:PORT/v1` once it accepts connections, then
// serves until SIGTERM or SIGINT and exits 0.

#include "tools/mock_provider/mock_provider.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

namespace {

constexpr const char* usage =
    "usage: chatd-mock-provider [--host H] [--port P] [--api-key K] [--deltas N] [--rate R]\n"
    "                           [--stamp] [--threads T]\n";

[[noreturn]] void fail_usage(const std::string& why) {
  std::cerr << "chatd-mock-provider: " << why << "\n" << usage;
  std::exit(2);
}

chatd::mock::mock_options parse_args(int argc, char** argv) {
  chatd::mock::mock_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (arg == "--stamp") {
      o.stamp = true;
      continue;
    }
    if (i + 1 >= argc)
      fail_usage("missing value after " + arg);
    const std::string value = argv[++i];
    try {
      std::size_t used = 0;
      if (arg == "--host") {
        o.host = value;
        used = value.size();
      } else if (arg == "--port") {
        const auto port = std::stoul(value, &used);
        if (port > 65535)
          fail_usage("port out of range: " + value);
        o.port = static_cast<std::uint16_t>(port);
      } else if (arg == "--api-key") {
        o.required_api_key = value;
        used = value.size();
      } else if (arg == "--deltas") {
        o.default_deltas = std::stoi(value, &used);
      } else if (arg == "--rate") {
        o.default_rate = std::stod(value, &used);
      } else if (arg == "--threads") {
        o.io_threads = std::stoul(value, &used);
      } else {
        fail_usage("unknown option " + arg);
      }
      if (used != value.size())
        fail_usage("bad value for " + arg + ": " + value);
    } catch (const std::logic_error&) {
      fail_usage("bad value for " + arg + ": " + value);
    }
  }
  if (o.default_deltas < 0 || o.default_rate < 0 || o.io_threads < 1)
    fail_usage("--deltas and --rate must not be negative, --threads at least 1");
  return o;
}

} // namespace

int main(int argc, char** argv) {
  const auto options = parse_args(argc, argv);

  // Block the stop signals before any thread starts, so that every thread inherits the mask
  // and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<chatd::mock::mock_provider> provider;
  try {
    provider = chatd::mock::mock_provider::start(options);
  } catch (const std::exception& e) {
    std::cerr << "chatd-mock-provider: cannot listen on " << options.host << ":" << options.port
              << ": " << e.what() << "\n";
    return 1;
  }
  std::cout << "mock provider listening on " << provider->base_url() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  provider->stop();
  return 0;
}

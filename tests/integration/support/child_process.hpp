#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace chatd::test {

/// A program started for a test, with its stdout read line by line on a thread of its own so
/// that a test can wait for a line (a signal) instead of sleeping.
class child_process {
public:
  /// With `with_stderr`, what the program writes to stderr is read as part of its output too.
  child_process(const std::string& program, const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {}, bool with_stderr = false);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// The first stdout line containing `needle`, waiting at most `timeout`.
  std::optional<std::string> wait_for_line(const std::string& needle,
                                           std::chrono::milliseconds timeout);

  /// Everything printed so far.
  std::string output();

  /// Waits until the program closes its stdout (normally: it exits) and returns all it printed.
  std::string output_to_end(std::chrono::milliseconds timeout);

  /// Sends `signal` and waits for the exit; returns the exit code (128 + n if killed by n).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));

  /// Waits at most `timeout` for the program to exit on its own; its exit code, if it did.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }

private:
  void read_loop();
  /// Waits at most `timeout` for the exit (without reaping it); whether it came.
  bool exited_within(std::chrono::milliseconds timeout) const;
  int reap();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::thread reader_;
  std::mutex mtx_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool closed_ = false;
  std::optional<int> exit_code_;
};

} // namespace chatd::test

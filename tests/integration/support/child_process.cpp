#include "support/child_process.hpp"

#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace chatd::test {

child_process::child_process(const std::string& program, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env, bool with_stderr) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  // Build argv and envp before fork: only async-signal-safe calls after it.
  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    merged[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  for (auto& [k, v] : env) {
    if (v.empty())
      merged.erase(k); // an empty value removes the variable
    else
      merged[k] = v;
  }
  std::vector<std::string> env_strings;
  for (auto& [k, v] : merged)
    env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    if (with_stderr)
      dup2(fds[1], STDERR_FILENO);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd_ = fds[0];
  reader_ = std::thread([this] { read_loop(); });
}

child_process::~child_process() {
  if (!exit_code_)
    stop(SIGKILL);
  if (reader_.joinable())
    reader_.join();
  if (out_fd_ >= 0)
    close(out_fd_);
}

void child_process::read_loop() {
  std::string partial;
  char buf[4096];
  for (;;) {
    auto n = read(out_fd_, buf, sizeof buf);
    if (n <= 0)
      break;
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t pos;
    while ((pos = partial.find('\n')) != std::string::npos) {
      std::lock_guard<std::mutex> guard(mtx_);
      lines_.push_back(partial.substr(0, pos));
      partial.erase(0, pos + 1);
      changed_.notify_all();
    }
  }
  std::lock_guard<std::mutex> guard(mtx_);
  if (!partial.empty())
    lines_.push_back(partial);
  closed_ = true;
  changed_.notify_all();
}

std::optional<std::string> child_process::wait_for_line(const std::string& needle,
                                                        std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> guard(mtx_);
  std::optional<std::string> found;
  changed_.wait_for(guard, timeout, [&] {
    for (auto& line : lines_)
      if (line.find(needle) != std::string::npos) {
        found = line;
        return true;
      }
    return closed_;
  });
  return found;
}

std::string child_process::output() {
  std::lock_guard<std::mutex> guard(mtx_);
  std::string out;
  for (auto& line : lines_)
    out += line + "\n";
  return out;
}

std::string child_process::output_to_end(std::chrono::milliseconds timeout) {
  {
    std::unique_lock<std::mutex> guard(mtx_);
    changed_.wait_for(guard, timeout, [&] { return closed_; });
  }
  return output();
}

int child_process::stop(int signal, std::chrono::milliseconds timeout) {
  if (exit_code_)
    return *exit_code_;
  ::kill(pid_, signal);
  if (!exited_within(timeout))
    ::kill(pid_, SIGKILL);
  return reap();
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_)
    return exit_code_;
  if (!exited_within(timeout))
    return std::nullopt;
  return reap();
}

bool child_process::exited_within(std::chrono::milliseconds timeout) const {
  // A pidfd becomes readable when the child exits: wait on it, with the timeout.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd < 0)
    return false;
  pollfd pfd{pidfd, POLLIN, 0};
  bool exited = poll(&pfd, 1, static_cast<int>(timeout.count())) > 0;
  close(pidfd);
  return exited;
}

int child_process::reap() {
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return *exit_code_;
}

} // namespace chatd::test

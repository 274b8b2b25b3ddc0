#pragma once

#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "tools/mock_provider/mock_provider.hpp"

namespace chatd::test {

/// A fresh temporary directory, removed with everything in it at the end of the test.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

/// The real chatd binary, started on a free loopback port against a provider, with its
/// database in a file of the test's own.
class chatd_process {
public:
  chatd_process(const std::filesystem::path& db_file, const std::string& provider_url,
                std::vector<std::string> extra_args = {},
                std::map<std::string, std::string> env = {});

  const std::string& url() const { return url_; }
  child_process& process() { return *proc_; }
  /// SIGTERM, then the exit code.
  int stop(int signal = SIGTERM) { return proc_->stop(signal); }

private:
  std::unique_ptr<child_process> proc_;
  std::string url_;
};

/// The usual set-up of an integration test: a temp directory, the mock provider (in this
/// process, over loopback HTTP) and chatd (a child process) in front of it.
class service_fixture {
public:
  explicit service_fixture(std::vector<std::string> extra_args = {});

  /// Stops chatd (gracefully) and starts it again on the same database.
  void restart(std::vector<std::string> extra_args = {});

  /// A client signed in as a new user `name` (registered through the API).
  std::unique_ptr<http_client> signed_in_client(const std::string& name);

  std::filesystem::path db_file() const { return dir.path() / "chatd.db"; }
  std::string mock_url() const { return mock->base_url(); }

  temp_dir dir;
  std::unique_ptr<mock::mock_provider> mock;
  std::unique_ptr<chatd_process> chatd;

private:
  std::vector<std::string> args_;
};

/// The mock provider's log of `/v1/responses` calls, once at least `count` arrived.
nlohmann::json mock_requests(const std::string& mock_base_url, int count, int timeout_ms = 5000);

} // namespace chatd::test

#include "support/service_fixture.hpp"

#include <atomic>
#include <csignal>
#include <random>
#include <stdexcept>

#include <unistd.h>

#ifndef CHATD_BINARY
#error "CHATD_BINARY must name the chatd executable"
#endif

namespace chatd::test {

temp_dir::temp_dir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("chatd-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

chatd_process::chatd_process(const std::filesystem::path& db_file, const std::string& provider_url,
                             std::vector<std::string> extra_args,
                             std::map<std::string, std::string> env) {
  std::vector<std::string> args{
      "--listen",          "127.0.0.1:0", "--database",  "sqlite://" + db_file.string(),
      "--openai-base-url", provider_url,  "--log-level", "warn"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  env.emplace("OPENAI_API_KEY", "sk-test-key-0123456789");
  env.emplace("CHATD_CONFIG", "/dev/null");
  proc_ = std::make_unique<child_process>(CHATD_BINARY, args, env);
  auto line = proc_->wait_for_line("chatd listening on ", std::chrono::seconds(20));
  if (!line)
    throw std::runtime_error("chatd did not start:\n" + proc_->output());
  url_ = line->substr(line->find("http://"));
}

service_fixture::service_fixture(std::vector<std::string> extra_args)
    : mock(mock::mock_provider::start(mock::mock_options{})), args_(std::move(extra_args)) {
  chatd = std::make_unique<chatd_process>(db_file(), mock->base_url(), args_);
}

void service_fixture::restart(std::vector<std::string> extra_args) {
  if (chatd)
    chatd->stop();
  chatd.reset();
  if (!extra_args.empty())
    args_ = std::move(extra_args);
  chatd = std::make_unique<chatd_process>(db_file(), mock->base_url(), args_);
}

std::unique_ptr<http_client> service_fixture::signed_in_client(const std::string& name) {
  auto client = std::make_unique<http_client>(chatd->url());
  auto r = client->post("/api/auth/register", {{"username", name}, {"password", "correct horse"}});
  if (r.status != 201)
    throw std::runtime_error("register failed: " + std::to_string(r.status) + " " + r.body);
  return client;
}

nlohmann::json mock_requests(const std::string& mock_base_url, int count, int timeout_ms) {
  // The observation endpoint lives beside /v1.
  auto root = mock_base_url.substr(0, mock_base_url.rfind("/v1"));
  http_client client(root);
  auto r = client.get("/mock/requests?wait_for=" + std::to_string(count) +
                      "&timeout_ms=" + std::to_string(timeout_ms));
  return r.json()["requests"];
}

} // namespace chatd::test

#include "config/settings_loader.hpp"

#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "config/settings_schema.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace chatd::config;
using chatd::unit_test::temp_dir;
using chatd::unit_test::working_directory;
using args = std::vector<std::string>;

namespace {

/// Every test runs in an empty working directory (so no `config/chatd.conf` is found by
/// accident) with an environment of its own.
struct loader {
  temp_dir dir;
  working_directory cwd{dir.path()};
  std::map<std::string, std::string> env;

  env_lookup lookup() const {
    return [vars = env](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  std::string write(const std::string& name, const std::string& text) const {
    const auto path = dir.file(name);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  load_outcome load(const args& a) const {
    auto r = load_settings(a, lookup());
    if (auto* err = std::get_if<std::string>(&r))
      FAIL("unexpected error: " << *err);
    return std::get<load_outcome>(r);
  }
  settings values(const args& a = {}) const { return load(a).values; }

  std::string error(const args& a) const {
    auto r = load_settings(a, lookup());
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
  }
};

using Catch::Matchers::Contains;

} // namespace

TEST_CASE_METHOD(loader, "without file, environment or flags every setting has its default",
                 "[config]") {
  const auto out = load({});
  CHECK_FALSE(out.help);
  const auto& s = out.values;
  CHECK(s.listen == "127.0.0.1:8080");
  CHECK(s.database == "sqlite://./data/chatd.db");
  CHECK(s.openai_base_url == "https://api.openai.com/v1");
  CHECK_FALSE(s.openai_base_url_set);
  CHECK(s.openai_api_key.empty());
  CHECK_FALSE(s.model.empty());
  CHECK(s.max_body_bytes == 64 * 1024);
  CHECK(s.checkpoint_interval == std::chrono::milliseconds(1000));
  CHECK(s.keepalive_interval == std::chrono::milliseconds(15000));
  CHECK(s.max_streams_per_user == 8);
  CHECK(s.max_streams_total == 10000);
  CHECK(s.log_level == "info");
  CHECK(s.sqlite_synchronous == "full");
  CHECK_FALSE(s.cookie_secure);
  CHECK(s.demo_provider());
}

TEST_CASE_METHOD(loader, "the file is overridden by the environment, which flags override",
                 "[config]") {
  const auto path = write("chatd.conf", "listen = 10.0.0.1:1\n"
                                        "model = file-model\n"
                                        "log_level = debug\n");
  env = {{"CHATD_LISTEN", "10.0.0.2:2"}, {"OPENAI_MODEL", "env-model"}};
  const auto s = values({"--config", path, "--listen", "10.0.0.3:3"});
  CHECK(s.listen == "10.0.0.3:3");
  CHECK(s.model == "env-model");
  CHECK(s.log_level == "debug");
}

TEST_CASE_METHOD(loader, "a flag takes its value after a space or after '='", "[config]") {
  const auto spaced = values({"--listen", "0.0.0.0:9000", "--max-body-bytes", "1024"});
  const auto joined = values({"--listen=0.0.0.0:9000", "--max-body-bytes=1024"});
  CHECK(spaced.listen == "0.0.0.0:9000");
  CHECK(joined.listen == "0.0.0.0:9000");
  CHECK(spaced.max_body_bytes == 1024);
  CHECK(joined.max_body_bytes == 1024);
  CHECK(values({"--model=a=b"}).model == "a=b"); // only the first '=' splits
}

TEST_CASE_METHOD(loader, "config files allow comments, blank lines, quotes and CRLF", "[config]") {
  const auto path = write("chatd.conf", "# a comment\r\n"
                                        "\r\n"
                                        "   # an indented comment\n"
                                        "  model   =   \"quoted model\"  \r\n"
                                        "static_dir=/srv/ui\n"
                                        "cookie_secure = yes\n");
  const auto s = values({"--config", path});
  CHECK(s.model == "quoted model");
  CHECK(s.static_dir == "/srv/ui");
  CHECK(s.cookie_secure);
}

TEST_CASE_METHOD(loader, "an unknown key in the file is an error naming file and line",
                 "[config]") {
  const auto path = write("chatd.conf", "# settings\nlisten = 127.0.0.1:1\nlisten_port = 80\n");
  const auto err = error({"--config", path});
  CHECK_THAT(err, Contains(path + ":3"));
  CHECK_THAT(err, Contains("listen_port"));
}

TEST_CASE_METHOD(loader, "a file line without '=' is an error naming file and line", "[config]") {
  const auto path = write("chatd.conf", "model = x\njust words\n");
  CHECK_THAT(error({"--config", path}), Contains(path + ":2"));
}

TEST_CASE_METHOD(loader, "a bad value in the file is an error naming file, line and key",
                 "[config]") {
  const auto path = write("chatd.conf", "model = x\nlog_level = loud\n");
  const auto err = error({"--config", path});
  CHECK_THAT(err, Contains(path + ":2"));
  CHECK_THAT(err, Contains("log_level"));
}

TEST_CASE_METHOD(loader, "unknown flags, missing values and stray words are errors", "[config]") {
  CHECK_THAT(error({"--no-such-flag", "1"}), Contains("--no-such-flag"));
  CHECK_THAT(error({"--openai-api-key", "sk-x"}), Contains("--openai-api-key"));
  CHECK_THAT(error({"--listen"}), Contains("--listen"));
  CHECK_THAT(error({"serve"}), Contains("serve"));
  CHECK_THAT(error({"-v"}), Contains("-v"));
}

TEST_CASE_METHOD(loader, "bad flag values are errors naming the flag", "[config]") {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"listen", "localhost"},
      {"listen", "localhost:"},
      {"listen", ":8080"},
      {"listen", "127.0.0.1:65536"},
      {"listen", "127.0.0.1:http"},
      {"listen", "127.0.0.1:-1"},
      {"database", "postgresql://u@h/db"},
      {"database", "sqlite://"},
      {"database", "./chatd.db"},
      {"database", "SQLITE://x.db"},
      {"log-level", "verbose"},
      {"log-level", "INFO"},
      {"max-body-bytes", "255"},
      {"max-body-bytes", "67108865"},
      {"max-body-bytes", "abc"},
      {"max-body-bytes", "-1"},
      {"max-body-bytes", "1e5"},
      {"max-body-bytes", ""},
      {"max-body-bytes", "1024 "},
      {"http-threads", "0"},
      {"http-threads", "65"},
      {"checkpoint-interval-ms", "9"},
      {"checkpoint-interval-ms", "60001"},
      {"keepalive-interval-ms", "15001"},
      {"provider-max-retries", "11"},
      {"session-idle-timeout-s", "0"},
      {"max-streams-total", "99999999999999999999"},
      {"cookie-secure", "maybe"},
      {"openai-base-url", "ftp://example.com"},
      {"openai-base-url", "api.openai.com/v1"},
      {"sqlite-synchronous", "off"},
      {"public-origin", "chat.example.com"},
      {"admin-listen", "9090"},
  };
  for (auto& [flag, value] : bad) {
    INFO("--" << flag << " '" << value << "'");
    const auto err = error({"--" + flag, value});
    CHECK_THAT(err, Contains("flag --" + flag));
    CHECK_THAT(err, Contains("bad value"));
  }
}

TEST_CASE_METHOD(loader, "bad environment values are errors naming the variable", "[config]") {
  env = {{"CHATD_LISTEN", "localhost"}};
  CHECK_THAT(error({}), Contains("environment CHATD_LISTEN"));
  env = {{"CHATD_MAX_STREAMS_PER_USER", "0"}};
  CHECK_THAT(error({}), Contains("environment CHATD_MAX_STREAMS_PER_USER"));
}

TEST_CASE_METHOD(loader, "limits of the accepted ranges are accepted", "[config]") {
  CHECK(values({"--max-body-bytes", "256"}).max_body_bytes == 256);
  CHECK(values({"--max-body-bytes", "67108864"}).max_body_bytes == 67108864);
  CHECK(values({"--keepalive-interval-ms", "15000"}).keepalive_interval.count() == 15000);
  CHECK(values({"--drain-timeout-ms", "0"}).drain_timeout.count() == 0);
  CHECK(values({"--provider-max-retries", "0"}).provider_max_retries == 0);
  CHECK(values({"--session-lifetime-s", "31536000"}).session_lifetime.count() == 365 * 24 * 3600);
  CHECK(values({"--listen", "[::1]:8080"}).listen == "[::1]:8080");
  CHECK(values({"--listen", "localhost:65535"}).listen == "localhost:65535");
  CHECK(values({"--database", "sqlite:///var/lib/chatd/chatd.db"}).database ==
        "sqlite:///var/lib/chatd/chatd.db");
  CHECK(values({"--admin-listen", ""}).admin_listen.empty());
  CHECK(values({"--admin-listen", "127.0.0.1:9090"}).admin_listen == "127.0.0.1:9090");
}

TEST_CASE_METHOD(loader, "an IPv6 address without a port is refused", "[config]") {
  for (const char* address : {"::1", "fe80::1"}) {
    const auto r = load_settings({"--listen", address}, lookup());
    INFO(address << " gave listen = "
                 << (std::holds_alternative<load_outcome>(r)
                         ? std::get<load_outcome>(r).values.listen
                         : std::get<std::string>(r)));
    CHECK(std::holds_alternative<std::string>(r));
  }
}

TEST_CASE_METHOD(loader, "booleans take true/false, 1/0, yes/no, on/off", "[config]") {
  for (const char* yes : {"true", "1", "yes", "on"})
    CHECK(values({"--cookie-secure", yes}).cookie_secure);
  for (const char* no : {"false", "0", "no", "off"})
    CHECK_FALSE(values({"--cookie-secure", no}).cookie_secure);
}

TEST_CASE_METHOD(loader, "a true/false flag alone means true, and leaves the next flag alone",
                 "[config]") {
  CHECK(values({"--cookie-secure"}).cookie_secure);
  // Before, it took "--log-level" as its value, and "debug" was a stray word.
  auto both = values({"--cookie-secure", "--log-level", "debug"});
  CHECK(both.cookie_secure);
  CHECK(both.log_level == "debug");
  auto listed = values({"--trust-proxy", "--listen", "127.0.0.1:9000"});
  CHECK(listed.trust_proxy);
  CHECK(listed.listen == "127.0.0.1:9000");
}

TEST_CASE_METHOD(loader, "trailing slashes of URLs are dropped", "[config]") {
  const auto s = values({"--openai-base-url", "http://127.0.0.1:9000/v1//", "--public-origin",
                         "https://chat.example.com/"});
  CHECK(s.openai_base_url == "http://127.0.0.1:9000/v1");
  CHECK(s.public_origin == "https://chat.example.com");
}

TEST_CASE_METHOD(loader, "the help flags ask for help before anything is checked", "[config]") {
  CHECK(load({"--help"}).help);
  CHECK(load({"-h"}).help);
  CHECK(load({"--listen", "nonsense", "--help"}).help);
  env = {{"CHATD_LISTEN", "nonsense"}};
  CHECK(load({"--help"}).help);
}

TEST_CASE_METHOD(loader, "demo_provider only with neither OPENAI_API_KEY nor OPENAI_BASE_URL",
                 "[config]") {
  CHECK(values().demo_provider());
  env = {{"OPENAI_API_KEY", "sk-test"}};
  CHECK_FALSE(values().demo_provider());
  env = {{"OPENAI_BASE_URL", "http://127.0.0.1:9000/v1"}};
  CHECK_FALSE(values().demo_provider());
  env = {{"OPENAI_API_KEY", "sk-test"}, {"OPENAI_BASE_URL", "http://127.0.0.1:9000/v1"}};
  CHECK_FALSE(values().demo_provider());
  env = {};
  CHECK_FALSE(values({"--openai-base-url", "https://api.openai.com/v1"}).demo_provider());
  const auto path = write("key.conf", "openai_api_key = sk-from-file\n");
  CHECK_FALSE(values({"--config", path}).demo_provider());
  env = {{"OPENAI_MODEL", "x"}, {"CHATD_LISTEN", "127.0.0.1:1"}};
  CHECK(values().demo_provider());
}

TEST_CASE_METHOD(loader, "CHATD_CONFIG names the file and --config overrides it", "[config]") {
  const auto from_env = write("env.conf", "model = from-env-file\n");
  const auto from_flag = write("flag.conf", "model = from-flag-file\n");
  env = {{"CHATD_CONFIG", from_env}};
  CHECK(values().model == "from-env-file");
  CHECK(values({"--config", from_flag}).model == "from-flag-file");
  CHECK(values({"--config=" + from_flag}).model == "from-flag-file");
}

TEST_CASE_METHOD(loader, "a named config file that cannot be read is an error", "[config]") {
  CHECK_THAT(error({"--config", dir.file("missing.conf")}), Contains("missing.conf"));
  env = {{"CHATD_CONFIG", dir.file("gone.conf")}};
  CHECK_THAT(error({}), Contains("gone.conf"));
}

TEST_CASE_METHOD(loader, "config/chatd.conf is read when present and nothing else is named",
                 "[config]") {
  write("config/chatd.conf", "model = from-default-file\n");
  CHECK(values().model == "from-default-file");
  const auto other = write("other.conf", "log_level = warn\n");
  env = {{"CHATD_CONFIG", other}};
  const auto s = values();
  CHECK(s.model != "from-default-file");
  CHECK(s.log_level == "warn");
}

TEST_CASE("settings_help lists every setting with its names", "[config]") {
  const auto help = settings_help();
  for (auto& spec : settings_schema()) {
    INFO(spec.key);
    CHECK_THAT(help, Contains(std::string(spec.key)));
    CHECK_THAT(help, Contains(std::string(spec.env)));
    if (!spec.flag.empty())
      CHECK_THAT(help, Contains("--" + std::string(spec.flag)));
  }
}

TEST_CASE("settings_help never shows the API key", "[config]") {
  CHECK_THAT(settings_help(), !Contains("sk-"));
}

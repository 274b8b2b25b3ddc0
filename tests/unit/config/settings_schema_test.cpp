#include "config/settings_schema.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

using namespace chatd::config;

TEST_CASE("keys, environment variables and flags are unique", "[config][schema]") {
  std::set<std::string_view> keys, envs, flags;
  for (auto& spec : settings_schema()) {
    INFO(spec.key);
    CHECK(keys.insert(spec.key).second);
    CHECK(envs.insert(spec.env).second);
    if (!spec.flag.empty())
      CHECK(flags.insert(spec.flag).second);
  }
}

TEST_CASE("flags are the keys in kebab-case and only the API key has none", "[config][schema]") {
  for (auto& spec : settings_schema()) {
    INFO(spec.key);
    if (spec.key == "openai_api_key") {
      CHECK(spec.flag.empty());
      continue;
    }
    std::string kebab(spec.key);
    for (auto& c : kebab)
      if (c == '_')
        c = '-';
    CHECK(spec.flag == kebab);
  }
}

TEST_CASE("the contract's names are in the schema", "[config][schema]") {
  const std::pair<std::string_view, std::string_view> contract[] = {
      {"CHATD_LISTEN", "listen"}, {"CHATD_DATABASE", "database"},
      {"OPENAI_API_KEY", ""},     {"OPENAI_BASE_URL", "openai-base-url"},
      {"OPENAI_MODEL", "model"},
  };
  for (auto& [env, flag] : contract) {
    INFO(env);
    bool found = false;
    for (auto& spec : settings_schema())
      if (spec.env == env) {
        found = true;
        CHECK(spec.flag == flag);
      }
    CHECK(found);
  }
}

TEST_CASE("every default is a value its own setting accepts", "[config][schema]") {
  const settings defaults;
  for (auto& spec : settings_schema()) {
    INFO(spec.key << " = '" << spec.show(defaults) << "'");
    if (spec.key == "openai_api_key")
      continue; // shown as "" or "(set)", never the secret itself
    settings s;
    CHECK_FALSE(spec.apply(s, spec.show(defaults)));
    CHECK(spec.show(s) == spec.show(defaults));
  }
}

TEST_CASE("the API key is never shown", "[config][schema]") {
  for (auto& spec : settings_schema())
    if (spec.key == "openai_api_key") {
      settings s;
      CHECK(spec.show(s).empty());
      REQUIRE_FALSE(spec.apply(s, "sk-secret"));
      CHECK(s.openai_api_key == "sk-secret");
      CHECK(spec.show(s) == "(set)");
    }
}

TEST_CASE("the example config file documents every setting with its default", "[config][schema]") {
  std::ifstream file(CHATD_EXAMPLE_CONFIG);
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  const settings defaults;
  for (auto& spec : settings_schema()) {
    if (spec.key == "openai_api_key")
      continue; // no default to show
    auto line = "# " + std::string(spec.key) + " = " + spec.show(defaults) + "\n";
    INFO(line);
    CHECK(text.str().find(line) != std::string::npos);
  }
}

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/settings.hpp"

namespace chatd::config {

/// Looks an environment variable up (`std::getenv` in main, a map in tests).
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

/// What the command line asked for.
struct load_outcome {
  settings values;
  bool help = false; ///< `--help`: print settings_help() and exit
};

/// Settings from the config file, then the environment, then the flags, each overriding the
/// one before (API.md → Running). The file is `--config`, else `CHATD_CONFIG`, else
/// `config/chatd.conf` when it exists. Unknown keys or flags and bad values are errors: the
/// returned string says which and why.
std::variant<load_outcome, std::string> load_settings(const std::vector<std::string>& args,
                                                      const env_lookup& env);

/// One line per setting: config key, environment variable, flag, default and meaning.
std::string settings_help();

} // namespace chatd::config

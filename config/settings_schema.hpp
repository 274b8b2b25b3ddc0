#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace chatd::config {

/// One setting: its names in each source, its meaning, and how to read a value.
struct setting_spec {
  std::string_view key;  ///< in the config file
  std::string_view env;  ///< environment variable
  std::string_view flag; ///< command-line flag, without the leading `--`
  std::string_view help;
  /// Stores `value` into `s`; returns an explanation when the value is not acceptable.
  std::optional<std::string> (*apply)(settings& s, const std::string& value);
  /// The default as text, for help output.
  std::string (*show)(const settings& s);
};

const std::vector<setting_spec>& settings_schema();

} // namespace chatd::config

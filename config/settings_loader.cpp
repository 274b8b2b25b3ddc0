#include "config/settings_loader.hpp"

#include <fstream>
#include <sstream>

#include "config/settings_schema.hpp"

namespace chatd::config {

namespace {

const setting_spec* find_by(std::string_view setting_spec::*field, std::string_view name) {
  for (auto& spec : settings_schema())
    if (!(spec.*field).empty() && spec.*field == name)
      return &spec;
  return nullptr;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::optional<std::string> apply(settings& s, const setting_spec& spec, const std::string& value,
                                 const std::string& where) {
  if (auto err = spec.apply(s, value))
    return where + ": bad value for " + std::string(spec.key) + ": " + *err;
  return std::nullopt;
}

/// `key = value` lines; `#` starts a comment line; values may be double-quoted.
std::optional<std::string> apply_file(settings& s, const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return "cannot read config file " + path;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto text = trim(line);
    if (text.empty() || text.front() == '#')
      continue;
    auto where = path + ":" + std::to_string(number);
    auto eq = text.find('=');
    if (eq == std::string::npos)
      return where + ": expected key = value";
    auto key = trim(text.substr(0, eq));
    auto value = trim(text.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    auto* spec = find_by(&setting_spec::key, key);
    if (!spec)
      return where + ": unknown setting '" + key + "'";
    if (auto err = apply(s, *spec, value, where))
      return err;
  }
  return std::nullopt;
}

struct flag_value {
  std::string name;
  std::string value;
};

/// Whether `flag` names a true/false setting, which may be given without a value.
bool is_switch(const std::string& flag) {
  static const settings defaults;
  for (auto& spec : settings_schema())
    if (spec.flag == flag) {
      auto shown = spec.show(defaults);
      return shown == "true" || shown == "false";
    }
  return false;
}

} // namespace

std::variant<load_outcome, std::string> load_settings(const std::vector<std::string>& args,
                                                      const env_lookup& env) {
  load_outcome out;
  // Read the flags first, to learn --config; apply them last.
  std::vector<flag_value> flags;
  std::optional<std::string> config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return out;
    }
    if (arg.rfind("--", 0) != 0)
      return "unexpected argument '" + arg + "' (see --help)";
    auto eq = arg.find('=');
    flag_value f{arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2), ""};
    if (eq != std::string::npos) {
      f.value = arg.substr(eq + 1);
    } else if (is_switch(f.name) && (i + 1 == args.size() || args[i + 1].rfind("--", 0) == 0)) {
      f.value = "true"; // `--cookie-secure` alone turns it on
    } else if (i + 1 < args.size()) {
      f.value = args[++i];
    } else {
      return "flag --" + f.name + " needs a value";
    }
    if (f.name == "config")
      config_path = f.value;
    else
      flags.push_back(std::move(f));
  }
  if (!config_path)
    config_path = env("CHATD_CONFIG");
  if (config_path) {
    if (auto err = apply_file(out.values, *config_path))
      return *err;
  } else if (std::ifstream("config/chatd.conf").good()) {
    if (auto err = apply_file(out.values, "config/chatd.conf"))
      return *err;
  }
  for (auto& spec : settings_schema()) {
    auto value = env(std::string(spec.env));
    if (!value)
      continue;
    if (auto err = apply(out.values, spec, *value, "environment " + std::string(spec.env)))
      return *err;
  }
  for (auto& f : flags) {
    auto* spec = find_by(&setting_spec::flag, f.name);
    if (!spec)
      return "unknown flag --" + f.name + " (see --help)";
    if (auto err = apply(out.values, *spec, f.value, "flag --" + f.name))
      return *err;
  }
  return out;
}

std::string settings_help() {
  std::ostringstream os;
  settings defaults;
  os << "usage: chatd [--config FILE] [--FLAG VALUE]...\n\n"
     << "Settings come from the config file, then the environment, then flags.\n\n";
  for (auto& spec : settings_schema()) {
    os << "  " << spec.key << "\n      env " << spec.env;
    if (!spec.flag.empty())
      os << ", flag --" << spec.flag;
    os << ", default '" << spec.show(defaults) << "'\n      " << spec.help << "\n";
  }
  return os.str();
}

} // namespace chatd::config

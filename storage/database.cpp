#include "storage/database.hpp"

#include <filesystem>
#include <stdexcept>

#include <sys/stat.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace chatd::storage {

std::string sqlite_path_from_url(std::string_view url) {
  constexpr std::string_view scheme = "sqlite://";
  if (url.substr(0, scheme.size()) != scheme || url.size() == scheme.size())
    throw std::invalid_argument("expected a sqlite:// database URL");
  return std::string(url.substr(scheme.size()));
}

std::optional<file_identity> identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::nullopt;
  return file_identity{static_cast<unsigned long long>(st.st_dev),
                       static_cast<unsigned long long>(st.st_ino)};
}

std::unique_ptr<soci::session> open_database(const database_options& opts) {
  if (opts.path.find('"') != std::string::npos)
    throw std::invalid_argument("a database path may not contain '\"'");
  if (opts.synchronous != "full" && opts.synchronous != "normal")
    throw std::invalid_argument("synchronous must be full or normal");
  auto parent = std::filesystem::path(opts.path).parent_path();
  if (!parent.empty())
    std::filesystem::create_directories(parent);
  auto sql = std::make_unique<soci::session>(soci::sqlite3, "db=\"" + opts.path + "\"");
  // SOCI's own `timeout=` takes whole seconds.
  *sql << "PRAGMA busy_timeout=" + std::to_string(opts.busy_timeout.count());
  std::string mode;
  *sql << "PRAGMA journal_mode=WAL", soci::into(mode);
  if (mode != "wal")
    throw std::runtime_error("the database refused WAL mode (journal_mode=" + mode + ")");
  *sql << "PRAGMA foreign_keys=ON";
  *sql << (opts.synchronous == "full" ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  return sql;
}

} // namespace chatd::storage

#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace chatd::storage {

/// The file named by a `sqlite://` URL: `sqlite://./data/x.db` is relative,
/// `sqlite:///abs/x.db` absolute. Throws std::invalid_argument on anything else.
std::string sqlite_path_from_url(std::string_view url);

struct database_options {
  std::string path;
  /// `full` (a commit survives power loss) or `normal`.
  std::string synchronous = "full";
  /// How long a statement waits for another connection's lock before it fails.
  std::chrono::milliseconds busy_timeout{10'000};
};

/// Which file a path names (device and inode); nothing when there is none.
struct file_identity {
  unsigned long long device = 0;
  unsigned long long inode = 0;
  bool operator==(const file_identity& o) const { return device == o.device && inode == o.inode; }
  bool operator!=(const file_identity& o) const { return !(*this == o); }
};
std::optional<file_identity> identity_of(const std::string& path);

/// Opens (creating the file and its folder when missing) a connection in WAL mode with foreign
/// keys on and a busy timeout, so several connections of this process can share the file.
std::unique_ptr<soci::session> open_database(const database_options& opts);

} // namespace chatd::storage

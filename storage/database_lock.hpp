#pragma once

#include <string>

namespace chatd::storage {

/// Keeps a second chatd off a database this one serves: an exclusive `flock` on `<db>.lock`,
/// held from start-up until release() or destruction. Two services on one file would each
/// take the other's live answers for crashed ones (the start-up recovery marks every answer
/// still `streaming` as interrupted) and race their checkpoints.
class database_lock {
public:
  /// Throws std::runtime_error naming the lock file when another process holds it.
  explicit database_lock(const std::string& database_path);
  ~database_lock();
  database_lock(const database_lock&) = delete;
  database_lock& operator=(const database_lock&) = delete;

  void release();

private:
  int fd_ = -1;
};

} // namespace chatd::storage

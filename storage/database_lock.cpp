#include "storage/database_lock.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace chatd::storage {

database_lock::database_lock(const std::string& database_path) {
  auto path = database_path + ".lock";
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty())
    std::filesystem::create_directories(parent); // as opening the database would
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    auto busy = errno == EWOULDBLOCK;
    auto reason = std::string(std::strerror(errno));
    release();
    throw std::runtime_error(busy ? "it is in use by another chatd (" + path + " is locked)"
                                  : "cannot lock " + path + ": " + reason);
  }
}

database_lock::~database_lock() {
  release();
}

void database_lock::release() {
  if (fd_ >= 0)
    ::close(fd_); // closing drops the lock
  fd_ = -1;
}

} // namespace chatd::storage

#pragma once

#include <memory>
#include <string>

#include <soci/soci.h>

#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "tests/unit/support/temp_dir.hpp"

namespace chatd::unit_test {

/// A migrated SQLite database in a fresh temp directory, removed afterwards.
struct test_database {
  temp_dir dir;
  std::string path = dir.file("chatd.db");
  std::unique_ptr<soci::session> sql = open();

  std::unique_ptr<soci::session> open() {
    auto s = storage::open_database({path, "normal"});
    storage::migrate(*s);
    return s;
  }

  /// A single number from a query such as `SELECT COUNT(*) ...`.
  long long number(const std::string& query) {
    long long n = 0;
    *sql << query, soci::into(n);
    return n;
  }
};

} // namespace chatd::unit_test

#include "storage/database.hpp"

#include <filesystem>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <soci/soci.h>

#include "tests/unit/support/temp_dir.hpp"

using namespace chatd::storage;
using chatd::unit_test::temp_dir;

namespace {

std::string pragma_text(soci::session& sql, const char* pragma) {
  std::string v;
  sql << std::string("PRAGMA ") + pragma, soci::into(v);
  return v;
}

int pragma_number(soci::session& sql, const char* pragma) {
  int v = -1;
  sql << std::string("PRAGMA ") + pragma, soci::into(v);
  return v;
}

} // namespace

TEST_CASE("sqlite_path_from_url: relative and absolute paths", "[storage][database]") {
  CHECK(sqlite_path_from_url("sqlite://./data/chatd.db") == "./data/chatd.db");
  CHECK(sqlite_path_from_url("sqlite://chatd.db") == "chatd.db");
  CHECK(sqlite_path_from_url("sqlite:///var/lib/chatd/chatd.db") == "/var/lib/chatd/chatd.db");
}

TEST_CASE("sqlite_path_from_url refuses other URLs", "[storage][database]") {
  for (const char* url : {"", "sqlite://", "sqlite:/x.db", "postgresql://u@h/db", "./chatd.db",
                          "SQLITE://x.db", "file:///x.db"}) {
    INFO(url);
    CHECK_THROWS_AS(sqlite_path_from_url(url), std::invalid_argument);
  }
}

TEST_CASE("open_database creates the file and its folders", "[storage][database]") {
  temp_dir dir;
  const auto path = dir.file("a/b/c/chatd.db");
  auto sql = open_database({path, "full"});
  REQUIRE(sql);
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("open_database accepts paths with spaces and non-ASCII names", "[storage][database]") {
  temp_dir dir;
  const auto path = dir.file("my data/\xC3\xA9t\xC3\xA9 chat.db");
  auto sql = open_database({path, "normal"});
  *sql << "CREATE TABLE t(x INTEGER)";
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("open_database turns WAL and foreign keys on", "[storage][database]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "full"});
  CHECK(pragma_text(*sql, "journal_mode") == "wal");
  CHECK(pragma_number(*sql, "foreign_keys") == 1);
  CHECK(pragma_number(*sql, "synchronous") == 2); // FULL
  CHECK(pragma_number(*sql, "busy_timeout") > 0);
}

TEST_CASE("open_database sets synchronous NORMAL when asked", "[storage][database]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  CHECK(pragma_number(*sql, "synchronous") == 1);
}

TEST_CASE("open_database enforces foreign keys", "[storage][database]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  *sql << "CREATE TABLE parent(id INTEGER PRIMARY KEY)";
  *sql << "CREATE TABLE child(parent_id INTEGER NOT NULL REFERENCES parent(id))";
  CHECK_THROWS(*sql << "INSERT INTO child(parent_id) VALUES(42)");
}

TEST_CASE("two connections share one file", "[storage][database]") {
  temp_dir dir;
  auto first = open_database({dir.file("chatd.db"), "normal"});
  auto second = open_database({dir.file("chatd.db"), "normal"});
  *first << "CREATE TABLE t(x INTEGER)";
  *first << "INSERT INTO t(x) VALUES(7)";
  int x = 0;
  *second << "SELECT x FROM t", soci::into(x);
  CHECK(x == 7);
}

TEST_CASE("open_database refuses bad options", "[storage][database]") {
  temp_dir dir;
  CHECK_THROWS_AS(open_database({dir.file("a\"b.db"), "full"}), std::invalid_argument);
  CHECK_THROWS_AS(open_database({dir.file("chatd.db"), "off"}), std::invalid_argument);
  CHECK_FALSE(std::filesystem::exists(dir.file("chatd.db")));
}

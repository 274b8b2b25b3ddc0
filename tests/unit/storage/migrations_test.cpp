#include "storage/migrations.hpp"

#include <catch2/catch.hpp>
#include <soci/soci.h>

#include "storage/database.hpp"
#include "tests/unit/support/temp_dir.hpp"

using namespace chatd::storage;
using chatd::unit_test::temp_dir;

namespace {

long long number(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

long long tables(soci::session& sql) {
  return number(sql, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
}

} // namespace

TEST_CASE("migrate creates every table and records the version", "[storage][migrations]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  migrate(*sql);
  for (const char* table : {"schema_migrations", "users", "sessions", "conversations", "messages",
                            "idempotency_keys"}) {
    INFO(table);
    CHECK(number(*sql, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                                   "name = '") +
                           table + "'") == 1);
  }
  CHECK(latest_schema_version() >= 1);
  CHECK(number(*sql, "SELECT MAX(version) FROM schema_migrations") == latest_schema_version());
}

TEST_CASE("migrating twice changes nothing", "[storage][migrations]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  migrate(*sql);
  *sql << "INSERT INTO users(id, username, password_hash, created_at) VALUES('u_1', 'a', 'h', 1)";
  const auto before_tables = tables(*sql);
  const auto applied_at = number(*sql, "SELECT MAX(applied_at) FROM schema_migrations");
  REQUIRE_NOTHROW(migrate(*sql));
  CHECK(tables(*sql) == before_tables);
  CHECK(number(*sql, "SELECT COUNT(*) FROM schema_migrations") == latest_schema_version());
  CHECK(number(*sql, "SELECT MAX(applied_at) FROM schema_migrations") == applied_at);
  CHECK(number(*sql, "SELECT COUNT(*) FROM users") == 1);
}

TEST_CASE("a reopened database is migrated once", "[storage][migrations]") {
  temp_dir dir;
  {
    auto sql = open_database({dir.file("chatd.db"), "normal"});
    migrate(*sql);
  }
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  REQUIRE_NOTHROW(migrate(*sql));
  CHECK(number(*sql, "SELECT COUNT(*) FROM schema_migrations") == latest_schema_version());
}

TEST_CASE("a database with a newer schema is refused", "[storage][migrations]") {
  temp_dir dir;
  auto sql = open_database({dir.file("chatd.db"), "normal"});
  migrate(*sql);
  const int newer = latest_schema_version() + 1;
  *sql << "INSERT INTO schema_migrations(version, applied_at) VALUES(:v, 0)", soci::use(newer);
  CHECK_THROWS_WITH(migrate(*sql), Catch::Matchers::Contains(std::to_string(newer)));
  CHECK(number(*sql, "SELECT COUNT(*) FROM schema_migrations") == latest_schema_version() + 1);
}

#pragma once

namespace soci {
class session;
}

namespace chatd::storage {

/// Brings the schema up to the newest version, one transaction per migration, recording each
/// in `schema_migrations`. Safe to run at every start; fails (throws) on a database newer
/// than this program.
void migrate(soci::session& sql);

/// The schema version this program writes.
int latest_schema_version();

} // namespace chatd::storage

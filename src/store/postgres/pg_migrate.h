#pragma once

#include <vector>

#include "core/error.h"
#include "store/migrations.h"
#include "store/postgres/pg_connection.h"

namespace hookline::store::postgres {

// Every PostgreSQL migration (postgres/migrations/NNNN_name.sql, embedded at build time), in
// version order. SQLite's are store::migrations(): the two histories are numbered apart.
const std::vector<Migration>& migrations();

// Applies the migrations the connection's database lacks, in version order, each recorded in
// schema_migrations (version, name, applied_at). Returns the versions applied now: none when the
// schema is current.
// Several nodes may start at once on one database: they take turns under an advisory lock, so
// each migration runs once, and the ones that waited find it applied. All that one call applies
// commits together, or none of it (PostgreSQL's DDL is transactional). A wait for the lock longer
// than a minute (another node stuck mid-migration) is kUnavailable.
Result<std::vector<int>> migrate(PgConnection& connection);

}  // namespace hookline::store::postgres

#include "store/postgres/pg_migrate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/pg_test_database.h"
#include "store/sqlite/sqlite_db.h"

namespace hookline::store::postgres {
namespace {

using PgMigrateTest = PgTest;

// What a schema says about one column, in terms both databases share.
struct Column {
  std::string type;  // as declared
  bool not_null = false;
  int primary_key = 0;  // position in the primary key; 0: not part of it

  bool operator==(const Column&) const = default;
};
using Columns = std::map<std::string, Column>;  // "table.column"
// "name": "UNIQUE? (columns) WHERE?" for the indexes a migration names (not those of keys).
using Indexes = std::map<std::string, std::string>;

std::string index_shape(bool unique, const std::string& columns, bool partial) {
  return std::string(unique ? "UNIQUE " : "") + "(" + columns + ")" + (partial ? " WHERE" : "");
}

// The SQLite schema after all of its migrations, in an in-memory database.
void sqlite_schema(Columns& columns, Indexes& indexes) {
  sqlite::Connection db(":memory:");
  for (const Migration& m : store::migrations()) ASSERT_TRUE(db.exec(m.sql)) << m.name;
  sqlite::Statement column_query(
      db.handle(),
      "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m, "
      "pragma_table_info(m.name) p WHERE m.type = 'table'");
  while (column_query.step().value()) {
    columns[column_query.text(0) + "." + column_query.text(1)] = {
        column_query.text(2), column_query.integer(3) != 0,
        static_cast<int>(column_query.integer(4))};
  }
  sqlite::Statement index_query(
      db.handle(),
      "SELECT m.name, m.sql LIKE 'CREATE UNIQUE%', m.sql LIKE '% WHERE %', (SELECT "
      "group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(m.name) ORDER BY seqno)) "
      "FROM sqlite_master m WHERE m.type = 'index' AND m.sql IS NOT NULL");
  while (index_query.step().value()) {
    indexes[index_query.text(0)] =
        index_shape(index_query.integer(1) != 0, index_query.text(3), index_query.integer(2) != 0);
  }
}

void postgres_schema(PgConnection& db, Columns& columns, Indexes& indexes) {
  auto column_rows = db.query(
      "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', "
      "COALESCE(array_position(k.conkey, a.attnum), 0) FROM information_schema.columns c "
      "JOIN pg_attribute a ON a.attrelid = format('%I', c.table_name)::regclass "
      "AND a.attname = c.column_name "
      "LEFT JOIN pg_constraint k ON k.conrelid = a.attrelid AND k.contype = 'p' "
      "WHERE c.table_schema = 'public' AND c.table_name <> 'schema_migrations'");
  ASSERT_TRUE(column_rows) << column_rows.error().message;
  for (int row = 0; row < column_rows->rows(); ++row) {
    columns[column_rows->text(row, 0) + "." + column_rows->text(row, 1)] = {
        column_rows->text(row, 2), column_rows->boolean(row, 3),
        static_cast<int>(column_rows->integer(row, 4))};
  }
  auto index_rows = db.query(
      "SELECT i.relname, x.indisunique, x.indpred IS NOT NULL, (SELECT string_agg(a.attname, "
      "',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
      "ON a.attrelid = x.indrelid AND a.attnum = k.attnum) FROM pg_index x "
      "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace s ON s.oid = i.relnamespace "
      "WHERE s.nspname = 'public' AND x.indrelid <> 'schema_migrations'::regclass "
      "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)");
  ASSERT_TRUE(index_rows) << index_rows.error().message;
  for (int row = 0; row < index_rows->rows(); ++row) {
    indexes[index_rows->text(row, 0)] = index_shape(
        index_rows->boolean(row, 1), index_rows->text(row, 3), index_rows->boolean(row, 2));
  }
}

std::vector<std::string> tables(PgConnection& db) {
  auto rows =
      db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  std::vector<std::string> names;
  for (int row = 0; rows && row < rows->rows(); ++row) names.push_back(rows->text(row, 0));
  return names;
}

// Every embedded migration's version, in order.
std::vector<int> every_version() {
  std::vector<int> versions;
  for (const Migration& migration : migrations()) versions.push_back(migration.version);
  return versions;
}

// Tables only PostgreSQL has: what several nodes need to share (0002_config_version.sql,
// 0003_nodes.sql).
const std::set<std::string> kPostgresOnly = {"config_version", "nodes"};

TEST_F(PgMigrateTest, AnEmptyDatabaseGetsEveryTable) {
  auto db = connect();
  auto applied = migrate(*db);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied,
            (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}));
  EXPECT_EQ(tables(*db), (std::vector<std::string>{"api_keys",
                                                   "attempts",
                                                   "audit_log",
                                                   "catalog_keys",
                                                   "config_version",
                                                   "contacts",
                                                   "deliveries",
                                                   "delivery_bodies",
                                                   "delivery_stats",
                                                   "enrolments",
                                                   "event_types",
                                                   "events",
                                                   "forget_requests",
                                                   "journey_path_counts",
                                                   "journey_versions",
                                                   "journeys",
                                                   "list_members",
                                                   "lists",
                                                   "nodes",
                                                   "schema_migrations",
                                                   "webhook_events",
                                                   "webhook_health",
                                                   "webhooks",
                                                   "workspaces"}));
  auto recorded = db->query("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->rows(), 18);
  EXPECT_EQ(recorded->integer(0, 0), 1);
  EXPECT_EQ(recorded->text(0, 1), "0001_schema");
  EXPECT_EQ(recorded->text(1, 1), "0002_config_version");
  EXPECT_EQ(recorded->text(2, 1), "0003_nodes");
  EXPECT_EQ(recorded->text(3, 1), "0004_bodies_by_event");
  EXPECT_EQ(recorded->text(4, 1), "0005_key_scopes_audit");
  EXPECT_EQ(recorded->text(5, 1), "0006_delivery_stats");
  EXPECT_EQ(recorded->text(6, 1), "0007_event_catalog");
  EXPECT_EQ(recorded->text(7, 1), "0008_forget_requests");
  EXPECT_EQ(recorded->text(8, 1), "0009_webhook_filters");
  EXPECT_EQ(recorded->text(9, 1), "0010_webhook_disabled_reason");
  EXPECT_EQ(recorded->text(10, 1), "0011_webhook_health");
  EXPECT_EQ(recorded->text(11, 1), "0012_self_healing");
  EXPECT_EQ(recorded->text(12, 1), "0013_journey_goals");
  EXPECT_EQ(recorded->text(13, 1), "0014_journey_waits");
  EXPECT_EQ(recorded->text(14, 1), "0015_webhook_answers");
  EXPECT_EQ(recorded->text(15, 1), "0016_ordered_delivery");
  EXPECT_EQ(recorded->text(16, 1), "0017_journey_versions");
  EXPECT_EQ(recorded->text(17, 1), "0018_journey_counts_per_version");
}

// Version 17 counted a journey's runs over all its versions; 18 counts them per version. A journey
// that never had a second version has its runs on version 1; the runs of one that had can no
// longer be told apart, and go to version 0 (in the journey's totals, in no version's).
TEST_F(PgMigrateTest, JourneyCountsOfVersion17GoToVersion1WhereThereWasNoOther) {
  auto db = connect();
  ASSERT_TRUE(
      db->exec("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
               "applied_at timestamptz NOT NULL DEFAULT now())"));
  for (const Migration& migration : migrations()) {
    if (migration.version > 17) break;
    ASSERT_TRUE(db->exec(migration.sql)) << migration.name;
    ASSERT_TRUE(db->query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                          {migration.version, migration.name}));
  }
  ASSERT_TRUE(db->exec(
      "INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Default', 1);"
      "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, trigger_event, "
      "  created_at, updated_at, goal_event, wait_events, version) VALUES "
      "  ('one', 'w', 'One', 'active', 'every_time', '{}', 'e', 1, 1, '', '', 1), "
      "  ('two', 'w', 'Two', 'active', 'every_time', '{}', 'e', 1, 1, '', '', 2);"
      "INSERT INTO journey_path_counts (journey_id, path, runs) VALUES "
      "  ('one', '=1:t', 5), ('two', '=1:t', 7), ('two', '-1:d', 2);"));
  auto applied = migrate(*db);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, (std::vector<int>{18}));
  auto counts = db->query(
      "SELECT journey_id, version, path, runs FROM journey_path_counts ORDER BY journey_id, path");
  ASSERT_TRUE(counts) << counts.error().message;
  ASSERT_EQ(counts->rows(), 3);
  EXPECT_EQ(counts->text(0, 0) + " " + std::to_string(counts->integer(0, 1)) + " " +
                counts->text(0, 2) + " " + std::to_string(counts->integer(0, 3)),
            "one 1 =1:t 5");
  EXPECT_EQ(counts->integer(1, 1), 0);
  EXPECT_EQ(counts->integer(2, 1), 0);
  EXPECT_EQ(counts->integer(2, 3), 7);
  // A path has a row per version: one of version 2 beside the old one, and only one.
  const char* insert =
      "INSERT INTO journey_path_counts (journey_id, version, path, runs) VALUES "
      "('two', 2, '=1:t', 1)";
  EXPECT_TRUE(db->exec(insert));
  EXPECT_FALSE(db->exec(insert));
}

// Both stores must answer alike: the same tables and columns, each as nullable, the same primary
// keys, the same named indexes over the same columns (partial where SQLite's are). Types match
// by kind: SQLite's INTEGER is PostgreSQL's integer, bigint or boolean, TEXT its text or bytea.
TEST_F(PgMigrateTest, TheSchemaIsSqlitesAtItsLatestVersion) {
  auto db = connect();
  ASSERT_TRUE(migrate(*db));
  Columns sqlite_columns, pg_columns;
  Indexes sqlite_indexes, pg_indexes;
  sqlite_schema(sqlite_columns, sqlite_indexes);
  postgres_schema(*db, pg_columns, pg_indexes);

  std::set<std::string> sqlite_names, pg_names;
  for (const auto& [name, column] : sqlite_columns) sqlite_names.insert(name);
  for (const auto& [name, column] : pg_columns) {
    if (!kPostgresOnly.contains(name.substr(0, name.find('.')))) pg_names.insert(name);
  }
  ASSERT_EQ(pg_names, sqlite_names);
  for (const std::string& table : kPostgresOnly)
    std::erase_if(pg_indexes, [&](const auto& index) { return index.first.starts_with(table); });
  pg_indexes.erase("delivery_bodies_by_event");  // only several writers need it (0004)
  const std::map<std::string, std::set<std::string>> kinds = {
      {"INTEGER", {"integer", "bigint", "boolean"}}, {"TEXT", {"text", "bytea"}}};
  for (const auto& [name, sqlite] : sqlite_columns) {
    const Column& pg = pg_columns.at(name);
    ASSERT_TRUE(kinds.contains(sqlite.type)) << name << " " << sqlite.type;
    EXPECT_TRUE(kinds.at(sqlite.type).contains(pg.type)) << name << " " << pg.type;
    EXPECT_EQ(pg.primary_key, sqlite.primary_key) << name;
    // SQLite lets a primary key column hold NULL (for old times' sake) unless told not to.
    if (sqlite.primary_key == 0) {
      EXPECT_EQ(pg.not_null, sqlite.not_null) << name;
    } else {
      EXPECT_TRUE(pg.not_null) << name;
    }
  }
  EXPECT_EQ(pg_indexes, sqlite_indexes);
}

TEST_F(PgMigrateTest, MigratingAgainAppliesNothing) {
  auto db = connect();
  ASSERT_TRUE(migrate(*db));
  auto again = migrate(*db);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty());
  auto other = connect();
  auto from_another_connection = migrate(*other);
  ASSERT_TRUE(from_another_connection);
  EXPECT_TRUE(from_another_connection->empty());
  auto recorded = db->query("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->integer(0, 0), static_cast<int64_t>(migrations().size()));
}

// Nodes started together: each migration runs once, and every node starts.
TEST_F(PgMigrateTest, FourNodesMigratingAtOnceApplyEachMigrationOnce) {
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<PgConnection>> connections;
  for (int i = 0; i < kNodes; ++i) connections.push_back(connect());
  std::vector<std::optional<Result<std::vector<int>>>> results(kNodes);
  std::latch start(kNodes);
  {
    std::vector<std::jthread> nodes;
    for (int i = 0; i < kNodes; ++i) {
      nodes.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = migrate(*connections[i]);
      });
    }
  }
  std::vector<int> applied;
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value());
    ASSERT_TRUE(*result) << (*result).error().message;
    applied.insert(applied.end(), (*result)->begin(), (*result)->end());
  }
  std::sort(applied.begin(), applied.end());
  EXPECT_EQ(applied, every_version());
  auto recorded = connections[0]->query("SELECT version FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->rows(), static_cast<int>(migrations().size()));
  for (int row = 0; row < recorded->rows(); ++row) {
    EXPECT_EQ(recorded->integer(row, 0), every_version()[static_cast<size_t>(row)]);
  }
}

// A migration that fails leaves no part of itself, nor a record of having run.
TEST_F(PgMigrateTest, AFailedMigrationLeavesNothingBehind) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE deliveries (seq bigint)"));  // in the way of 0001
  auto applied = migrate(*db);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(applied.error().message.starts_with("migration 0001_schema failed: "))
      << applied.error().message;
  EXPECT_NE(applied.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(tables(*db), std::vector<std::string>{"deliveries"});
  // The failed transaction was rolled back: the connection goes on.
  ASSERT_TRUE(db->exec("DROP TABLE deliveries"));
  auto retried = migrate(*db);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(*retried, every_version());
}

// The rows of one event's delivery, as the store will write them: the seq comes from the
// identity, an answer's bytes need not be text, and an attempt is one per (seq, number).
TEST_F(PgMigrateTest, TheSchemaHoldsADeliveryItsBodyAndItsAttempts) {
  auto db = connect();
  ASSERT_TRUE(migrate(*db));
  auto delivery = db->query(
      "INSERT INTO deliveries (id, workspace_id, webhook_id, event_id, event_name, status, "
      "next_attempt_at, created_at, updated_at) VALUES ($1, 'w', 'h', 'e', 'email.click', "
      "'pending', $2, $2, $2) RETURNING seq",
      {"0190a000-0000-7000-8000-000000000001", int64_t{1'700'000'000'000}});
  ASSERT_TRUE(delivery) << delivery.error().message;
  const int64_t seq = delivery->integer(0, 0);
  EXPECT_GT(seq, 0);
  const std::string body = R"({"id":"e","data":{"name":"Ação ✓"},"details":})";
  ASSERT_TRUE(db->query(
      "INSERT INTO delivery_bodies (seq, body, event_seq, details_at) VALUES ($1, $2, 1, $3)",
      {seq, body, static_cast<int>(body.size()) - 1}));
  const std::string answer("\x00\x80\xff not UTF-8", 13);
  const char* attempt =
      "INSERT INTO attempts (delivery_seq, number, started_at, duration_ms, request_method, "
      "request_url, request_headers, response_status, response_body) VALUES ($1, 1, 0, 5, "
      "'POST', 'http://r/', '{}', 500, $2)";
  ASSERT_TRUE(db->query(attempt, {seq, Param::bytes(answer)}));
  auto twice = db->query(attempt, {seq, Param::bytes(answer)});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);

  auto read = db->query(
      "SELECT b.body, a.response_body, a.response_headers, d.lease_owner, d.lease_number "
      "FROM deliveries d JOIN delivery_bodies b USING (seq) "
      "JOIN attempts a ON a.delivery_seq = d.seq WHERE d.id = $1",
      {"0190a000-0000-7000-8000-000000000001"});
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->rows(), 1);
  EXPECT_EQ(read->text(0, 0), body);
  EXPECT_EQ(read->bytes(0, 1), answer);
  EXPECT_EQ(read->bytes(0, 2), "");
  EXPECT_EQ(read->text(0, 3), "");
  EXPECT_EQ(read->integer(0, 4), 0);
}

}  // namespace
}  // namespace hookline::store::postgres

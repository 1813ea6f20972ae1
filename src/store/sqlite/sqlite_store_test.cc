#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_store_fixture.h"

namespace hookline::store::sqlite {
namespace {

TEST_F(SqliteStoreTest, AWriteThatFindsTheDiskFullIsStorageFullNotAGenericFailure) {
  Connection raw((dir_ / "test.db").string());
  EXPECT_EQ(sqlite_error(raw.handle(), SQLITE_FULL).code, ErrorCode::kStorageFull);
  EXPECT_EQ(sqlite_error(raw.handle(), SQLITE_IOERR).code, ErrorCode::kUnavailable);
  EXPECT_FALSE(store_->storage_full());
}

TEST(SqliteMigrationTest, BlockCountsOfAnEarlierVersionSurviveTheMoveToPathCounts) {
  const auto dir = std::filesystem::temp_directory_path() / ("hookline-migrate-" + random_token(6));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "old.db").string();
  {
    Connection old(path);  // the schema as version 4 left it, with counts in it
    ASSERT_TRUE(
        old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at INTEGER NOT NULL DEFAULT (unixepoch()))"));
    for (const Migration& m : migrations()) {
      if (m.version > 4) break;
      ASSERT_TRUE(old.exec(m.sql)) << m.name;
      ASSERT_TRUE(old.exec("INSERT INTO schema_migrations (version, name) VALUES (" +
                           std::to_string(m.version) + ", 'old')"));
    }
    ASSERT_TRUE(old.exec(
        "INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'w', 0);"
        "INSERT INTO journeys VALUES ('j', 'w', 'n', 'active', 'every_time', '{}', 'e', 0, 0);"
        "INSERT INTO journey_block_stats VALUES ('j', 't', 5, 5), ('j', 'ação', 3, 1), "
        "('j', 'd', 2, 0);"));
  }
  {
    SqliteStore store(path, test_secret_box());
    auto applied = store.migrate();
    ASSERT_TRUE(applied);
    EXPECT_EQ(applied->front(), 5);
    auto stats = store.journey_stats("w", "j");
    ASSERT_TRUE(stats);
    ASSERT_EQ(stats->size(), 3u);
    EXPECT_EQ(stats->at("t").entered, 5);
    EXPECT_EQ(stats->at("t").left, 5);
    EXPECT_EQ(stats->at("ação").entered, 3);
    EXPECT_EQ(stats->at("ação").left, 1);
    EXPECT_EQ(stats->at("d").entered, 2);
    EXPECT_EQ(stats->at("d").left, 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hookline::store::sqlite

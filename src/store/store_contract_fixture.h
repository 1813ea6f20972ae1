#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/ids.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_base.h"

namespace hookline::store {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The Store contract, whichever backend keeps it: each test runs once on a fresh SQLite file and
// once on a fresh PostgreSQL database (HOOKLINE_TEST_PG names the server), migrated, with the
// default workspace. Instantiate a suite with INSTANTIATE_STORE_CONTRACT(Suite).
class StoreContractTest : public StoreTestBase, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("hookline-store-" + random_token(6));
      std::filesystem::create_directories(dir_);
      open(std::make_unique<sqlite::SqliteStore>((dir_ / "test.db").string()));
    } else {
      database_.SetUp();
      if (::testing::Test::HasFatalFailure()) return;
      open(std::make_unique<postgres::PgStore>(database_.uri(), database_.name()));
    }
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == Backend::kSqlite) {
      std::filesystem::remove_all(dir_);
    } else {
      database_.TearDown();
    }
  }

  std::filesystem::path dir_;
  postgres::TestDatabase database_;
};

#define INSTANTIATE_STORE_CONTRACT(Suite)                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                          \
                           ::testing::Values(::hookline::store::Backend::kSqlite,    \
                                             ::hookline::store::Backend::kPostgres), \
                           ::hookline::store::backend_name)

}  // namespace hookline::store

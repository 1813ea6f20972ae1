#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_base.h"
#include "store/test_secrets.h"

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
      open(std::make_unique<sqlite::SqliteStore>((dir_ / "test.db").string(), test_secret_box()));
    } else {
      database_.SetUp();
      if (::testing::Test::HasFatalFailure()) return;
      open(std::make_unique<postgres::PgStore>(database_.uri(), test_secret_box(),
                                               database_.name()));
    }
  }
  // Another store on the same database, sealing and opening secrets with `secrets`.
  std::unique_ptr<Store> open_again(std::shared_ptr<const SecretBox> secrets) {
    if (GetParam() == Backend::kSqlite) {
      return std::make_unique<sqlite::SqliteStore>((dir_ / "test.db").string(), std::move(secrets));
    }
    return std::make_unique<postgres::PgStore>(database_.uri(), std::move(secrets),
                                               database_.name());
  }

  // Runs SQL on the database beside the store: the text of each row's first column (none for a
  // statement that returns no rows).
  std::vector<std::string> raw(const std::string& sql) {
    std::vector<std::string> out;
    if (GetParam() == Backend::kSqlite) {
      sqlite::Connection connection((dir_ / "test.db").string());
      sqlite::Statement statement(connection.handle(), sql);
      while (true) {
        auto row = statement.step();
        EXPECT_TRUE(row) << row.error().message;
        if (!row || !*row) return out;
        out.push_back(statement.text(0));
      }
    }
    auto result = database_.connect()->query(sql);
    EXPECT_TRUE(result) << result.error().message;
    if (!result) return out;
    for (int row = 0; row < result->rows() && result->columns() > 0; ++row) {
      out.push_back(result->text(row, 0));
    }
    return out;
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

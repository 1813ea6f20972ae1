#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "core/ids.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The Store contract, whichever backend keeps it: each test runs once on a fresh SQLite file and
// once on a fresh PostgreSQL database (HOOKLINE_TEST_PG names the server), migrated, with the
// default workspace. Instantiate a suite with INSTANTIATE_STORE_CONTRACT(Suite).
class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("hookline-store-" + random_token(6));
      std::filesystem::create_directories(dir_);
      store_ = std::make_unique<sqlite::SqliteStore>((dir_ / "test.db").string());
    } else {
      database_.SetUp();
      if (::testing::Test::HasFatalFailure()) return;
      store_ = std::make_unique<postgres::PgStore>(database_.uri(), database_.name());
    }
    ASSERT_TRUE(store_->migrate());
    auto workspace = store_->default_workspace_id(1000);
    ASSERT_TRUE(workspace);
    workspace_ = *workspace;
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == Backend::kSqlite) {
      std::filesystem::remove_all(dir_);
    } else {
      database_.TearDown();
    }
  }

  // Runs one write job through the group-commit writer and waits for its commit.
  template <typename T>
  Result<T> write(std::function<Result<T>(WriteTxn&)> job) {
    std::optional<Result<T>> out;
    std::promise<Result<void>> committed;
    store_->write(
        [&](WriteTxn& txn) -> Result<void> {
          out = job(txn);
          if (!*out) return std::unexpected(out->error());
          return {};
        },
        [&](Result<void> result) { committed.set_value(std::move(result)); });
    auto result = committed.get_future().get();
    if (!result) return std::unexpected(result.error());
    return std::move(*out);
  }

  Result<ContactUpsert> upsert(const Contact& c) {
    return write<ContactUpsert>([&](WriteTxn& txn) { return txn.upsert_contact(c); });
  }

  Contact contact(std::string email) {
    Contact c;
    c.id = new_uuid_v7(2000);
    c.workspace_id = workspace_;
    c.email = std::move(email);
    c.created_at = c.updated_at = 2000;
    return c;
  }

  std::filesystem::path dir_;
  postgres::TestDatabase database_;
  std::unique_ptr<Store> store_;
  std::string workspace_;
};

#define INSTANTIATE_STORE_CONTRACT(Suite)                                            \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                          \
                           ::testing::Values(::hookline::store::Backend::kSqlite,    \
                                             ::hookline::store::Backend::kPostgres), \
                           ::hookline::store::backend_name)

}  // namespace hookline::store

#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "core/ids.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

// A migrated store in a fresh temporary directory, with its default workspace.
class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookline-store-" + random_token(6));
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<SqliteStore>((dir_ / "test.db").string());
    ASSERT_TRUE(store_->migrate());
    auto workspace = store_->default_workspace_id(1000);
    ASSERT_TRUE(workspace);
    workspace_ = *workspace;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
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
  std::unique_ptr<SqliteStore> store_;
  std::string workspace_;
};

}  // namespace hookline::store::sqlite

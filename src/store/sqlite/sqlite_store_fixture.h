#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/ids.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_base.h"
#include "store/test_secrets.h"

namespace hookline::store::sqlite {

// A migrated store in a fresh temporary directory, with its default workspace.
class SqliteStoreTest : public StoreTestBase {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookline-store-" + random_token(6));
    std::filesystem::create_directories(dir_);
    open(std::make_unique<SqliteStore>((dir_ / "test.db").string(), test_secret_box()));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
};

}  // namespace hookline::store::sqlite

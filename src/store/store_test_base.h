#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/ids.h"
#include "store/store.h"

namespace hookline::store {

// What the store tests share, whichever backend they open: the store, its default workspace, and
// writes that wait for their commit.
class StoreTestBase : public ::testing::Test {
 protected:
  // Call it last in SetUp: a failed ASSERT returns from open() only, and SetUp must not go on
  // with a store that did not open.
  void open(std::unique_ptr<Store> store) {
    store_ = std::move(store);
    ASSERT_TRUE(store_->migrate());
    auto workspace = store_->default_workspace_id(1000);
    ASSERT_TRUE(workspace);
    workspace_ = *workspace;
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

  std::unique_ptr<Store> store_;
  std::string workspace_;
};

}  // namespace hookline::store

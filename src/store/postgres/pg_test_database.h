#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "core/ids.h"
#include "store/postgres/pg_connection.h"

namespace hookline::store::postgres {

// The test server's URI, from HOOKLINE_TEST_PG; "" when unset.
inline std::string test_server_uri() {
  const char* uri = std::getenv("HOOKLINE_TEST_PG");
  return uri != nullptr ? uri : "";
}

// A fresh database of a test's own on the test server, dropped at the end: tests run in parallel
// (ctest -j) and none sees another's tables. SetUp fails the test when there is no server.
class TestDatabase {
 public:
  void SetUp() {
    uri_ = test_server_uri();
    if (uri_.empty()) {
      GTEST_FAIL() << "HOOKLINE_TEST_PG is unset: these tests need a PostgreSQL server. "
                      "scripts/test.sh starts one; by hand: export HOOKLINE_TEST_PG=$("
                      "scripts/pg_server.sh start /tmp/hookline-pg)";
    }
    maintenance_ = std::make_unique<PgConnection>(uri_);
    std::string name = "hl_test_";  // lower-case hex: an identifier that needs no quoting
    for (unsigned char byte : random_bytes(8)) {
      name += "0123456789abcdef"[byte >> 4];
      name += "0123456789abcdef"[byte & 0xf];
    }
    auto made = maintenance_->exec("CREATE DATABASE " + name);
    ASSERT_TRUE(made) << made.error().message;
    name_ = name;
  }

  void TearDown() {
    if (name_.empty()) return;
    // FORCE: a connection a failed test left open must not keep the database.
    auto dropped = maintenance_->exec("DROP DATABASE " + name_ + " WITH (FORCE)");
    EXPECT_TRUE(dropped) << dropped.error().message;
    name_.clear();
  }

  const std::string& uri() const { return uri_; }
  const std::string& name() const { return name_; }
  // A new connection to the database.
  std::unique_ptr<PgConnection> connect() const {
    return std::make_unique<PgConnection>(uri_, name_);
  }
  // A connection to the server's own database, for what spans databases.
  PgConnection& maintenance() { return *maintenance_; }

 private:
  std::string uri_;
  std::string name_;
  std::unique_ptr<PgConnection> maintenance_;
};

// A test with a database of its own (TestDatabase).
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override { database_.SetUp(); }
  void TearDown() override { database_.TearDown(); }

  std::unique_ptr<PgConnection> connect() const { return database_.connect(); }

  TestDatabase database_;
};

}  // namespace hookline::store::postgres

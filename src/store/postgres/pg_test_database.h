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

// Each test gets a fresh database of its own on the test server, dropped at the end: tests run in
// parallel (ctest -j) and none sees another's tables.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = test_server_uri();
    if (uri_.empty()) {
      GTEST_FAIL() << "HOOKLINE_TEST_PG is unset: these tests need a PostgreSQL server. "
                      "scripts/test.sh starts one; by hand: export HOOKLINE_TEST_PG=$("
                      "scripts/pg_server.sh start /tmp/hookline-pg)";
    }
    maintenance_ = std::make_unique<PgConnection>(uri_);
    std::string suffix;
    for (unsigned char byte : random_bytes(8)) {
      suffix += "0123456789abcdef"[byte >> 4];
      suffix += "0123456789abcdef"[byte & 0xf];
    }
    auto made = maintenance_->exec("CREATE DATABASE hl_test_" + suffix);
    ASSERT_TRUE(made) << made.error().message;
    database_ = "hl_test_" + suffix;
  }

  void TearDown() override {
    if (database_.empty()) return;
    // FORCE: a connection a failed test left open must not keep the database.
    auto dropped = maintenance_->exec("DROP DATABASE " + database_ + " WITH (FORCE)");
    EXPECT_TRUE(dropped) << dropped.error().message;
  }

  // A new connection to this test's database.
  std::unique_ptr<PgConnection> connect() const {
    return std::make_unique<PgConnection>(uri_, database_);
  }

  std::string uri_;
  std::string database_;
  std::unique_ptr<PgConnection> maintenance_;  // to the server's own database
};

}  // namespace hookline::store::postgres

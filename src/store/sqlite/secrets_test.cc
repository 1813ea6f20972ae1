#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/sqlite/sqlite_store_fixture.h"

// SQLite's own half of sealing at rest: once the start-up pass has sealed what an older build
// stored in plaintext, no copy of it is left in the database file (free pages, free space inside
// pages) or in the WAL.
namespace hookline::store::sqlite {
namespace {

using SqliteSecretsTest = SqliteStoreTest;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs SQL on a connection of its own, without zeroing what it frees: what an older build, or a
// SQLite built without SECURE_DELETE, leaves behind.
void exec_as_older_build(const std::filesystem::path& database, const std::string& sql) {
  Connection connection(database.string());
  ASSERT_TRUE(connection.exec("PRAGMA secure_delete=OFF"));
  auto done = connection.exec(sql);
  ASSERT_TRUE(done) << done.error().message;
}

TEST_F(SqliteSecretsTest, NoPlaintextSurvivesInTheFileOrTheWalOnceSealed) {
  const std::filesystem::path database = dir_ / "test.db";
  Webhook webhook;
  webhook.id = "0190a0a0-0000-7000-8000-000000000001";
  webhook.workspace_id = workspace_;
  webhook.secret = "whsec_c2lnbmluZy1rZXk=";
  webhook.spec.name = "Old";
  webhook.spec.url = "https://example.com/old";
  ASSERT_TRUE(store_->insert_webhook(webhook));
  // The database as an older build left it: this row's secrets in plaintext, edited once (the
  // first values in free space), and 100 webhooks deleted since: whole pages of their rows on the
  // free list, which the pass itself does not touch.
  const std::string insert_deleted =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
      "INSERT INTO webhooks (id, workspace_id, created_at, name, url, method, auth, headers, "
      "custom_payload, enabled, timeout_ms, updated_at, secret) SELECT 'gone-' || i, '" +
      workspace_ +
      "', 1, 'Gone', 'https://example.com/gone', 'POST', '{\"type\":\"token\",\"token\":"
      "\"deleted-token-value\",\"header\":\"Authorization\",\"prefix\":\"Bearer\"}', '[]', "
      "'{\"pad\":\"' || hex(randomblob(1000)) || '\"}', 1, 1000, 1, "
      "'whsec_deleted-signing-secret' FROM n";
  exec_as_older_build(
      database,
      "UPDATE webhooks SET auth = '{\"type\":\"basic\",\"username\":\"u\",\"password\":"
      "\"first-password-value\"}', secret = 'whsec_first-signing-secret' WHERE id = '" +
          webhook.id + "'; " + insert_deleted +
          "; UPDATE webhooks SET auth = '{\"type\":\"basic\",\"username\":\"u\",\"password\":"
          "\"current-password-value\"}', headers = '[{\"name\":\"X-Api-Key\",\"value\":"
          "\"current-header-value\"}]', secret = 'whsec_current-signing-secret' WHERE id = '" +
          webhook.id + "'; DELETE FROM webhooks WHERE id LIKE 'gone-%';");
  const std::vector<std::string> plaintext = {
      "first-password-value",         "whsec_first-signing-secret", "deleted-token-value",
      "whsec_deleted-signing-secret", "current-password-value",     "current-header-value",
      "whsec_current-signing-secret"};
  const std::string before = file_bytes(database) + file_bytes(dir_.string() + "/test.db-wal");
  EXPECT_NE(before.find("current-password-value"), std::string::npos)
      << "the test must start with plaintext on disk";

  auto report = store_->seal_secrets(SealMode::kAtStart);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->plaintext, 3);

  const std::string after = file_bytes(database) + file_bytes(dir_.string() + "/test.db-wal");
  for (const std::string& secret : plaintext) {
    EXPECT_EQ(after.find(secret), std::string::npos) << secret << " is still on disk";
  }
  auto read = store_->get_webhook(workspace_, webhook.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->secret, "whsec_current-signing-secret");
  EXPECT_EQ(std::get<BasicAuth>(read->spec.auth).password, "current-password-value");
  EXPECT_EQ(read->spec.headers.at(0).value, "current-header-value");
}

}  // namespace
}  // namespace hookline::store::sqlite

// hookline-bench-secrets: what sealing webhook secrets at rest costs (docs/SECURITY.md), on the
// SQLite store: one value sealed and opened; the start-up pass over N webhooks when everything is
// sealed (every start pays it) and when everything is plaintext (the upgrade, once, with its
// VACUUM over a database padded to M MiB); a key rotation.
//
//   hookline-bench-secrets [--webhooks N] [--pad-mib M]    (defaults: 10000, 256)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/secret_box.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using hookline::SecretBox;
using hookline::store::SealMode;
using hookline::store::SealReport;
using hookline::store::sqlite::Connection;
using hookline::store::sqlite::SqliteStore;

double seconds(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "hookline-bench-secrets: %s\n", what.c_str());
  std::exit(1);
}

SealReport pass(SqliteStore& store, SealMode mode) {
  auto report = store.seal_secrets(mode);
  check(report.has_value(), report ? "" : report.error().message);
  return *report;
}

}  // namespace

int main(int argc, char** argv) {
  int webhooks = 10000;
  int pad_mib = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--webhooks") webhooks = std::atoi(argv[i + 1]);
    if (flag == "--pad-mib") pad_mib = std::atoi(argv[i + 1]);
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("hookline-bench-secrets-" + hookline::random_token(6));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "bench.db").string();
  const std::string old_key = hookline::random_bytes(32);
  const std::string new_key = hookline::random_bytes(32);
  auto box = std::make_shared<const SecretBox>(*SecretBox::make(old_key));

  // One value: a signing secret, sealed then opened, many times.
  constexpr int kValues = 100'000;
  const std::string secret = "whsec_" + hookline::random_token(24);
  std::vector<std::string> sealed(kValues);
  const double seal_s = seconds([&] {
    for (auto& value : sealed) value = *box->seal(secret, "0190a0a0-0000-7000-8000-000000000001");
  });
  const double open_s = seconds([&] {
    for (const auto& value : sealed)
      check(box->open(value, "0190a0a0-0000-7000-8000-000000000001").has_value(), "open");
  });

  double insert_s = 0;
  double check_s = 0;
  double upgrade_s = 0;
  double rotate_s = 0;
  double vacuum_s = 0;
  SealReport upgrade;
  SealReport rotation;
  {
    SqliteStore store(path, box);
    check(store.migrate().has_value(), "migrate");
    const std::string workspace = *store.default_workspace_id(1);
    insert_s = seconds([&] {
      for (int i = 0; i < webhooks; ++i) {
        hookline::Webhook webhook;
        webhook.id = hookline::new_uuid_v7(1000 + i);
        webhook.workspace_id = workspace;
        webhook.secret = "whsec_" + hookline::random_token(24);
        webhook.spec.name = "w";
        webhook.spec.url = "https://example.com/hook";
        webhook.spec.auth = hookline::BasicAuth{"ana", hookline::random_token(12)};
        webhook.spec.headers = {{"X-Api-Key", hookline::random_token(12)}};
        check(store.insert_webhook(webhook).has_value(), "insert");
      }
    });
    check_s = seconds([&] { pass(store, SealMode::kAtStart); });
    // The upgrade: the same rows in plaintext, in a database padded to pad_mib MiB.
    {
      Connection raw(path);
      check(raw.exec("UPDATE webhooks SET secret = 'whsec_plain', previous_secret = '', auth = "
                     "'{\"type\":\"basic\",\"username\":\"ana\",\"password\":\"plain\"}', "
                     "headers = '[{\"name\":\"X-Api-Key\",\"value\":\"plain\"}]'; "
                     "CREATE TABLE pad (bytes BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                     "SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(pad_mib * 256) +
                     ") INSERT INTO pad SELECT randomblob(4000) FROM n; "
                     "PRAGMA wal_checkpoint(TRUNCATE);")
                .has_value(),
            "pad");
    }
    upgrade_s = seconds([&] { upgrade = pass(store, SealMode::kAtStart); });
    // Of which the VACUUM alone, run again on the same file.
    vacuum_s = seconds([&] {
      Connection raw(path);
      check(raw.exec("PRAGMA temp_store=FILE; VACUUM;").has_value(), "vacuum");
    });
  }
  {
    SqliteStore store(path,
                      std::make_shared<const SecretBox>(*SecretBox::make(new_key, {old_key})));
    rotate_s = seconds([&] { rotation = pass(store, SealMode::kRotate); });
  }
  const double mib = static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  std::filesystem::remove_all(dir);

  std::printf("| what | measured |\n|---|---|\n");
  std::printf("| seal one value (AES-256-GCM, base64) | %.2f us |\n", seal_s * 1e6 / kValues);
  std::printf("| open one value | %.2f us |\n", open_s * 1e6 / kValues);
  std::printf("| insert a webhook with 3 secrets (sealed), one transaction each | %.3f ms |\n",
              insert_s * 1e3 / webhooks);
  std::printf("| start-up pass, %d webhooks all sealed (%lld values opened) | %.0f ms |\n",
              webhooks, static_cast<long long>(upgrade.values), check_s * 1e3);
  std::printf(
      "| upgrade pass, %d webhooks in plaintext (%lld values sealed), database %.0f MiB, "
      "VACUUM and WAL truncation included | %.1f s |\n",
      webhooks, static_cast<long long>(upgrade.plaintext), mib, upgrade_s);
  std::printf("| of which VACUUM alone | %.1f s |\n", vacuum_s);
  std::printf("| rotate-key pass, %lld values re-sealed, VACUUM included | %.1f s |\n",
              static_cast<long long>(rotation.resealed), rotate_s);
  return 0;
}

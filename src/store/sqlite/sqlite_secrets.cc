// The pass over every webhook's secrets (Store::seal_secrets), and the wipe after it.
#include <limits>
#include <vector>

#include "core/logger.h"
#include "store/sqlite/sqlite_store.h"
#include "store/webhook_secrets.h"

namespace hookline::store::sqlite {

namespace {

constexpr int kRowsPerRead = 500;

struct StoredRow {
  std::string id;
  SecretColumns columns;
};

// Up to `limit` rows after `cursor`, in id order.
Result<std::vector<StoredRow>> read_rows(Connection& connection, const std::string& cursor,
                                         int limit) {
  Statement query(connection.handle(),
                  "SELECT id, auth, headers, secret, previous_secret FROM webhooks WHERE id > ? "
                  "ORDER BY id LIMIT ?");
  query.bind(1, cursor).bind(2, int64_t{limit});
  std::vector<StoredRow> rows;
  while (true) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return rows;
    rows.push_back({query.text(0), {query.text(1), query.text(2), query.text(3), query.text(4)}});
  }
}

Result<void> write_row(Connection& connection, const std::string& id,
                       const SecretColumns& columns) {
  Statement update(connection.handle(),
                   "UPDATE webhooks SET auth = ?, headers = ?, secret = ?, previous_secret = ? "
                   "WHERE id = ?");
  update.bind(1, columns.auth)
      .bind(2, columns.headers)
      .bind(3, columns.secret)
      .bind(4, columns.previous_secret)
      .bind(5, id);
  return update.run();
}

// Turns a pragma on for the connection until destroyed, then puts back what it was.
class SecureDelete {
 public:
  explicit SecureDelete(Connection& connection) : connection_(connection) {
    Statement query(connection_.handle(), "PRAGMA secure_delete");
    if (auto row = query.step(); row && *row) was_ = query.integer(0);
  }
  ~SecureDelete() {
    (void)connection_.exec("PRAGMA secure_delete=" + std::to_string(was_));  // best effort
  }
  Result<void> on() { return connection_.exec("PRAGMA secure_delete=ON"); }

 private:
  Connection& connection_;
  int64_t was_ = 0;
};

}  // namespace

Result<SealReport> SqliteStore::seal_secrets(SealMode mode) {
  std::lock_guard lock(mutex_);
  // While it is on, SQLite overwrites with zeros what a change frees: the bytes of every value
  // this pass replaces, in the database file.
  SecureDelete secure_delete(connection_);
  if (auto on = secure_delete.on(); !on) return std::unexpected(on.error());
  const int per_commit =
      mode == SealMode::kRotate ? kRotateRowsPerCommit : std::numeric_limits<int>::max();
  SealReport report;
  std::string cursor;
  for (bool more = true; more;) {
    Transaction tx(connection_);
    if (auto r = tx.begin(); !r) return std::unexpected(r.error());
    for (int in_commit = 0; more && in_commit < per_commit;) {
      const int limit = std::min(kRowsPerRead, per_commit - in_commit);
      auto rows = read_rows(connection_, cursor, limit);
      if (!rows) return std::unexpected(rows.error());
      more = static_cast<int>(rows->size()) == limit;
      for (const StoredRow& row : *rows) {
        auto changed = resealed_columns(*secrets_, row.id, row.columns, mode, report);
        if (!changed) return std::unexpected(changed.error());  // the transaction rolls back
        if (!*changed) continue;
        if (auto r = write_row(connection_, row.id, **changed); !r)
          return std::unexpected(r.error());
      }
      in_commit += static_cast<int>(rows->size());
      if (!rows->empty()) cursor = rows->back().id;
    }
    if (auto r = tx.commit(); !r) return std::unexpected(r.error());
  }
  if (report.changed()) {
    if (auto wiped = scrub_replaced_secrets(); !wiped) {
      // The values are sealed and stay so; only old copies may linger. Said loudly, not fatal:
      // the likeliest cause is a disk without room for VACUUM's copy.
      module_logger("store")->warn(
          "the secrets are sealed, but old copies of them may remain in the database file's free "
          "pages: {}. Run VACUUM on it (sqlite3 FILE 'VACUUM') while Hookline is stopped",
          wiped.error().message);
    }
  }
  return report;
}

Result<void> SqliteStore::scrub_replaced_secrets() {
  // secure_delete covered what this pass freed; VACUUM also rebuilds every page, so what an older
  // build freed without zeroing (a webhook deleted or edited while its secrets were plaintext)
  // goes too. Its copy is built in a file, not in memory (temp_store is MEMORY for savepoints).
  if (auto r = connection_.exec("PRAGMA temp_store=FILE; VACUUM;"); !r) {
    (void)connection_.exec("PRAGMA temp_store=MEMORY");
    return r;
  }
  if (auto r = connection_.exec("PRAGMA temp_store=MEMORY"); !r) return r;
  // The WAL still holds the pages as they were before, until it starts over: TRUNCATE copies it
  // back and cuts it to zero bytes.
  Statement checkpoint(connection_.handle(), "PRAGMA wal_checkpoint(TRUNCATE)");
  auto row = checkpoint.step();
  if (!row) return std::unexpected(row.error());
  if (*row && checkpoint.integer(0) != 0) {
    return std::unexpected(Error::unavailable("the WAL could not be emptied: a reader holds it"));
  }
  return {};
}

}  // namespace hookline::store::sqlite

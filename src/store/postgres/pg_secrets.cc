// The pass over every webhook's secrets (Store::seal_secrets), and the wipe after it.
#include <algorithm>
#include <limits>
#include <vector>

#include "core/logger.h"
#include "store/postgres/pg_store.h"
#include "store/webhook_secrets.h"

namespace hookline::store::postgres {

namespace {

constexpr int kRowsPerRead = 500;

// One transaction's share of the pass: rows after `cursor`, at most `limit`, read `kRowsPerRead`
// at a time. Returns how many rows it read and moves the cursor past them.
Result<int> seal_rows(PgConnection& db, const SecretBox& box, SealMode mode, std::string& cursor,
                      int limit, SealReport& report) {
  int read = 0;
  while (read < limit) {
    const int ask = std::min(kRowsPerRead, limit - read);
    auto rows = db.query(
        "SELECT id, auth, headers, secret, previous_secret FROM webhooks WHERE id > $1 ORDER BY "
        "id LIMIT $2",
        {cursor, ask});
    if (!rows) return std::unexpected(rows.error());
    for (int i = 0; i < rows->rows(); ++i) {
      const std::string id = rows->text(i, 0);
      const SecretColumns stored{rows->text(i, 1), rows->text(i, 2), rows->text(i, 3),
                                 rows->text(i, 4)};
      auto changed = resealed_columns(box, id, stored, mode, report);
      if (!changed) return std::unexpected(changed.error());
      if (!*changed) continue;
      // Only if the row is still as read: several nodes may start, and seal, at once, and an API
      // change made meanwhile through another node must not be undone. A row changed meanwhile
      // was written by a node that seals, or is sealed at the next start.
      auto updated = db.query(
          "UPDATE webhooks SET auth = $1, headers = $2, secret = $3, previous_secret = $4 WHERE "
          "id = $5 AND auth = $6 AND headers = $7 AND secret = $8 AND previous_secret = $9",
          {(*changed)->auth, (*changed)->headers, (*changed)->secret, (*changed)->previous_secret,
           id, stored.auth, stored.headers, stored.secret, stored.previous_secret});
      if (!updated) return std::unexpected(updated.error());
    }
    read += rows->rows();
    if (rows->rows() > 0) cursor = rows->text(rows->rows() - 1, 0);
    if (rows->rows() < ask) break;
  }
  return read;
}

}  // namespace

Result<SealReport> PgStore::seal_secrets(SealMode mode) {
  const int per_commit =
      mode == SealMode::kRotate ? kRotateRowsPerCommit : std::numeric_limits<int>::max();
  auto report = with_connection<SealReport>([&](PgConnection& db) -> Result<SealReport> {
    SealReport report;
    std::string cursor;
    for (bool more = true; more;) {
      PgTransaction tx(db);
      if (auto r = tx.begin(); !r) return std::unexpected(r.error());
      auto read = seal_rows(db, *secrets_, mode, cursor, per_commit, report);
      if (!read) return std::unexpected(read.error());  // the transaction rolls back
      if (auto r = tx.commit(); !r) return std::unexpected(r.error());
      more = *read == per_commit;
    }
    return report;
  });
  if (!report || !report->changed()) return report;
  auto wiped = with_connection<void>([](PgConnection& db) -> Result<void> {
    // The replaced values stay in the table's dead rows until vacuum, and even then in free
    // space; VACUUM FULL writes the table (and its TOAST) anew and drops the old files. A moment's
    // exclusive lock on a small table. The server's WAL and any backup keep them: see
    // docs/SECURITY.md.
    return db.exec("VACUUM FULL webhooks");
  });
  if (!wiped) {
    module_logger("store")->warn(
        "the secrets are sealed, but old copies of them may remain in the webhooks table's free "
        "space: {}. Run VACUUM FULL webhooks",
        wiped.error().message);
  }
  return report;
}

}  // namespace hookline::store::postgres

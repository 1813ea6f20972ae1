#include "store/postgres/pg_writer.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "core/logger.h"
#include "store/postgres/pg_error.h"

namespace hookline::store::postgres {

Result<Result<void>> PgWriteTxn::in_savepoint(const std::function<Result<void>()>& part) {
  // Nested inside the job's own savepoint; a repeated name refers to the innermost one. The
  // savepoint travels with the part's first statement and its release with the job's next round
  // trip, as the job's own do (PgWriter::run_part).
  const size_t before = db().deferred_count();
  db().defer("SAVEPOINT part", {});
  const uint64_t sends = db().sends();
  Result<void> result = part();
  if (result) {
    db().defer("RELEASE SAVEPOINT part", {});
    return result;
  }
  if (db().sends() == sends) {
    db().discard_deferred(before);  // none of the part reached the server: nothing to undo
    return result;
  }
  // The savepoint went with the first statement sent since; what still waits is the part's.
  db().discard_deferred();
  if (auto undone = db().exec("ROLLBACK TO SAVEPOINT part; RELEASE SAVEPOINT part"); !undone) {
    return std::unexpected(undone.error());
  }
  return result;
}

Result<void> PgWriteTxn::begin_batch() {
  auto version = db().query("SELECT version FROM config_version WHERE id = 1");
  if (!version) return std::unexpected(version.error());
  const int64_t now = version->rows() > 0 ? version->integer(0, 0) : 0;
  caches_.keep_for(config_version_, now);
  // Left over only by a batch that failed: none of it was written.
  path_counts_.clear();
  delivery_tally_.clear();
  catalog_news_.discard();
  return {};
}

void PgWriteTxn::end_job(bool succeeded) {
  path_counts_.end_job(succeeded);
  delivery_tally_.end_job(succeeded);
  catalog_news_.end_job(succeeded);
  last_event_.stored = false;  // a later job's deliveries never splice an event it did not write
  prefetched_ = {};
  delivery_seqs_.clear();
  next_delivery_seq_ = 0;
}

Result<void> PgWriteTxn::write_batch_counts() {
  if (auto written = write_path_counts(); !written) return written;
  if (auto written = write_catalog_news(); !written) return written;
  return write_delivery_stats();
}

Result<void> PgWriteTxn::write_path_counts() {
  // One statement for the whole batch, its rows as one JSON parameter. In key order: writers of
  // several nodes add to the same rows, and taking their locks in one order keeps them from
  // deadlocking on each other.
  std::vector<std::pair<const PathCounts::Key*, int64_t>> counted;
  Result<void> collected =
      path_counts_.for_each([&counted](const PathCounts::Key& path, int64_t runs) -> Result<void> {
        counted.emplace_back(&path, runs);
        return {};
      });
  if (!collected) return collected;
  if (counted.empty()) return {};
  std::sort(counted.begin(), counted.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  boost::json::array rows;
  rows.reserve(counted.size());
  for (const auto& [key, runs] : counted) {
    const auto& [journey_id, version, path] = *key;
    rows.push_back(boost::json::array{journey_id, version, path, runs});
  }
  auto upserted = db().query(
      "INSERT INTO journey_path_counts (journey_id, version, path, runs) "
      "SELECT r->>0, (r->>1)::integer, r->>2, (r->>3)::bigint FROM json_array_elements($1::json) "
      "AS r ON CONFLICT (journey_id, version, path) DO UPDATE SET runs = journey_path_counts.runs "
      "+ excluded.runs",
      {boost::json::serialize(rows)});
  if (!upserted) return std::unexpected(upserted.error());
  path_counts_.clear();
  return {};
}

PgWriter::PgWriter(std::string uri, std::string database, const SecretBox& secrets)
    : uri_(std::move(uri)),
      database_(std::move(database)),
      connection_(std::make_unique<PgConnection>(uri_, database_)),
      txn_(secrets) {
  start();
}

PgWriter::~PgWriter() { stop(); }

Result<PgConnection*> PgWriter::connection() {
  if (connection_ && connection_->usable()) return connection_.get();
  connection_.reset();
  try {
    connection_ = std::make_unique<PgConnection>(uri_, database_);
  } catch (const std::runtime_error& e) {
    return std::unexpected(Error::unavailable(e.what()));
  }
  module_logger("store")->info("the writer's connection to PostgreSQL is open again");
  return connection_.get();
}

void PgWriter::run_batch(Batch& batch) {
  // Usually one transaction; run_part ends one early only to break a deadlock with another node.
  while (!batch.empty()) {
    const size_t finished = run_part(batch);
    batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(finished));
  }
}

size_t PgWriter::run_part(Batch& batch) {
  std::vector<Result<void>> results;
  results.reserve(batch.size());
  const auto fail = [&](const Error& error) {
    fail_batch(batch, error);
    return batch.size();
  };

  auto opened = connection();
  if (!opened) return fail(opened.error());
  PgConnection& db = **opened;
  txn_.use(db);

  // Work that a lost commit would only redo does not wait for the server's WAL flush.
  if (auto begun = db.exec(redoable(batch) ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN");
      !begun) {
    return fail(begun.error());
  }
  if (auto checked = txn_.begin_batch(); !checked) {
    (void)db.exec("ROLLBACK");  // nothing was written; the error is what callers hear
    return fail(checked.error());
  }

  size_t end = batch.size();
  for (size_t i = 0; i < end; ++i) {
    // A savepoint per job: a job that fails undoes only its own changes, and in PostgreSQL a
    // failed statement outside one would abort the whole transaction. Over a socket a round trip
    // costs more than the statement, so the savepoint travels with the job's first statement and
    // its release with the job's last round trip (finish below): a savepoint that cannot be made
    // fails the job (and, not there to roll back to, the batch), a release that fails fails the
    // job it belongs to.
    db.defer("SAVEPOINT job", {});
    const uint64_t sends = db.sends();
    // The job's writes held back for a round trip (PgConnection::defer) are the job's: they run
    // now, and their failure is its own.
    const auto finish = [&db]() {
      db.defer("RELEASE SAVEPOINT job", {});
      return db.flush();
    };
    Result<void> result = run_job(batch[i].job, txn_);
    if (result) result = finish();
    if (!result && lost_to_another_transaction(result.error())) {
      // Another node's writer and this one each waited for a lock the other held (chains of
      // ordered deliveries, pg_txn_deliveries.cc), and PostgreSQL failed this job's statement.
      db.discard_deferred();
      if (auto undone = db.exec("ROLLBACK TO SAVEPOINT job"); !undone) {
        (void)db.exec("ROLLBACK");
        return fail(undone.error());
      }
      txn_.end_job(false);
      if (i > 0) {
        // The locks the other writer waits for may be this transaction's earlier jobs': run
        // again now, the job would wait for that writer while it waits for them. They commit
        // first, which lets the other writer on, and the job starts the next transaction,
        // holding nothing: its caller (an ingest's client) never hears of it.
        end = i;
        break;
      }
      // First in its transaction, it held no other job's locks: undone, its own are free, the
      // other writer goes on to its commit, and run once more (in the savepoint rolled back
      // to, which stays) the job waits for that, at most.
      result = run_job(batch[i].job, txn_);
      if (result) result = finish();
    }
    if (!result) {
      db.discard_deferred();
      // Undo this job only (nothing to undo when none of it reached the server). If even that
      // fails, its half-done writes must not reach the commit: the whole batch fails instead,
      // and every caller hears so.
      const bool reached = db.sends() != sends;
      if (auto undone = reached ? db.exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")
                                : Result<void>{};
          !undone) {
        (void)db.exec("ROLLBACK");  // the batch is failed either way; its error is below
        return fail(undone.error());
      }
    }
    txn_.end_job(result.has_value());
    results.push_back(std::move(result));
  }

  if (auto counted = txn_.write_batch_counts(); !counted) {
    (void)db.exec("ROLLBACK");  // the counts belong with the jobs that made them
    return fail(counted.error());
  }
  auto committed = db.query("COMMIT");
  if (!committed) {
    (void)db.exec("ROLLBACK");  // the failed commit's own error is what callers hear
    return fail(committed.error());
  }
  // A transaction PostgreSQL had aborted answers COMMIT with a ROLLBACK, and no error.
  if (committed->command_tag() != "COMMIT") {
    return fail(Error{ErrorCode::kInternal, "the write batch was rolled back", {}});
  }
  txn_.batch_committed();

  for (size_t i = 0; i < end; ++i) call_done(batch[i].done, std::move(results[i]));
  return end;
}

}  // namespace hookline::store::postgres

#include "store/sqlite/sqlite_writer.h"

#include <stdexcept>

#include "core/logger.h"

namespace hookline::store::sqlite {

Statement& SqliteWriteTxn::prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_
             .emplace(std::string(sql), std::make_unique<Statement>(connection_.handle(), sql))
             .first;
  } else {
    it->second->reset();
  }
  return *it->second;
}

Result<void> SqliteWriteTxn::control(std::string_view sql) { return prepare(sql).run(); }

Result<Result<void>> SqliteWriteTxn::in_savepoint(const std::function<Result<void>()>& part) {
  // Nested inside the job's own savepoint; the name may repeat, SQLite takes the innermost.
  if (auto saved = control("SAVEPOINT part"); !saved) return std::unexpected(saved.error());
  Result<void> result = part();
  if (!result) {
    if (auto undone = control("ROLLBACK TO part"); !undone) return std::unexpected(undone.error());
  }
  if (auto released = control("RELEASE part"); !released) {
    return std::unexpected(released.error());
  }
  return result;
}

Result<void> SqliteWriteTxn::begin_batch() {
  Statement& version = prepare("PRAGMA data_version");
  auto row = version.step();
  if (!row) return std::unexpected(row.error());
  const int64_t now = version.integer(0);
  version.reset();
  caches_.keep_for(data_version_, now);
  // Left over only by a batch that failed: none of it was written.
  path_counts_.clear();
  delivery_tally_.clear();
  catalog_news_.discard();
  return {};
}

void SqliteWriteTxn::end_job(bool succeeded) {
  path_counts_.end_job(succeeded);
  delivery_tally_.end_job(succeeded);
  catalog_news_.end_job(succeeded);
  last_event_.seq = 0;  // a later job's deliveries never splice an event row it did not write
}

void SqliteWriteTxn::reset_statements() {
  for (auto& [sql, statement] : statements_) statement->reset();
}

Result<void> SqliteWriteTxn::write_batch_counts() {
  if (auto written = write_path_counts(); !written) return written;
  if (auto written = write_catalog_news(); !written) return written;
  return write_delivery_stats();
}

SqliteWriter::SqliteWriter(const std::string& path, const SecretBox& secrets)
    : connection_(path), checkpointer_(path), txn_(connection_, secrets) {
  // A batch of a few thousand events dirties a few MiB of pages. With SQLite's default 2 MiB cache
  // the pager spills dirty pages to the WAL in the middle of the transaction, and writes a page
  // again each time a later job of the batch touches it: every page must fit until COMMIT.
  if (auto sized = connection_.exec("PRAGMA cache_size=-32768"); !sized) {
    throw std::runtime_error("cannot size the writer's page cache: " + sized.error().message);
  }
  sqlite3_wal_hook(connection_.handle(), &SqliteWriter::on_commit, this);
  start();
}

SqliteWriter::~SqliteWriter() { stop(); }

int SqliteWriter::on_commit(void* self, sqlite3* db, const char* schema, int wal_frames) {
  auto* writer = static_cast<SqliteWriter*>(self);
  if (!writer->checkpointer_.after_commit(wal_frames)) return SQLITE_OK;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, &copied);
  if (rc == SQLITE_OK) {
    writer->checkpointer_.copied(copied);
  } else if (rc != SQLITE_BUSY) {
    // The commit itself has succeeded; the frames stay in the WAL, durable, and a later commit
    // tries again.
    module_logger("store")->warn("checkpoint after commit failed: {}",
                                 sqlite_error(db, rc).message);
  }
  return SQLITE_OK;
}

void SqliteWriter::stop() {
  BatchWriter::stop();
  checkpointer_.stop();
}

Result<void> SqliteWriter::sync_for(bool redoable) {
  if (synced_commits_ == !redoable) return {};
  // Outside a transaction, where SQLite takes the setting for the next one.
  if (auto set = txn_.control(redoable ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
      !set) {
    return set;
  }
  synced_commits_ = !redoable;
  return {};
}

void SqliteWriter::run_batch(Batch& batch) {
  std::vector<Result<void>> results;
  results.reserve(batch.size());

  if (auto synced = sync_for(redoable(batch)); !synced) {
    return fail_batch(batch, synced.error());
  }
  if (auto begun = txn_.control("BEGIN IMMEDIATE"); !begun) return fail_batch(batch, begun.error());
  if (auto checked = txn_.begin_batch(); !checked) {
    (void)txn_.control("ROLLBACK");  // nothing was written; the error is what callers hear
    return fail_batch(batch, checked.error());
  }

  for (Queued& queued : batch) {
    // A savepoint per job: a job that fails undoes only its own changes.
    if (auto saved = txn_.control("SAVEPOINT job"); !saved) {
      results.emplace_back(std::unexpected(saved.error()));
      continue;
    }
    Result<void> result = run_job(queued.job, txn_);
    if (!result) {
      // Undo this job only. If even that fails, its half-done writes must not reach the commit:
      // the whole batch fails instead, and every caller hears so.
      if (auto undone = txn_.control("ROLLBACK TO job"); !undone) {
        (void)txn_.control("ROLLBACK");  // the batch is failed either way; its error is below
        return fail_batch(batch, undone.error());
      }
    }
    if (auto released = txn_.control("RELEASE job"); !released) {
      (void)txn_.control("ROLLBACK");  // as above
      return fail_batch(batch, released.error());
    }
    txn_.end_job(result.has_value());
    results.push_back(std::move(result));
  }

  if (auto counted = txn_.write_batch_counts(); !counted) {
    (void)txn_.control("ROLLBACK");  // the counts belong with the jobs that made them
    return fail_batch(batch, counted.error());
  }
  txn_.reset_statements();
  if (auto committed = txn_.control("COMMIT"); !committed) {
    (void)txn_.control("ROLLBACK");  // the failed commit's own error is what callers hear
    return fail_batch(batch, committed.error());
  }
  txn_.batch_committed();

  for (size_t i = 0; i < batch.size(); ++i) call_done(batch[i].done, std::move(results[i]));
}

}  // namespace hookline::store::sqlite

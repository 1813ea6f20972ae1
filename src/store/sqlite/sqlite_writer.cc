#include "store/sqlite/sqlite_writer.h"

#include "core/logger.h"

namespace hookline::store::sqlite {

Statement& SqliteWriteTxn::prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    it = statements_
             .emplace(std::string(sql), std::make_unique<Statement>(connection_.handle(), sql))
             .first;
  } else {
    it->second->reset();
  }
  return *it->second;
}

void SqliteWriteTxn::reset_statements() {
  for (auto& [sql, statement] : statements_) statement->reset();
}

SqliteWriter::SqliteWriter(const std::string& path)
    : connection_(path), txn_(connection_), thread_([this] { run(); }) {}

SqliteWriter::~SqliteWriter() { stop(); }

void SqliteWriter::submit(WriteJob job, WriteDone done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.emplace_back(std::move(job), std::move(done));
      wake_.notify_one();
      return;
    }
  }
  if (done) done(std::unexpected(Error::unavailable("the store is shutting down")));
}

void SqliteWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SqliteWriter::run() {
  std::deque<std::pair<WriteJob, WriteDone>> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void SqliteWriter::run_batch(std::deque<std::pair<WriteJob, WriteDone>>& batch) {
  std::vector<Result<void>> results;
  results.reserve(batch.size());
  auto fail_all = [&](const Error& error) {
    module_logger("store")->error("write batch of {} failed: {}", batch.size(), error.message);
    for (auto& [job, done] : batch) {
      if (done) done(std::unexpected(error));
    }
  };
  if (auto begun = connection_.exec("BEGIN IMMEDIATE"); !begun) return fail_all(begun.error());

  for (auto& [job, done] : batch) {
    // A savepoint per job: a job that fails undoes only its own changes.
    if (auto saved = connection_.exec("SAVEPOINT job"); !saved) {
      results.emplace_back(std::unexpected(saved.error()));
      continue;
    }
    Result<void> result;
    try {
      result = job(txn_);
    } catch (const std::exception& e) {
      module_logger("store")->error("write job threw: {}", e.what());
      result = std::unexpected(Error{ErrorCode::kInternal, e.what(), {}});
    }
    if (!result) (void)connection_.exec("ROLLBACK TO job");  // undo this job only
    if (auto released = connection_.exec("RELEASE job"); !released && result) {
      result = std::unexpected(released.error());
    }
    results.push_back(std::move(result));
  }

  txn_.reset_statements();
  if (auto committed = connection_.exec("COMMIT"); !committed) {
    (void)connection_.exec("ROLLBACK");  // the failed commit's own error is what callers hear
    return fail_all(committed.error());
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].second) batch[i].second(std::move(results[i]));
  }
}

}  // namespace hookline::store::sqlite

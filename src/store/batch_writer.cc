#include "store/batch_writer.h"

#include <algorithm>
#include <exception>

#include "core/logger.h"
#include "core/thread_name.h"

namespace hookline::store {

void BatchWriter::start() {
  thread_ = std::thread([this] {
    name_this_thread("hl-writer");
    run();
  });
}

// A completion that throws must not take the writer thread, and every later batch, down with it.
void BatchWriter::call_done(const WriteDone& done, Result<void> result) {
  if (!done) return;
  try {
    done(std::move(result));
  } catch (const std::exception& e) {
    module_logger("store")->error("a write completion threw: {}", e.what());
  }
}

void BatchWriter::submit(WriteJob job, WriteDone done, Durability durability) {
  Error refused = Error::unavailable("the store is shutting down");
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < kMaxQueued) {
      queue_.push_back({std::move(job), std::move(done), durability});
      wake_.notify_one();
      return;
    }
    // Back-pressure: past this the database (or the disk under it) cannot keep up, and queueing
    // more would only grow memory and latency. The caller answers 503 and the client retries.
    if (!stopping_) refused = Error::unavailable("the store is busy; retry shortly");
  }
  call_done(done, std::unexpected(std::move(refused)));
}

void BatchWriter::found_full() {
  full_at_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                 std::memory_order_relaxed);
}

bool BatchWriter::storage_full() const {
  const auto at = std::chrono::steady_clock::duration(full_at_.load(std::memory_order_relaxed));
  return at.count() != 0 && std::chrono::steady_clock::now().time_since_epoch() - at < kFullFor;
}

void BatchWriter::write_prometheus(PrometheusText& text) const {
  text.family("hookline_store_batch_jobs", "histogram",
              "Write jobs (an event with its deliveries, a dispatcher's turn of results, ...) per "
              "transaction of this node's store writer.")
      .histogram("hookline_store_batch_jobs", {}, batch_jobs_.snapshot());
  text.family("hookline_store_batch_seconds", "histogram",
              "How long each transaction of this node's store writer took: its jobs and its "
              "commit (the sync to disk, for SQLite).")
      .histogram("hookline_store_batch_seconds", {}, batch_seconds_.snapshot());
  text.family("hookline_store_batches_total", "counter",
              "Transactions of this node's store writer, by whether the commit waited for the disk "
              "sync: \"acknowledged\" when a job of it is answered to someone (an event, an API "
              "change), \"redoable\" when all are work a power cut would only make happen again "
              "(outcomes of tries, claims and releases of deliveries).")
      .sample("hookline_store_batches_total", {{"durability", "acknowledged"}},
              static_cast<double>(batches_waited_.load(std::memory_order_relaxed)))
      .sample("hookline_store_batches_total", {{"durability", "redoable"}},
              static_cast<double>(batches_unwaited_.load(std::memory_order_relaxed)));
}

bool BatchWriter::redoable(const Batch& batch) {
  return std::ranges::all_of(
      batch, [](const Queued& queued) { return queued.durability == Durability::kRedoable; });
}

void BatchWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BatchWriter::run() {
  Batch batch;
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
    const auto started = std::chrono::steady_clock::now();
    const size_t jobs = batch.size();  // run_batch may take the jobs out as it finishes them
    (redoable(batch) ? batches_unwaited_ : batches_waited_).fetch_add(1, std::memory_order_relaxed);
    run_batch(batch);
    batch_seconds_.observe_us(std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count());
    batch_jobs_.observe(static_cast<double>(jobs));
    batch.clear();
  }
}

Result<void> BatchWriter::run_job(const WriteJob& job, WriteTxn& txn) {
  Result<void> result;
  try {
    result = job(txn);
  } catch (const std::exception& e) {
    module_logger("store")->error("write job threw: {}", e.what());
    result = std::unexpected(Error{ErrorCode::kInternal, e.what(), {}});
  }
  if (!result && result.error().code == ErrorCode::kStorageFull) found_full();
  return result;
}

void BatchWriter::fail_batch(Batch& batch, const Error& error) {
  module_logger("store")->error("write batch of {} failed: {}", batch.size(), error.message);
  if (error.code == ErrorCode::kStorageFull) found_full();
  for (Queued& queued : batch) call_done(queued.done, std::unexpected(error));
}

}  // namespace hookline::store

#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/error.h"
#include "core/histogram.h"
#include "core/prometheus_text.h"
#include "store/write_txn.h"

namespace hookline::store {

// The group-commit writer's queue and thread, whichever database it writes to. The thread takes
// every job queued since the last batch (up to kMaxBatch) and hands them to run_batch, which runs
// each inside a savepoint of one transaction, commits once, then calls each job's `done`.
//
// A derived writer calls start() last in its constructor, and stop() first in its destructor:
// run_batch runs on the thread and uses the derived writer's members, which must exist all the
// while the thread does.
class BatchWriter {
 public:
  static constexpr size_t kMaxBatch = 2000;
  // Jobs waiting beyond this are refused (kUnavailable) instead of queued.
  static constexpr size_t kMaxQueued = 100'000;

  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  void submit(WriteJob job, WriteDone done, Durability durability = Durability::kAcknowledged);
  // Runs what is queued, then stops; later submissions fail with kUnavailable. Calling it again
  // does nothing more: the store stops its writer, and the writer's destructor stops it again.
  virtual void stop();
  // Store::storage_full: a write found the disk (for PostgreSQL, the server's) full within the last
  // kFullFor. A disk that is nearly full takes small writes and refuses large ones, so one write
  // that succeeds does not mean there is room again.
  static constexpr std::chrono::seconds kFullFor{5};
  bool storage_full() const;
  void write_prometheus(PrometheusText& text) const;

 protected:
  struct Queued {
    WriteJob job;
    WriteDone done;
    Durability durability = Durability::kAcknowledged;
  };
  using Batch = std::deque<Queued>;
  // Whether the batch's jobs are all kRedoable: their commit need not wait for the disk.
  static bool redoable(const Batch& batch);

  BatchWriter() = default;
  // Does not stop the thread: by now the derived writer's members are gone. A derived writer that
  // forgot to stop() ends the process here instead (std::thread's destructor).
  virtual ~BatchWriter() = default;

  void start();

  // One transaction for the whole batch (PostgreSQL's may split it: PgWriter::run_part); each
  // job's `done` is called exactly once. It may take finished jobs out of `batch`.
  virtual void run_batch(Batch& batch) = 0;

  // Runs one job; one that throws fails, and the batch goes on without it.
  Result<void> run_job(const WriteJob& job, WriteTxn& txn);
  // The batch's transaction failed: every job of it fails with `error`.
  void fail_batch(Batch& batch, const Error& error);
  void found_full();
  static void call_done(const WriteDone& done, Result<void> result);

 private:
  void run();

  // Jobs per batch: 1 to kMaxBatch.
  static constexpr std::array<double, 12> kBatchJobBounds = {1,   2,   5,   10,   20,   50,
                                                             100, 200, 500, 1000, 1500, 2000};
  Histogram batch_jobs_{kBatchJobBounds};
  Histogram batch_seconds_{kLocalBoundsSeconds};  // a batch's jobs and its commit
  std::atomic<uint64_t> batches_waited_{0};       // batches whose commit waited for the disk
  std::atomic<uint64_t> batches_unwaited_{0};     // batches of kRedoable jobs only

  // steady_clock ticks of the last write that found the disk full; 0: none yet.
  std::atomic<std::chrono::steady_clock::rep> full_at_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  Batch queue_;            // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)

  std::thread thread_;  // started by start(), once the derived writer is ready
};

}  // namespace hookline::store

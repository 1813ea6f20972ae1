#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "store/store.h"

namespace hookline::store {

// Keeps the store's size bounded: removes, in the background, events and ended deliveries (with
// their attempts) older than the retention setting. Pending and retrying deliveries stay however
// old, and so do the events their bodies need (WriteTxn::purge_*).
//
// It also forgets deleted contacts: the history a deleted contact leaves (WriteTxn::forget_step),
// looked for every few seconds and removed before the next retention pass; and each pass releases
// ordered chains left waiting behind nothing (WriteTxn::release_headless_chains).
//
// A pass removes a small step at a time, each step one write job that waits for its commit, with a
// pause between steps: ingest's own jobs run in between, so a purge of millions of rows never
// holds the writer for more than a few milliseconds. Freed pages are reused by new rows, so at a
// steady rate the database file stops growing.
class Retention {
 public:
  struct Options {
    int64_t retention_ms = int64_t{30} * 24 * 3600 * 1000;
    int step_rows = 200;                     // deliveries looked at, or events removed, a step
    std::chrono::milliseconds pause{5};      // between steps
    std::chrono::milliseconds idle{60'000};  // between passes; at most retention / 10
    std::chrono::milliseconds forget_poll{2'000};  // how often deleted contacts are looked for
  };

  struct Stats {
    int64_t deliveries_removed = 0;
    int64_t events_removed = 0;
    int64_t passes = 0;
    int64_t contacts_forgotten = 0;  // deleted contacts whose history is gone
    int64_t chains_released = 0;     // ordered chains found waiting behind nothing (a bug)
  };

  Retention(Options options, Store& store, const Clock& clock);
  ~Retention();
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  void start();
  // Ends the current step's wait and the thread; safe to call twice.
  void stop();
  Stats stats() const;

  // One whole pass now, on the caller's thread: for tests and for `start`'s thread.
  Result<void> run_pass();
  // Forgets every deleted contact whose history is still stored, now, on the caller's thread.
  Result<void> run_forgetting();

 private:
  void run();
  // Submits one step as a write job and waits for its commit.
  Result<PurgeStep> step(std::function<Result<PurgeStep>(WriteTxn&)> job);
  bool wait(std::chrono::milliseconds duration);  // false once stopping

  const Options options_;
  Store& store_;
  const Clock& clock_;

  std::atomic<int64_t> deliveries_removed_{0};
  std::atomic<int64_t> events_removed_{0};
  std::atomic<int64_t> passes_{0};
  std::atomic<int64_t> contacts_forgotten_{0};
  std::atomic<int64_t> chains_released_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace hookline::store

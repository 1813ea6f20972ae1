#include "ingest/delay_waker.h"

#include <future>

#include "core/logger.h"
#include "core/thread_name.h"

namespace hookline::ingest {

DelayWaker::DelayWaker(Ingest& ingest, std::chrono::milliseconds interval, int batch)
    : ingest_(ingest), interval_(interval), batch_(batch), thread_([this] {
        name_this_thread("hl-waker");
        run();
      }) {}

DelayWaker::~DelayWaker() { stop(); }

void DelayWaker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DelayWaker::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    // One job at a time: wait for it, so a slow store never piles up wake-up jobs.
    int woken = batch_;
    while (woken == batch_) {
      std::promise<Result<int>> done;
      auto result = done.get_future();
      ingest_.wake_due_enrolments(batch_, [&done](Result<int> r) { done.set_value(std::move(r)); });
      auto outcome = result.get();
      if (!outcome) {
        module_logger("ingest")->error("waking delayed enrolments failed: {}",
                                       outcome.error().message);
        break;
      }
      woken = *outcome;
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

}  // namespace hookline::ingest

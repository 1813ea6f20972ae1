#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ingest/ingest.h"

namespace hookline::ingest {

// Wakes journey enrolments whose delay has ended: every `interval`, one write job moves on the
// due ones (more at once when a batch came back full). Delays are durable because the store holds
// them; this only decides when to look.
class DelayWaker {
 public:
  DelayWaker(Ingest& ingest, std::chrono::milliseconds interval, int batch = 500);
  ~DelayWaker();  // stops and joins
  DelayWaker(const DelayWaker&) = delete;
  DelayWaker& operator=(const DelayWaker&) = delete;

  void stop();

 private:
  void run();

  Ingest& ingest_;
  const std::chrono::milliseconds interval_;
  const int batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the members above are ready
};

}  // namespace hookline::ingest

#include "store/sqlite/checkpointer.h"

#include <algorithm>

#include "core/logger.h"
#include "core/thread_name.h"

namespace hookline::store::sqlite {

Checkpointer::Checkpointer(const std::string& path)
    : connection_(path), thread_([this] {
        name_this_thread("hl-checkpoint");
        run();
      }) {}

Checkpointer::~Checkpointer() { stop(); }

bool Checkpointer::after_commit(int wal_frames) {
  bool wake = false;
  bool writer_copies = false;
  {
    std::lock_guard lock(mutex_);
    if (wal_frames < backfilled_) backfilled_ = 0;  // the WAL started over
    const int behind = wal_frames - backfilled_;
    if (!running_) {
      writer_copies = wal_frames >= kWalFramesMax ||
                      (wal_frames >= kWalFrames && behind > 0 && behind <= kTail);
      if (!writer_copies && behind >= kWalFrames && !due_) due_ = wake = true;
    }
  }
  if (wake) wake_.notify_one();
  return writer_copies;
}

void Checkpointer::copied(int frames) {
  std::lock_guard lock(mutex_);
  backfilled_ = std::max(backfilled_, frames);
}

void Checkpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
      running_ = true;
    }
    int wal_frames = 0;
    int copied_frames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(
        connection_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied_frames);
    {
      std::lock_guard lock(mutex_);
      running_ = false;
      if (rc == SQLITE_OK) backfilled_ = std::max(backfilled_, copied_frames);
    }
    // Busy means the writer is copying itself; it does the same work. Any other failure (a full
    // disk) leaves the frames in the WAL, where they stay readable and durable; a later commit
    // asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      module_logger("store")->warn("checkpoint failed: {}",
                                   sqlite_error(connection_.handle(), rc).message);
    }
  }
}

}  // namespace hookline::store::sqlite

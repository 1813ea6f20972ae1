#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_db.h"

namespace hookline::store::sqlite {

// Copies the WAL back into the database file on a thread and connection of its own.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold: the writer, and
// every request waiting on its batch, would wait for thousands of page writes and an fsync of the
// database file. Here the writer's commits only append to the WAL while this thread copies frames
// back (a PASSIVE checkpoint never blocks the writer).
//
// The WAL starts over from its beginning only when a transaction begins after every frame was
// copied back, and beside a busy writer this thread is always a few frames behind. So once it has
// caught up to within kTail frames, the writer copies those last few itself, right after its
// commit (after_commit says when): a small copy, and the WAL stays near kWalFrames.
class Checkpointer {
 public:
  // A checkpoint starts once this many frames wait to be copied (SQLite's own default).
  static constexpr int kWalFrames = 1000;
  // The writer copies the rest itself when no more than this many frames are left.
  static constexpr int kTail = 256;
  // A guard for a checkpoint that cannot keep up: past this size the writer copies regardless.
  static constexpr int kWalFramesMax = 16 * kWalFrames;

  explicit Checkpointer(const std::string& path);  // throws when the file cannot be opened
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // From the writer after each commit, with the WAL's size in frames. Wakes the thread when enough
  // frames wait; returns true when the writer should run a checkpoint itself now. Never blocks on
  // a checkpoint.
  bool after_commit(int wal_frames);
  // From the writer after its own checkpoint: how many frames are copied back.
  void copied(int frames);
  void stop();

 private:
  void run();

  Connection connection_;  // used only by thread_

  std::mutex mutex_;
  std::condition_variable wake_;
  int backfilled_ = 0;     // GUARDED_BY(mutex_): frames of the current WAL copied back
  bool due_ = false;       // GUARDED_BY(mutex_)
  bool running_ = false;   // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)

  std::thread thread_;  // last: starts once the members above are ready
};

}  // namespace hookline::store::sqlite

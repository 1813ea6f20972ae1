#pragma once

#include <utility>

#include "core/prometheus_text.h"
#include "store/write_txn.h"

namespace hookline::store {

// The store's writer: jobs submitted meanwhile run one after another in one transaction on the
// store's writer thread, and `done` of each runs once that transaction committed: one sync to disk
// for the whole batch (none when every job of it is Durability::kRedoable). Never blocks the
// caller.
class GroupCommit {
 public:
  virtual ~GroupCommit() = default;

  virtual void write(WriteJob job, WriteDone done, Durability durability) = 0;
  void write(WriteJob job, WriteDone done) {
    write(std::move(job), std::move(done), Durability::kAcknowledged);
  }
  // Stops the writer after the jobs already submitted. Later submissions fail with kUnavailable.
  virtual void stop_writer() = 0;
  // The writer's batches for /metrics: jobs per batch, and how long each took with its commit.
  virtual void write_writer_metrics(PrometheusText& text) const = 0;
};

}  // namespace hookline::store

#include "store/retention.h"

#include <algorithm>
#include <future>
#include <optional>
#include <string>

#include "core/logger.h"
#include "core/thread_name.h"
#include "store/delivery_tally.h"

namespace hookline::store {

Retention::Retention(Options options, Store& store, const Clock& clock)
    : options_(options), store_(store), clock_(clock) {}

Retention::~Retention() { stop(); }

void Retention::start() {
  thread_ = std::thread([this] {
    name_this_thread("hl-retention");
    run();
  });
}

void Retention::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Retention::Stats Retention::stats() const {
  return {deliveries_removed_.load(), events_removed_.load(), passes_.load(),
          contacts_forgotten_.load(), chains_released_.load()};
}

bool Retention::wait(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

Result<PurgeStep> Retention::step(std::function<Result<PurgeStep>(WriteTxn&)> job) {
  auto out = std::make_shared<Result<PurgeStep>>(PurgeStep{});
  auto committed = std::make_shared<std::promise<Result<void>>>();
  auto future = committed->get_future();
  store_.write(
      [out, job = std::move(job)](WriteTxn& txn) -> Result<void> {
        *out = job(txn);
        if (!*out) return std::unexpected(out->error());
        return {};
      },
      [committed](Result<void> result) { committed->set_value(std::move(result)); });
  if (auto result = future.get(); !result) return std::unexpected(result.error());
  return *out;
}

Result<void> Retention::run_pass() {
  const int64_t cutoff = clock_.now_ms() - options_.retention_ms;
  const int limit = options_.step_rows;
  // Deliveries first: an event is removed only once no kept body needs it.
  for (int64_t after = 0;;) {
    auto done = step([after, cutoff, limit](WriteTxn& txn) {
      return txn.purge_deliveries(after, cutoff, limit);
    });
    if (!done) return std::unexpected(done.error());
    deliveries_removed_ += done->removed;
    after = done->last_seq;
    if (done->finished) break;
    if (!wait(options_.pause)) return {};  // stopping: the next start goes on
  }
  while (true) {
    auto done = step([cutoff, limit](WriteTxn& txn) { return txn.purge_events(cutoff, limit); });
    if (!done) return std::unexpected(done.error());
    events_removed_ += done->removed;
    if (done->finished || !wait(options_.pause)) break;
  }
  // The delivery statistics keep their own span, whatever the retention: they hold no contact's
  // data, and the console's week needs a week of them.
  const int64_t stats_before = clock_.now_ms() / 60'000 - kStatsKeptMinutes;
  auto stats = step([stats_before](WriteTxn& txn) -> Result<PurgeStep> {
    auto removed = txn.purge_delivery_stats(stats_before);
    if (!removed) return std::unexpected(removed.error());
    return PurgeStep{.removed = *removed, .finished = true};
  });
  if (!stats) return std::unexpected(stats.error());
  // An ordered webhook's contact whose calls wait behind nothing would wait for ever: every path
  // that ends a chain's head releases the next, so finding one means something went wrong.
  const int64_t now = clock_.now_ms();
  auto chains = step([now, limit](WriteTxn& txn) -> Result<PurgeStep> {
    auto released = txn.release_headless_chains(now, limit);
    if (!released) return std::unexpected(released.error());
    return PurgeStep{.removed = *released, .finished = true};
  });
  if (!chains) return std::unexpected(chains.error());
  if (chains->removed > 0) {
    module_logger("store")->warn(
        "released {} ordered chain(s) whose queued deliveries waited behind no unfinished one",
        chains->removed);
    chains_released_ += chains->removed;
  }
  ++passes_;
  return {};
}

Result<void> Retention::run_forgetting() {
  const int limit = options_.step_rows;
  while (true) {
    // Each step takes the oldest open request as its last step left it: a restart, or another
    // node forgetting the same contact, goes on from there.
    std::optional<std::string> contact_id;
    auto done = step([&contact_id, limit](WriteTxn& txn) -> Result<PurgeStep> {
      auto request = txn.next_forget_request();
      if (!request) return std::unexpected(request.error());
      if (!*request) return PurgeStep{.finished = true};
      contact_id = (*request)->contact_id;
      return txn.forget_step(**request, limit);
    });
    if (!done) return std::unexpected(done.error());
    if (!contact_id) return {};  // none open
    if (done->finished) {
      ++contacts_forgotten_;
      module_logger("store")->info("forgot the history of deleted contact {}", *contact_id);
    }
    if (!wait(options_.pause)) return {};  // stopping: the next start goes on
  }
}

void Retention::run() {
  const auto idle = std::clamp(std::chrono::milliseconds(options_.retention_ms / 10),
                               std::chrono::milliseconds(1000), options_.idle);
  auto next_pass = std::chrono::steady_clock::now();
  do {
    if (auto forgot = run_forgetting(); !forgot) {
      module_logger("store")->warn("forgetting deleted contacts stopped: {}",
                                   forgot.error().message);
    }
    if (std::chrono::steady_clock::now() >= next_pass) {
      if (auto passed = run_pass(); !passed) {
        // A full disk or a stopping store: nothing is lost by waiting for the next pass.
        module_logger("store")->warn("retention pass stopped: {}", passed.error().message);
      }
      next_pass = std::chrono::steady_clock::now() + idle;
    }
  } while (wait(std::min(options_.forget_poll, idle)));
}

}  // namespace hookline::store

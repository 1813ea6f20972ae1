#include "store/postgres/pg_cluster_watch.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"
#include "store/test_secrets.h"

namespace hookline::store::postgres {
namespace {

using PgClusterWatchTest = PgTest;

bool within(std::chrono::milliseconds limit, const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// What one node commits reaches every node's watch: the webhook changed, a breaker's news, and
// work made due now. Work due later, or a write that made nothing due, says nothing.
TEST_F(PgClusterWatchTest, EveryNodeHearsWhatOneCommits) {
  PgStore store(database_.uri(), test_secret_box(), database_.name());
  ASSERT_TRUE(store.migrate());
  std::atomic<int> due{0};
  std::mutex mutex;
  std::vector<BreakerNews> news;
  const auto watch = store.watch_cluster({.webhook_changed = nullptr,
                                          .breaker_changed =
                                              [&](const BreakerNews& heard) {
                                                std::lock_guard lock(mutex);
                                                news.push_back(heard);
                                              },
                                          .work_due = [&due] { ++due; }});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // LISTEN is in place

  const auto run = [&store](WriteJob job) {
    std::promise<Result<void>> done;
    store.write(std::move(job), [&done](Result<void> r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  };
  // Nothing released: nothing said.
  ASSERT_TRUE(run([](WriteTxn& txn) -> Result<void> {
    auto released = txn.release_webhook_deliveries("wh_none", 1000);
    if (!released) return std::unexpected(released.error());
    return {};
  }));
  Delivery d;
  d.id = "d1";
  d.workspace_id = "w";
  d.webhook_id = "wh";
  d.event_id = "e1";
  d.event_name = "n";
  d.body = "{}";
  d.lease = {"node-a", 1};
  d.next_attempt_at = d.created_at = d.updated_at = 1000;
  ASSERT_TRUE(run([&d](WriteTxn& txn) -> Result<void> {
    auto seq = txn.insert_delivery(d);
    if (!seq) return std::unexpected(seq.error());
    d.seq = *seq;
    return {};
  }));
  ASSERT_TRUE(run([&d](WriteTxn& txn) {
    return txn.release_deliveries("node-a", {{d.seq, 1}}, 1000);
  }));
  ASSERT_TRUE(within(std::chrono::seconds(5), [&] { return due.load() == 1; }));
  ASSERT_TRUE(run([](WriteTxn& txn) -> Result<void> {
    auto since = txn.share_breaker({.node_id = "node-a",
                                    .webhook_id = "wh",
                                    .open = true,
                                    .open_until_ms = 9000,
                                    .interval_ms = 5000,
                                    .consecutive_failures = 5});
    if (!since) return std::unexpected(since.error());
    return {};
  }));
  ASSERT_TRUE(within(std::chrono::seconds(5), [&] {
    std::lock_guard lock(mutex);
    return news.size() == 1;
  }));
  EXPECT_EQ(news[0].webhook_id, "wh");
  EXPECT_EQ(news[0].open_until_ms, 9000);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(due.load(), 1) << "only the release due now said work was due";
}

}  // namespace
}  // namespace hookline::store::postgres

#include <gtest/gtest.h>

#include <future>

#include "core/ids.h"
#include "store/store_contract_fixture.h"

// The Store contract for delivery statistics, on both backends: tries counted as they are
// recorded, per webhook and minute, and read back over a window.
namespace hookline::store {
namespace {

using DeliveryStatsContractTest = StoreContractTest;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kBase = 29'000'000;  // a minute number: 2025-02-21, well after 0

AttemptRecord try_of(const std::string& workspace, const std::string& webhook, int64_t minute,
                     DeliveryStatus status, int64_t duration_ms) {
  AttemptRecord record;
  record.attempt.workspace_id = workspace;
  record.attempt.webhook_id = webhook;
  record.attempt.started_at = minute * kMinute + 1234;
  record.attempt.duration_ms = duration_ms;
  record.status = status;
  return record;
}

StatsWindow window_of(int64_t from, int64_t until, int64_t step, std::string webhook = "") {
  return {.from_minute = from, .until_minute = until, .step_minutes = step, .webhook_id = webhook};
}

TEST_P(DeliveryStatsContractTest, TriesAddUpPerWebhookAndMinuteAndAFailedJobCountsNone) {
  // The first job holds the writer until the others are queued, so they share one batch.
  std::promise<void> gate;
  auto opened = gate.get_future().share();
  std::vector<std::promise<Result<void>>> promises(4);
  std::vector<std::future<Result<void>>> results;
  for (auto& p : promises) results.push_back(p.get_future());
  store_->write(
      [opened](WriteTxn&) -> Result<void> {
        opened.wait();
        return {};
      },
      [&promises](Result<void> r) { promises[0].set_value(std::move(r)); });
  const std::vector<std::vector<AttemptRecord>> jobs = {
      {try_of(workspace_, "w1", kBase, DeliveryStatus::kSucceeded, 8),
       try_of(workspace_, "w1", kBase, DeliveryStatus::kRetrying, 300)},
      // This job fails: its tries are not counted.
      {try_of(workspace_, "w1", kBase, DeliveryStatus::kDead, 300)},
      {try_of(workspace_, "w1", kBase + 1, DeliveryStatus::kDead, 2000),
       try_of(workspace_, "w2", kBase, DeliveryStatus::kSucceeded, 40),
       try_of("another-workspace", "w9", kBase, DeliveryStatus::kSucceeded, 40)}};
  for (size_t i = 0; i < jobs.size(); ++i) {
    store_->write(
        [&, i](WriteTxn& txn) -> Result<void> {
          for (const AttemptRecord& record : jobs[i]) txn.count_attempt(record);
          if (i == 1) return std::unexpected(Error::validation("x", "this job fails"));
          return {};
        },
        [&promises, i](Result<void> r) { promises[i + 1].set_value(std::move(r)); });
  }
  gate.set_value();
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].get().has_value(), i != 2) << "job " << i;
  }
  // A later batch of another node: a row of its own (nodes never wait for each other's rows),
  // read together with this one's.
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    AttemptRecord other_node = try_of(workspace_, "w1", kBase, DeliveryStatus::kSucceeded, 9);
    other_node.lease.owner = "node-b";
    txn.count_attempt(other_node);
    return true;
  }));

  // Minutes kBase - 1 to kBase + 2 in steps of 2: [kBase - 1, kBase] and [kBase + 1, kBase + 2].
  auto report = store_->delivery_stats(workspace_, window_of(kBase - 1, kBase + 3, 2));
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->steps.size(), 2u);
  const AttemptCounts& first = report->steps[0];
  EXPECT_EQ(first.attempts, 4);  // w1: 8 ms ok, 300 ms failed, 9 ms ok; w2: 40 ms ok
  EXPECT_EQ(first.succeeded, 3);
  EXPECT_EQ(first.dead, 0);
  EXPECT_EQ(first.duration_ms, 357);
  EXPECT_EQ(first.latency[latency_bucket(8)], 2);
  EXPECT_EQ(first.latency[latency_bucket(40)], 1);
  EXPECT_EQ(first.latency[latency_bucket(300)], 1);
  const AttemptCounts& second = report->steps[1];
  EXPECT_EQ(second.attempts, 1);
  EXPECT_EQ(second.dead, 1);
  EXPECT_EQ(second.latency[latency_bucket(2000)], 1);

  ASSERT_EQ(report->by_webhook.size(), 2u);
  EXPECT_EQ(report->by_webhook[0].first, "w1");
  EXPECT_EQ(report->by_webhook[0].second.attempts, 4);
  EXPECT_EQ(report->by_webhook[0].second.dead, 1);
  EXPECT_EQ(report->by_webhook[1].first, "w2");
  EXPECT_EQ(report->by_webhook[1].second.attempts, 1);

  // One webhook's: the others' tries are not in it, and no per-webhook list.
  auto w2 = store_->delivery_stats(workspace_, window_of(kBase, kBase + 2, 1, "w2"));
  ASSERT_TRUE(w2);
  ASSERT_EQ(w2->steps.size(), 2u);
  EXPECT_EQ(w2->steps[0].attempts, 1);
  EXPECT_EQ(w2->steps[1].attempts, 0);
  EXPECT_TRUE(w2->by_webhook.empty());

  // Another workspace's tries are its own.
  auto other = store_->delivery_stats("another-workspace", window_of(kBase, kBase + 1, 1));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->steps[0].attempts, 1);
  ASSERT_EQ(other->by_webhook.size(), 1u);
  EXPECT_EQ(other->by_webhook[0].first, "w9");

  // A window with no tries has its steps, all zero.
  auto quiet = store_->delivery_stats(workspace_, window_of(kBase + 10, kBase + 70, 15));
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->steps.size(), 4u);
  for (const AttemptCounts& step : quiet->steps) EXPECT_EQ(step, AttemptCounts{});

  // Retention removes whole minutes before the cutoff.
  auto removed = write<int64_t>([&](WriteTxn& txn) { return txn.purge_delivery_stats(kBase + 1); });
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 4);  // kBase's rows of w1 (two nodes), w2 and w9
  report = store_->delivery_stats(workspace_, window_of(kBase - 1, kBase + 3, 2));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->steps[0].attempts, 0);
  EXPECT_EQ(report->steps[1].attempts, 1);
}

// Through the delivery queue, as the dispatcher records its tries: a try the store refused (its
// lease had ended) is not counted; the others are.
TEST_P(DeliveryStatsContractTest, OnlyTheTriesTheStoreRecordedAreCounted) {
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 2; ++i) {
    Delivery d;
    d.id = new_uuid_v7(kBase * kMinute + i);
    d.workspace_id = workspace_;
    d.webhook_id = "w1";
    d.event_id = "e1";
    d.event_name = "contact.create";
    d.body = "{}";
    d.next_attempt_at = kBase * kMinute + 60'000;
    d.created_at = d.updated_at = kBase * kMinute;
    d.lease = {"node-a", 0};
    deliveries.push_back(d);
  }
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (Delivery& d : deliveries) {
      auto seq = txn.insert_delivery(d);
      if (!seq) return std::unexpected(seq.error());
      d.seq = *seq;
    }
    return true;
  }));
  std::vector<AttemptRecord> turn;
  for (const Delivery& d : deliveries) {
    AttemptRecord record = try_of(workspace_, "w1", kBase, DeliveryStatus::kSucceeded, 20);
    record.attempt.delivery_id = d.id;
    record.attempt.delivery_seq = d.seq;
    record.attempt.number = 1;
    record.attempt.request_method = "POST";
    record.attempt.request_url = "http://127.0.0.1:1/x";
    record.attempt.request_headers = "{}";
    record.attempt.response_status = 200;
    record.lease = {"node-a", 1};
    turn.push_back(record);
  }
  turn[1].lease = {"node-a", 7};  // another claim's number: refused
  std::promise<Result<std::vector<std::optional<Error>>>> recorded;
  store_->delivery_queue().record(turn, kBase * kMinute + 2000, [&recorded](auto outcomes) {
    recorded.set_value(std::move(outcomes));
  });
  auto outcomes = recorded.get_future().get();
  ASSERT_TRUE(outcomes);
  EXPECT_FALSE(outcomes->at(0).has_value());
  EXPECT_TRUE(outcomes->at(1).has_value());

  auto report = store_->delivery_stats(workspace_, window_of(kBase, kBase + 1, 1));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->steps[0].attempts, 1);
  EXPECT_EQ(report->steps[0].succeeded, 1);
}

INSTANTIATE_STORE_CONTRACT(DeliveryStatsContractTest);

}  // namespace
}  // namespace hookline::store

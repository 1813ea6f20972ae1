// Retention over the real SQLite store: what goes, what stays, and the space it frees.
#include "store/retention.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/sqlite/sqlite_store_fixture.h"

namespace hookline::store::sqlite {
namespace {

class ManualClock final : public Clock {
 public:
  int64_t now_ms() const override { return now; }
  int64_t now = 0;
};

class RetentionTest : public SqliteStoreTest {
 protected:
  static constexpr int64_t kRetention = 10'000;

  Event event(const std::string& id, int64_t at) {
    Event e;
    e.id = id;
    e.name = "order.paid";
    e.time_ms = at;
    e.details = boost::json::parse(R"({"order":")" + id + R"("})").as_object();
    return e;
  }
  // An event received at `at` and, unless `with_delivery` is false, its delivery (body made from
  // it); returns the delivery.
  Delivery ingest(const Event& e, int64_t at, bool with_delivery = true) {
    Delivery d;
    d.id = new_uuid_v7(at);
    d.workspace_id = workspace_;
    d.webhook_id = "h";
    d.event_id = e.id;
    d.event_name = e.name;
    d.body = R"({"id":")" + e.id + R"(","data":{"event_details":)" +
             boost::json::serialize(e.details) + "}}";
    d.next_attempt_at = at;
    d.lease = {"node-a", 0};  // as ingest hands it to its dispatcher
    d.created_at = d.updated_at = at;
    EXPECT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
      if (auto r = txn.insert_event(workspace_, e, "c", at); !r) return r;
      if (!with_delivery) return true;
      auto seq = txn.insert_delivery(d);
      if (!seq) return std::unexpected(seq.error());
      d.seq = *seq;
      return true;
    }));
    return d;
  }
  // The outcome of a try under the delivery's `lease_number`th claim (1: the one ingest made).
  void finish(const Delivery& d, DeliveryStatus status, int64_t at, int64_t lease_number = 1) {
    AttemptRecord record;
    record.attempt.delivery_id = d.id;
    record.attempt.delivery_seq = d.seq;
    record.attempt.number = 1;
    record.attempt.started_at = at;
    record.attempt.request_method = "POST";
    record.attempt.request_headers = "{}";
    record.attempt.response_status = status == DeliveryStatus::kSucceeded ? 200 : 500;
    record.status = status;
    record.next_attempt_at = at + 1'000;
    record.lease = {"node-a", lease_number};
    ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
      if (auto r = txn.record_attempt(record, at); !r) return std::unexpected(r.error());
      return true;
    }));
  }
  bool event_stored(const std::string& id) {
    return *write<bool>([&](WriteTxn& txn) { return txn.event_exists(workspace_, id); });
  }
  bool delivery_stored(const Delivery& d) {
    return store_->get_delivery(workspace_, d.id).has_value();
  }

  Retention retention(int step_rows = 200) {
    return Retention({.retention_ms = kRetention, .step_rows = step_rows, .pause = {}}, *store_,
                     clock_);
  }

  ManualClock clock_;
};

TEST_F(RetentionTest, EndedDeliveriesAndOldEventsGoWhatIsStillOwedStays) {
  const Delivery sent = ingest(event("e1", 1000), 1000);
  const Delivery owed = ingest(event("e2", 1000), 1000);
  ingest(event("e3", 1500), 1500, /*with_delivery=*/false);
  const Delivery recent = ingest(event("e4", 40'000), 40'000);
  finish(sent, DeliveryStatus::kSucceeded, 2000);
  finish(owed, DeliveryStatus::kRetrying, 2000);
  finish(recent, DeliveryStatus::kSucceeded, 41'000);

  clock_.now = 20'000;  // cut-off 10 s: sent ended before it; owed is still retrying
  Retention purge = retention();
  ASSERT_TRUE(purge.run_pass());
  EXPECT_FALSE(delivery_stored(sent));
  EXPECT_TRUE(store_->list_attempts(workspace_, sent.id)->empty());
  ASSERT_TRUE(delivery_stored(owed));
  // The retrying delivery's event is kept, and with it its body's details, and every later event.
  EXPECT_EQ(store_->get_delivery(workspace_, owed.id)->body, owed.body);
  EXPECT_FALSE(event_stored("e1"));
  EXPECT_TRUE(event_stored("e2"));
  EXPECT_TRUE(event_stored("e3"));
  EXPECT_EQ(purge.stats().deliveries_removed, 1);
  EXPECT_EQ(purge.stats().events_removed, 1);

  // Once it ended and aged, it goes too, and the events it held back follow. (Its retry is claimed
  // first: the second lease of it.)
  auto retry = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 30'000, 60'000, 10); });
  ASSERT_TRUE(retry);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ(retry->at(0).id, owed.id);
  finish(owed, DeliveryStatus::kDead, 30'000, /*lease_number=*/2);
  clock_.now = 45'000;
  ASSERT_TRUE(purge.run_pass());
  EXPECT_FALSE(delivery_stored(owed));
  EXPECT_FALSE(event_stored("e2"));
  EXPECT_FALSE(event_stored("e3"));
  EXPECT_TRUE(event_stored("e4"));
  EXPECT_TRUE(delivery_stored(recent));
  EXPECT_EQ(store_->get_delivery(workspace_, recent.id)->body, recent.body);
}

TEST_F(RetentionTest, PagingGoesOnWhenThePageBeforeEndedOnARemovedDelivery) {
  const Delivery owed = ingest(event("p1", 1000), 1000);
  const Delivery sent = ingest(event("p2", 1000), 1000);
  const Delivery recent = ingest(event("p3", 40'000), 40'000);
  finish(owed, DeliveryStatus::kRetrying, 2000);
  finish(sent, DeliveryStatus::kSucceeded, 2000);
  auto first = store_->list_deliveries(workspace_, {}, {2, ""});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[1].id, sent.id);  // the cursor

  clock_.now = 20'000;
  ASSERT_TRUE(retention().run_pass());
  ASSERT_FALSE(delivery_stored(sent));
  auto rest = store_->list_deliveries(workspace_, {}, {2, first->next_cursor});
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].id, owed.id);
  EXPECT_EQ(first->items[0].id, recent.id);
}

TEST_F(RetentionTest, ALongLogGoesInStepsAndItsSpaceIsReused) {
  std::vector<Delivery> old;
  for (int i = 0; i < 600; ++i) {
    old.push_back(ingest(event("o" + std::to_string(i), 1000), 1000));
    finish(old.back(), DeliveryStatus::kSucceeded, 1000);
  }
  const auto full = store_->storage_stats();
  ASSERT_TRUE(full);

  clock_.now = 20'000;
  Retention purge = retention(/*step_rows=*/50);
  ASSERT_TRUE(purge.run_pass());
  EXPECT_EQ(purge.stats().deliveries_removed, 600);
  EXPECT_EQ(purge.stats().events_removed, 600);
  const auto emptied = store_->storage_stats();
  EXPECT_GT(emptied->free_bytes, full->free_bytes);

  for (int i = 0; i < 600; ++i) {
    const Delivery d = ingest(event("n" + std::to_string(i), 20'000), 20'000);
    finish(d, DeliveryStatus::kSucceeded, 20'000);
  }
  EXPECT_LE(store_->storage_stats()->database_bytes, full->database_bytes);
}

}  // namespace
}  // namespace hookline::store::sqlite

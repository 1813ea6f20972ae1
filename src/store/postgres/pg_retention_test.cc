#include <gtest/gtest.h>

#include <future>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"
#include "store/test_secrets.h"

namespace hookline::store::postgres {
namespace {

using PgRetentionTest = PgTest;

// Two nodes' writers number rows as they insert them, so a body can come before another whose
// event is older. Retention must keep every event a body still needs, whatever the order: here
// body 1 needs event 2 and body 2 needs event 1, as two writers interleaving would leave them.
TEST_F(PgRetentionTest, AnEventABodyNeedsStaysWhateverOrderTheWritersNumberedThem) {
  PgStore store(database_.uri(), test_secret_box(), database_.name());
  ASSERT_TRUE(store.migrate());
  auto db = connect();
  for (const char* sql : {
           "INSERT INTO events (seq, workspace_id, id, name, contact_id, time_ms, details, "
           "received_at) OVERRIDING SYSTEM VALUE VALUES (1, 'w', 'e1', 'n', 'c', 1, '{}', 1), (2, "
           "'w', "
           "'e2', 'n', 'c', 1, '{}', 1), (3, 'w', 'e3', 'n', 'c', 1, '{}', 1)",
           "INSERT INTO delivery_bodies (seq, body, event_seq, details_at) VALUES (1, '{}', 2, "
           "0), (2, '{}', 1, 0)",
       }) {
    auto done = db->exec(sql);
    ASSERT_TRUE(done) << done.error().message;
  }
  std::promise<Result<PurgeStep>> purged;
  store.write(
      [&](WriteTxn& txn) -> Result<void> {
        purged.set_value(txn.purge_events(/*cutoff_ms=*/1'000, /*limit=*/100));
        return {};
      },
      nullptr);
  auto step = purged.get_future().get();
  ASSERT_TRUE(step) << step.error().message;
  EXPECT_EQ(step->removed, 0) << "every old event is at or after the oldest one a body needs";
  auto left = db->query("SELECT count(*) FROM events");
  ASSERT_TRUE(left);
  EXPECT_EQ(left->integer(0, 0), 3);

  // Once no body needs event 1, it goes; 2 and 3 stay behind the body that needs 2.
  ASSERT_TRUE(db->exec("DELETE FROM delivery_bodies WHERE seq = 2"));
  std::promise<Result<PurgeStep>> again;
  store.write(
      [&](WriteTxn& txn) -> Result<void> {
        again.set_value(txn.purge_events(1'000, 100));
        return {};
      },
      nullptr);
  step = again.get_future().get();
  ASSERT_TRUE(step);
  EXPECT_EQ(step->removed, 1);
}

// A batch's events are known new to the store when the job starts (prefetch_events), so their
// inserts travel with their deliveries'. Another node storing the same id in between fails the
// job, and nothing of it lands: the client's retry then finds the event stored.
TEST_F(PgRetentionTest, AnEventStoredThroughAnotherNodeMeanwhileFailsTheJobToBeSentAgain) {
  PgStore store(database_.uri(), test_secret_box(), database_.name());
  ASSERT_TRUE(store.migrate());
  auto other_node = connect();
  std::promise<Result<void>> done;
  store.write(
      [&](WriteTxn& txn) -> Result<void> {
        if (auto r = txn.prefetch_events("w", {"e0", "e1"}, {}); !r) return r;
        if (!*txn.event_exists("w", "e1")) {
          auto raced = other_node->exec(
              "INSERT INTO events (workspace_id, id, name, contact_id, time_ms, details, "
              "received_at) VALUES ('w', 'e1', 'n', 'c', 1, '{\"by\":\"other\"}', 1)");
          if (!raced) return raced;
        }
        auto inserted = txn.insert_event("w", {"e1", "n", 1, {{"by", "this"}}}, "c", 1);
        if (!inserted) return std::unexpected(inserted.error());
        Delivery d;
        d.id = "d1";
        d.workspace_id = "w";
        d.webhook_id = "wh";
        d.event_id = "e1";
        d.event_name = "n";
        d.body = R"({"details":{"by":"this"}})";
        d.next_attempt_at = d.created_at = d.updated_at = 1;
        if (auto seq = txn.insert_delivery(d); !seq) return std::unexpected(seq.error());
        return {};
      },
      [&](Result<void> committed) { done.set_value(std::move(committed)); });
  auto result = done.get_future().get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable) << result.error().message;
  auto deliveries = other_node->query("SELECT count(*) FROM deliveries");
  EXPECT_EQ(deliveries->integer(0, 0), 0);
  auto event = other_node->query("SELECT details FROM events WHERE id = 'e1'");
  ASSERT_EQ(event->rows(), 1);
  EXPECT_EQ(event->text(0, 0), R"({"by":"other"})");
}

}  // namespace
}  // namespace hookline::store::postgres

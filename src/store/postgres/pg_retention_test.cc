#include <gtest/gtest.h>

#include <future>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_test_database.h"

namespace hookline::store::postgres {
namespace {

using PgRetentionTest = PgTest;

// Two nodes' writers number rows as they insert them, so a body can come before another whose
// event is older. Retention must keep every event a body still needs, whatever the order: here
// body 1 needs event 2 and body 2 needs event 1, as two writers interleaving would leave them.
TEST_F(PgRetentionTest, AnEventABodyNeedsStaysWhateverOrderTheWritersNumberedThem) {
  PgStore store(database_.uri(), database_.name());
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

}  // namespace
}  // namespace hookline::store::postgres

// Databases made by earlier versions keep what they hold through each schema change.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "core/clock.h"
#include "core/ids.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_secrets.h"

namespace hookline::store::sqlite {
namespace {

// A database file with the schema of `version`, rows added by `rows`.
class OldDatabase {
 public:
  OldDatabase(int version, const std::string& rows)
      : dir_(std::filesystem::temp_directory_path() / ("hookline-migrate-" + random_token(6))) {
    std::filesystem::create_directories(dir_);
    Connection old(path());
    EXPECT_TRUE(
        old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at INTEGER NOT NULL DEFAULT (unixepoch()))"));
    for (const Migration& m : migrations()) {
      if (m.version > version) break;
      EXPECT_TRUE(old.exec(m.sql)) << m.name;
      EXPECT_TRUE(old.exec("INSERT INTO schema_migrations (version, name) VALUES (" +
                           std::to_string(m.version) + ", 'old')"));
    }
    EXPECT_TRUE(old.exec(rows));
  }
  ~OldDatabase() { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "old.db").string(); }

 private:
  std::filesystem::path dir_;
};

template <typename T>
Result<T> write(Store& store, std::function<Result<T>(WriteTxn&)> job) {
  std::optional<Result<T>> out;
  std::promise<Result<void>> committed;
  store.write(
      [&](WriteTxn& txn) -> Result<void> {
        out = job(txn);
        if (!*out) return std::unexpected(out->error());
        return {};
      },
      [&](Result<void> result) { committed.set_value(std::move(result)); });
  if (auto result = committed.get_future().get(); !result) return std::unexpected(result.error());
  return std::move(*out);
}

// Version 5 kept bodies inside deliveries and keyed attempts by the delivery's UUID; version 6
// numbers rows and keeps bodies apart. Every delivery, body, attempt and event id survives.
TEST(SqliteMigrationTest, TheDeliveryLogOfVersion5SurvivesTheLeanSchema) {
  const std::string body_a = R"({"id":"e1","data":{"name":"Ação ✓"}})";
  OldDatabase old(
      5,
      "INSERT INTO workspaces VALUES ('w', 'w', 0);"
      "INSERT INTO events VALUES ('w', 'e1', 'list.add_contact', 'c1', 100, '{\"k\":1}', 101),"
      "  ('w', 'e2', 'email.click', 'c1', 200, '{}', 201);"
      "INSERT INTO deliveries (id, workspace_id, webhook_id, event_id, event_name, body, status, "
      "  attempts, schedule_base, next_attempt_at, leased, last_status, last_error, "
      "  last_duration_ms, created_at, updated_at) VALUES"
      "  ('0190a000-0000-7000-8000-000000000001', 'w', 'h1', 'e1', 'list.add_contact', '" +
          body_a +
          "', 'succeeded', 2, 0, 0, 0, 200, '', 12, 1000, 1500),"
          "  ('0190a000-0000-7000-8000-000000000002', 'w', 'h1', 'e2', 'email.click', '{\"id\":"
          "\"e2\"}', 'retrying', 1, 0, 9000, 1, 500, '', 30, 2000, 2100),"
          "  ('0190a000-0000-7000-8000-000000000003', 'w', 'h2', 'e2', 'email.click', '{}', "
          "'dead', 1, 0, 0, 0, NULL, 'connect_refused', 3, 3000, 3100);"
          "INSERT INTO attempts VALUES"
          "  ('0190a000-0000-7000-8000-000000000001', 1, 1000, 10, 'POST', 'http://r/1', "
          "'{\"webhook-id\":\"x\"}', 500, '{\"a\":\"b\"}', 'boom', '', ''),"
          "  ('0190a000-0000-7000-8000-000000000001', 2, 1400, 12, 'POST', 'http://r/1', '{}', "
          "200, '{}', 'ok', '', ''),"
          "  ('0190a000-0000-7000-8000-000000000003', 1, 3000, 3, 'PUT', 'http://r/3', '{}', "
          "NULL, '', '', 'connect_refused', 'refused');");

  SqliteStore store(old.path(), test_secret_box());
  auto applied = store.migrate();
  ASSERT_TRUE(applied);
  ASSERT_FALSE(applied->empty());
  EXPECT_EQ(applied->front(), 6);

  auto first = store.get_delivery("w", "0190a000-0000-7000-8000-000000000001");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, body_a);
  EXPECT_EQ(first->status, DeliveryStatus::kSucceeded);
  EXPECT_EQ(first->attempts, 2);
  EXPECT_EQ(first->last_status, 200);
  EXPECT_EQ(first->last_duration_ms, 12);
  EXPECT_EQ(first->updated_at, 1500);
  auto attempts = store.list_attempts("w", first->id);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ(attempts->at(0).number, 1);
  EXPECT_EQ(attempts->at(0).request_headers, R"({"webhook-id":"x"})");
  EXPECT_EQ(attempts->at(0).response_status, 500);
  EXPECT_EQ(attempts->at(0).response_headers, R"({"a":"b"})");
  EXPECT_EQ(attempts->at(0).response_body, "boom");
  EXPECT_EQ(attempts->at(1).response_body, "ok");
  auto dead_attempts = store.list_attempts("w", "0190a000-0000-7000-8000-000000000003");
  ASSERT_EQ(dead_attempts->size(), 1u);
  EXPECT_EQ(dead_attempts->at(0).request_method, "PUT");
  EXPECT_FALSE(dead_attempts->at(0).response_status);
  EXPECT_EQ(dead_attempts->at(0).error_message, "refused");

  // The log pages newest first, as before; new deliveries come after the old ones.
  Delivery fresh;
  fresh.id = new_uuid_v7(4000);
  fresh.workspace_id = "w";
  fresh.webhook_id = "h1";
  fresh.event_id = "e3";
  fresh.event_name = "email.click";
  fresh.body = "{}";
  fresh.next_attempt_at = 100'000;  // not due in this test
  fresh.created_at = fresh.updated_at = 4000;
  ASSERT_TRUE(write<int64_t>(store, [&](WriteTxn& txn) { return txn.insert_delivery(fresh); }));
  auto page = store.list_deliveries("w", {}, {2, ""});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, fresh.id);
  EXPECT_EQ(page->items[1].id, "0190a000-0000-7000-8000-000000000003");
  auto rest = store.list_deliveries("w", {}, {10, page->next_cursor});
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[1].id, first->id);

  // The retrying delivery is still owed, with its body. Its lease (no owner before version 7) ended
  // with the migration, so no node's start has to release it.
  EXPECT_EQ(*store.delivery_queue().release_leases_of("node-a", 5000), 0);
  auto due = write<std::vector<Delivery>>(
      store, [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 9000, 60'000, 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0).id, "0190a000-0000-7000-8000-000000000002");
  EXPECT_EQ(due->at(0).body, R"({"id":"e2"})");

  // Event ids still deduplicate.
  auto seen = write<bool>(store, [](WriteTxn& txn) { return txn.event_exists("w", "e1"); });
  ASSERT_TRUE(seen);
  EXPECT_TRUE(*seen);
}

// Version 6 leases had no owner; version 7 names the node that holds each. A lease left by a
// version 6 process that stopped ends with the migration (as that version's start-up ended it),
// and the delivery is claimed under lease number 2.
TEST(SqliteMigrationTest, LeasesOfVersion6EndWithTheMigration) {
  OldDatabase old(
      6,
      "INSERT INTO deliveries (id, workspace_id, webhook_id, event_id, event_name, status, "
      "  attempts, next_attempt_at, leased, created_at, updated_at) VALUES"
      "  ('0190a000-0000-7000-8000-000000000001', 'w', 'h1', 'e1', 'email.click', 'pending', 0, "
      "   99999999999999, 1, 1000, 1000),"
      "  ('0190a000-0000-7000-8000-000000000002', 'w', 'h1', 'e2', 'email.click', 'pending', 0, "
      "   99999999999999, 0, 2000, 2000);"
      "INSERT INTO delivery_bodies (seq, body) VALUES (1, '{\"n\":1}'), (2, '{\"n\":2}');");
  SqliteStore store(old.path(), test_secret_box());
  auto applied = store.migrate();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, (std::vector<int>{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}));

  const int64_t now = SystemClock().now_ms();
  auto due = write<std::vector<Delivery>>(
      store, [&](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", now, 60'000, 10); });
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);  // the one that was leased; the other is due in the far future
  EXPECT_EQ(due->at(0).id, "0190a000-0000-7000-8000-000000000001");
  EXPECT_EQ(due->at(0).body, R"({"n":1})");
  EXPECT_EQ(due->at(0).lease.owner, "node-a");
  EXPECT_EQ(due->at(0).lease.number, 2);
  auto unleased = store.get_delivery("w", "0190a000-0000-7000-8000-000000000002");
  ASSERT_TRUE(unleased);
  EXPECT_FALSE(unleased->lease.held());
  EXPECT_EQ(unleased->lease.number, 0);
}

// Keys of version 7 had no id, scope or expiry, and could do everything: after version 8 they are
// instance admin keys with an id, and still open their workspace.
TEST(SqliteMigrationTest, KeysOfVersion7BecomeInstanceAdminKeys) {
  OldDatabase old(7,
                  "INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Default', 1);"
                  "INSERT INTO api_keys (key_hash, workspace_id, name, created_at) VALUES "
                  "  ('hash-1', 'w', 'first start', 1000), ('hash-2', 'w', 'ci', 2000);");
  SqliteStore store(old.path(), test_secret_box());
  auto applied = store.migrate();
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->front(), 8);

  auto first = store.find_api_key("hash-1");
  auto second = store.find_api_key("hash-2");
  ASSERT_TRUE(first && first->has_value());
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*first)->workspace_id, "w");
  EXPECT_EQ((*first)->name, "first start");
  EXPECT_EQ((*first)->scope, KeyScope::kAdmin);
  EXPECT_TRUE((*first)->instance);
  EXPECT_EQ((*first)->created_at, 1000);
  EXPECT_FALSE((*first)->expires_at.has_value());
  EXPECT_FALSE((*first)->id.empty());
  EXPECT_NE((*first)->id, (*second)->id);
  auto listed = store.list_api_keys("w", {});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->items.size(), 2u);
}

// Version 19 had one graph per journey; version 20 keeps each version's. A journey becomes its
// version 1, and a contact waiting in it goes on on that version.
TEST(SqliteMigrationTest, JourneysOfVersion19BecomeTheirVersion1) {
  OldDatabase old(
      19,
      "INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Default', 1);"
      "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, trigger_event, "
      "  created_at, updated_at, goal_event, wait_events) VALUES ('j', 'w', 'Welcome', 'active', "
      "  'every_time', '{\"blocks\":[],\"edges\":[]}', 'signed_up', 1000, 2000, 'order.paid', '');"
      "INSERT INTO enrolments (id, workspace_id, journey_id, contact_id, block_id, status, "
      "  wake_at, event, depth, created_at, updated_at) VALUES ('e', 'w', 'j', 'c', 'd', "
      "  'waiting', 5000, '{}', 0, 3000, 3000);");
  SqliteStore store(old.path(), test_secret_box());
  auto applied = store.migrate();
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->front(), 20);

  auto journey = store.get_journey("w", "j");
  ASSERT_TRUE(journey) << journey.error().message;
  EXPECT_EQ(journey->version, 1);
  auto versions = store.journey_versions("w", "j");
  ASSERT_TRUE(versions) << versions.error().message;
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->at(0).version, 1);
  EXPECT_EQ(versions->at(0).created_at, 2000);
  EXPECT_EQ(versions->at(0).waiting, 1);
  auto first = store.get_journey_version("w", "j", 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->graph, journey->graph);
  // The old goal still takes out the contacts of version 1.
  auto goals = write<std::shared_ptr<const std::vector<JourneyRow>>>(
      store, [](WriteTxn& txn) { return txn.active_journeys_with_goal("w", "order.paid"); });
  ASSERT_TRUE(goals);
  ASSERT_EQ((*goals)->size(), 1u);
  EXPECT_EQ((*goals)->at(0).version, 1);
  auto enrolments = store.contact_enrolments("w", "c", {});
  ASSERT_TRUE(enrolments);
  ASSERT_EQ(enrolments->items.size(), 1u);
  EXPECT_EQ(enrolments->items[0].journey_version, 1);
}

// Version 20 counted a journey's runs over all its versions; 21 counts them per version. A journey
// that never had a second version has its runs on version 1; the runs of one that had can no
// longer be told apart: they stay in the journey's counts and are in no version's.
TEST(SqliteMigrationTest, JourneyCountsOfVersion20GoToVersion1WhereThereWasNoOther) {
  OldDatabase old(
      20,
      "INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Default', 1);"
      "INSERT INTO journeys (id, workspace_id, name, status, reentry, graph, trigger_event, "
      "  created_at, updated_at, goal_event, wait_events, version) VALUES "
      "  ('one', 'w', 'One', 'active', 'every_time', '{}', 'e', 1, 1, '', '', 1), "
      "  ('two', 'w', 'Two', 'active', 'every_time', '{}', 'e', 1, 1, '', '', 2);"
      "INSERT INTO journey_path_counts (journey_id, path, runs) VALUES "
      "  ('one', '=1:t+1:d', 5), ('two', '=1:t', 7), ('two', '-1:d', 2);");
  SqliteStore store(old.path(), test_secret_box());
  auto applied = store.migrate();
  ASSERT_TRUE(applied);
  EXPECT_EQ(*applied, std::vector<int>{21});

  auto one = store.version_stats("w", "one", 1);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->at("t").entered, 5);
  EXPECT_EQ(one->at("d").entered, 5);
  EXPECT_EQ(store.journey_stats("w", "one")->at("t").entered, 5);

  auto two = store.journey_stats("w", "two");
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(two->at("t").entered, 7);
  EXPECT_EQ(two->at("d").left, 2);
  EXPECT_TRUE(store.version_stats("w", "two", 1)->empty());
  EXPECT_TRUE(store.version_stats("w", "two", 2)->empty());

  // New runs are counted on their version, beside the old ones.
  ASSERT_TRUE(write<bool>(store, [](WriteTxn& txn) -> Result<bool> {
    txn.count_run("two", 2, "=1:t");
    return true;
  }));
  EXPECT_EQ(store.version_stats("w", "two", 2)->at("t").entered, 1);
  EXPECT_EQ(store.journey_stats("w", "two")->at("t").entered, 8);
}

}  // namespace
}  // namespace hookline::store::sqlite

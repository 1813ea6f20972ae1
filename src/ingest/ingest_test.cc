#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <future>

#include "core/ids.h"
#include "ingest/event_fields.h"
#include "outbound/payload.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_secrets.h"

namespace hookline::ingest {
namespace {

// Still unless a test moves it (read on the writer's thread too).
class FixedClock final : public Clock {
 public:
  int64_t now_ms() const override { return now_.load(); }
  void advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_{1'800'000'000'000};
};

// Ingest over a real SQLite file; what it stored is read back with plain SQL.
class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookline-ingest-" + random_token(6));
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<store::sqlite::SqliteStore>((dir_ / "test.db").string(),
                                                          store::test_secret_box());
    ASSERT_TRUE(store_->migrate());
    workspace_ = *store_->default_workspace_id(clock_.now_ms());
    ingest_ = std::make_unique<Ingest>(
        *store_, clock_, [](std::vector<Delivery>) {}, FreshLease{"node-a", 60'000, nullptr});
  }
  void TearDown() override {
    ingest_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // An active journey of the given blocks and edges (JSON arrays), triggered by `event`.
  std::string add_journey(const std::string& event, const std::string& blocks,
                          const std::string& edges, bool once = false) {
    store::JourneyRow row;
    row.id = new_uuid_v7(clock_.now_ms());
    row.workspace_id = workspace_;
    row.name = "journey on " + event;
    row.status = JourneyStatus::kActive;
    row.reenter_every_time = !once;
    row.graph = R"({"blocks":)" + blocks + R"(,"edges":)" + edges + "}";
    row.trigger_event = event;
    row.created_at = row.updated_at = clock_.now_ms();
    EXPECT_TRUE(store_->insert_journey(row));
    return row.id;
  }
  static std::string trigger(const std::string& event) {
    return R"({"id":"t","type":"trigger","config":{"event":")" + event + R"("}})";
  }

  Contact upsert(const std::string& email) {
    std::promise<Result<store::ContactUpsert>> done;
    Contact contact;
    contact.id = new_uuid_v7(clock_.now_ms());
    contact.workspace_id = workspace_;
    contact.email = email;
    ingest_->upsert_contact(workspace_, contact, [&](auto r) { done.set_value(std::move(r)); });
    auto result = done.get_future().get();
    EXPECT_TRUE(result);
    return result->contact;
  }

  void submit(const std::string& name, const std::string& email) {
    EventInput input;
    input.name = name;
    input.contact.by_email = Contact{};
    input.contact.by_email->email = email;
    std::promise<Result<std::vector<std::string>>> done;
    ingest_->submit_events(workspace_, {input}, [&](auto r) { done.set_value(std::move(r)); });
    EXPECT_TRUE(done.get_future().get());
  }

  int64_t count(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2((dir_ / "test.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  FixedClock clock_;
  std::filesystem::path dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::unique_ptr<Ingest> ingest_;
  std::string workspace_;
};

TEST_F(IngestTest, SystemEventsAreStoredOnlyWhenSomethingListens) {
  upsert("first@example.com");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 0) << "contact.create, and nothing listens";

  const std::string journey = add_journey(
      "contact.create", "[" + trigger("contact.create") + R"(,{"id":"x","type":"exit"}])",
      R"([{"source":"t","target":"x"}])");
  upsert("second@example.com");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE name = 'contact.create'"), 1);
  EXPECT_EQ(store_->journey_stats(workspace_, journey)->at("x").entered, 1);

  // Events from the host application are always stored: their ids make a retry harmless.
  submit("order.paid", "first@example.com");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE name = 'order.paid'"), 1);
}

// A webhook whose dispatcher has more waiting than it takes in gets its fresh deliveries left in
// the store, unleased and due when it could take them, rather than handed over only to be
// released again.
TEST_F(IngestTest, ADeliveryTheDispatcherDoesNotTakeIsStoredDueAndNotHandedOver) {
  std::vector<Delivery> handed;
  ingest_ = std::make_unique<Ingest>(
      *store_, clock_,
      [&handed](std::vector<Delivery> fresh) {
        for (Delivery& d : fresh) handed.push_back(std::move(d));
      },
      FreshLease{"node-a", 60'000, [this](const std::string& id) -> std::optional<int64_t> {
                   if (id != "wh_full") return std::nullopt;
                   return clock_.now_ms() + 5'000;  // when the full webhook could take it
                 }});
  for (const char* id : {"wh_room", "wh_full"}) {
    Webhook webhook;
    webhook.id = id;
    webhook.workspace_id = workspace_;
    webhook.spec.name = id;
    webhook.spec.url = "http://127.0.0.1:9/x";
    webhook.spec.events = {"order.paid"};
    webhook.secret = "whsec_c2VjcmV0";
    webhook.created_at = webhook.updated_at = clock_.now_ms();
    ASSERT_TRUE(store_->insert_webhook(webhook));
  }
  submit("order.paid", "buyer@example.com");
  ASSERT_EQ(handed.size(), 1u);
  EXPECT_EQ(handed[0].webhook_id, "wh_room");
  EXPECT_EQ(handed[0].lease.owner, "node-a");
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE lease_owner = 'node-a' AND "
                  "next_attempt_at > " +
                  std::to_string(clock_.now_ms())),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries WHERE lease_owner = '' AND next_attempt_at = " +
                  std::to_string(clock_.now_ms() + 5'000)),
            1);
}

TEST_F(IngestTest, OnlyWaitingAndOnceEnrolmentsAreStoredAndEveryRunIsCounted) {
  const std::string blocks_exit = "[" + trigger("order.paid") + R"(,{"id":"x","type":"exit"}])";
  const std::string edges_exit = R"([{"source":"t","target":"x"}])";
  const std::string every_time = add_journey("order.paid", blocks_exit, edges_exit);
  const std::string once = add_journey("order.paid", blocks_exit, edges_exit, /*once=*/true);
  const std::string delayed = add_journey(
      "order.paid",
      "[" + trigger("order.paid") +
          R"(,{"id":"d","type":"delay","config":{"duration":"1h"}},{"id":"x","type":"exit"}])",
      R"([{"source":"t","target":"d"},{"source":"d","target":"x"}])");

  submit("order.paid", "buyer@example.com");
  submit("order.paid", "buyer@example.com");

  EXPECT_EQ(store_->journey_stats(workspace_, every_time)->at("x").entered, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrolments WHERE journey_id = '" + every_time + "'"), 0)
      << "runs that end at once have nothing to resume";
  EXPECT_EQ(store_->journey_stats(workspace_, once)->at("t").entered, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrolments WHERE journey_id = '" + once +
                  "' AND status = 'completed'"),
            1)
      << "the record that keeps the contact out";
  const auto waiting = *store_->journey_stats(workspace_, delayed);
  EXPECT_EQ(waiting.at("d").entered, 2);
  EXPECT_EQ(waiting.at("d").waiting, 2);
  EXPECT_EQ(waiting.at("d").left, 0);
  EXPECT_FALSE(waiting.contains("x"));

  auto buyer = store_->find_contact_by_email(workspace_, "buyer@example.com");
  ASSERT_TRUE(buyer && buyer->has_value());
  EXPECT_EQ(store_->contact_enrolments(workspace_, (*buyer)->id, {})->items.size(), 3u);
}

TEST_F(IngestTest, UpdateContactWritesAndTellsOnlyWhatChanges) {
  add_journey("order.paid",
              "[" + trigger("order.paid") +
                  R"(,{"id":"u","type":"update_contact","config":{"properties":{"tier":"gold"}}})"
                  R"(,{"id":"x","type":"exit"}])",
              R"([{"source":"t","target":"u"},{"source":"u","target":"x"}])");
  const std::string listener = add_journey(
      "contact.update", "[" + trigger("contact.update") + R"(,{"id":"x","type":"exit"}])",
      R"([{"source":"t","target":"x"}])");

  submit("order.paid", "vip@example.com");
  submit("order.paid", "vip@example.com");

  auto vip = store_->find_contact_by_email(workspace_, "vip@example.com");
  ASSERT_TRUE(vip && vip->has_value());
  EXPECT_EQ((*vip)->properties.at("tier"), "gold");
  EXPECT_EQ(store_->journey_stats(workspace_, listener)->at("x").entered, 1)
      << "the second order found the contact gold already: no contact.update";
}

// Filters read what a webhook payload shows; EventFields reads it in place instead of building
// that object for each event, and must find exactly the same values.
// A contact waiting at a Webhook block for the answer is looked at again when its fallback time
// comes; while the call is still being tried it waits on, each time twice as long (its end,
// recorded, wakes it at once: the store contract test shows that).
TEST_F(IngestTest, AContactWaitingForAnAnswerStillBeingTriedWaitsOnTwiceAsLong) {
  Webhook webhook;
  webhook.id = "wh_crm";
  webhook.workspace_id = workspace_;
  webhook.spec.name = "CRM";
  webhook.spec.url = "http://127.0.0.1:9/x";
  webhook.secret = "whsec_c2VjcmV0";
  webhook.created_at = webhook.updated_at = clock_.now_ms();
  ASSERT_TRUE(store_->insert_webhook(webhook));
  add_journey("lead.created",
              "[" + trigger("lead.created") +
                  R"(,{"id":"w","type":"webhook","config":{"webhook_id":"wh_crm",
                       "wait_for_response":true}},{"id":"x","type":"exit"}])",
              R"([{"source":"t","target":"w"},{"source":"w","target":"x","branch":"succeeded"}])");
  submit("lead.created", "lead@example.com");
  const std::string enrolment =
      "FROM enrolments WHERE block_id = 'w' AND status = 'waiting' AND "
      "waiting_delivery = (SELECT id FROM deliveries)";
  ASSERT_EQ(count("SELECT COUNT(*) " + enrolment), 1);
  const int64_t due = count("SELECT next_attempt_at FROM deliveries");
  EXPECT_EQ(count("SELECT wake_at " + enrolment), clock_.now_ms() + journeys::kAnswerRecheckMs);

  const auto wake = [&] {
    std::promise<Result<int>> done;
    ingest_->wake_due_enrolments(10, [&](Result<int> r) { done.set_value(std::move(r)); });
    auto woken = done.get_future().get();
    ASSERT_TRUE(woken);
    EXPECT_EQ(*woken, 1);
  };
  clock_.advance(journeys::kAnswerRecheckMs);
  wake();
  ASSERT_EQ(count("SELECT COUNT(*) " + enrolment), 1);
  // Not before its leased try could have ended, and then twice the first wait.
  const int64_t first = std::max(clock_.now_ms(), due) + 2 * journeys::kAnswerRecheckMs;
  EXPECT_EQ(count("SELECT wake_at " + enrolment), first);
  const int64_t first_wait = first - clock_.now_ms();
  clock_.advance(first_wait);
  wake();
  EXPECT_EQ(count("SELECT wake_at " + enrolment), clock_.now_ms() + 2 * first_wait);
}

TEST(EventFieldsTest, ReadsWhatThePayloadShows) {
  Contact contact;
  contact.id = "c1";
  contact.email = "ana@example.com";
  contact.first_name = "Ana";
  contact.properties = boost::json::parse(
                           R"({"country": "BR", "email": "hidden@example.com",
                               "address": {"city": "Recife"}, "tags": ["vip"], "gone": null})")
                           .as_object();
  const Event event{"e1", "order.paid", 1234,
                    boost::json::parse(R"({"k": "3", "n": {"m": 1}})").as_object()};
  const boost::json::object context{
      {"event", boost::json::object{{"id", event.id}, {"name", event.name}, {"time", 1234}}},
      {"event_details", event.details},
      {"contact", outbound::contact_to_payload(contact)}};
  journeys::ObjectFields expected(context);
  EventFields fields(event, contact);
  for (std::string_view path : {"contact.id",           "contact.email",      "contact.first_name",
                                "contact.last_name",    "contact.mobile",     "contact.country",
                                "contact.address.city", "contact.address",    "contact.tags",
                                "contact.gone",         "contact.missing",    "contact.email.x",
                                "contact.country.x",    "event.id",           "event.name",
                                "event.time",           "event.other",        "event_details.k",
                                "event_details.n.m",    "event_details.none", "other.k"}) {
    const boost::json::value* want = expected.find(path);
    const boost::json::value* got = fields.find(path);
    ASSERT_EQ(got == nullptr, want == nullptr) << path;
    if (want != nullptr) {
      EXPECT_EQ(*got, *want) << path;
    }
  }
  EXPECT_EQ(*fields.find("contact.email"), "ana@example.com") << "a property never hides it";

  Contact changed = contact;
  changed.email = "new@example.com";
  fields.contact_changed(changed);
  EXPECT_EQ(*fields.find("contact.email"), "new@example.com");
}

}  // namespace
}  // namespace hookline::ingest

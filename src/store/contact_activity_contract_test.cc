#include <gtest/gtest.h>

#include "core/contact_timeline.h"
#include "store/store_contract_fixture.h"

// The Store contract for a contact's timeline, on both backends: reading both logs backwards a
// few rows at a time and cutting each read (core/contact_timeline.h) finds every event of the
// contact and every delivery of its events, newest first, and nothing of anyone else's.
namespace hookline::store {
namespace {

using ContactActivityContractTest = StoreContractTest;

class ContactActivityContract : public ContactActivityContractTest {
 protected:
  // Stores an event of `contact_id` at `at_ms` and, when `webhook` is set, a delivery of it made
  // at the same time.
  Event event(const std::string& workspace, const std::string& contact_id, int64_t at_ms,
              const std::string& webhook = "") {
    const Event event{new_uuid_v7(at_ms), "order.paid", at_ms, {{"total", at_ms}}};
    EXPECT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
      if (auto r = txn.insert_event(workspace, event, contact_id, at_ms); !r) return r;
      return true;
    }));
    if (!webhook.empty()) delivery(workspace, webhook, event, at_ms);
    return event;
  }

  void delivery(const std::string& workspace, const std::string& webhook, const Event& event,
                int64_t at_ms) {
    Delivery d;
    d.id = new_uuid_v7(at_ms);
    d.workspace_id = workspace;
    d.webhook_id = webhook;
    d.event_id = event.id;
    d.event_name = event.name;
    d.body = "{}";
    d.next_attempt_at = at_ms + 3'600'000;
    d.created_at = d.updated_at = at_ms;
    EXPECT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
      if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
      return true;
    }));
  }

  // Every page of the contact's timeline, read `limits` at a time, as "event:<name>@<ms>" and
  // "delivery:<webhook>@<ms>" in the order a page puts them (newest first).
  std::vector<std::string> timeline(const std::string& contact_id, const ActivityLimits& limits,
                                    int* pages = nullptr) {
    std::vector<std::string> seen;
    TimelinePosition from;
    for (int page = 0; page < 100 && !from.finished(); ++page) {
      auto read = store_->read_contact_activity(workspace_, contact_id, from, limits);
      EXPECT_TRUE(read) << read.error().message;
      if (!read) break;
      const TimelineCut cut = cut_timeline(read->event_rows, read->delivery_rows, from);
      std::vector<std::pair<int64_t, std::string>> items;
      size_t event = 0;
      for (size_t row = 0; row < cut.events_kept; ++row) {
        if (!read->event_rows.rows[row].theirs) continue;
        const StoredEvent& stored = read->events.at(event++);
        EXPECT_EQ(stored.event.details.at("total").as_int64(), stored.received_at);
        items.emplace_back(stored.received_at * 2 + 0,
                           "event:" + stored.event.name + "@" + std::to_string(stored.received_at));
      }
      size_t delivery = 0;
      for (size_t row = 0; row < cut.deliveries_kept; ++row) {
        if (!read->delivery_rows.rows[row].theirs) continue;
        const Delivery& d = read->deliveries.at(delivery++);
        items.emplace_back(d.created_at * 2 + 1,
                           "delivery:" + d.webhook_id + "@" + std::to_string(d.created_at));
      }
      std::stable_sort(items.begin(), items.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (auto& [order, text] : items) seen.push_back(std::move(text));
      from = cut.next;
      if (pages) *pages = page + 1;
    }
    EXPECT_TRUE(from.finished());
    return seen;
  }
};

TEST_P(ContactActivityContract, EveryEventAndDeliveryOfTheContactComesBackNewestFirst) {
  Contact ana = contact("ana@example.com");
  Contact bia = contact("bia@example.com");
  ASSERT_TRUE(upsert(ana));
  ASSERT_TRUE(upsert(bia));
  event(workspace_, ana.id, 1000, "crm");
  event(workspace_, bia.id, 1001, "crm");
  event(workspace_, ana.id, 1002);
  event(workspace_, bia.id, 1003, "crm");
  event(workspace_, bia.id, 1004);
  const Event paid = event(workspace_, ana.id, 1005);
  event(workspace_, ana.id, 1010, "shop");
  // The same contact id in another workspace is another contact.
  event("another-workspace", ana.id, 1015, "crm");
  // A journey's Webhook block calls later, for an earlier event.
  delivery(workspace_, "crm", paid, 1025);

  const std::vector<std::string> expected = {"delivery:crm@1025",     "delivery:shop@1010",
                                             "event:order.paid@1010", "event:order.paid@1005",
                                             "event:order.paid@1002", "delivery:crm@1000",
                                             "event:order.paid@1000"};
  // Read whole in one go, and a few rows at a time: the same timeline.
  EXPECT_EQ(timeline(ana.id, {.rows = 1000, .theirs = 1000}), expected);
  int pages = 0;
  EXPECT_EQ(timeline(ana.id, {.rows = 2, .theirs = 1}, &pages), expected);
  EXPECT_GT(pages, 4);
}

TEST_P(ContactActivityContract, AContactWithNothingHasAnEmptyTimeline) {
  Contact ana = contact("ana@example.com");
  ASSERT_TRUE(upsert(ana));
  event(workspace_, "someone-else", 1000, "crm");
  EXPECT_TRUE(timeline("nobody", {.rows = 1, .theirs = 1}).empty());
}

INSTANTIATE_STORE_CONTRACT(ContactActivityContract);

}  // namespace
}  // namespace hookline::store

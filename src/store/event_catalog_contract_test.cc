#include <gtest/gtest.h>

#include "store/event_catalog.h"
#include "store/store_contract_fixture.h"

// The Store contract for the event catalog, on both backends: names, examples and keys learnt
// from the events and contacts the writer stores, read back per workspace.
namespace hookline::store {
namespace {

using EventCatalogContractTest = StoreContractTest;

class EventCatalogContract : public EventCatalogContractTest {
 protected:
  // Stores an event of `name` with `details` at now_ms; `fail` undoes the job after the insert.
  Result<bool> store_event(const std::string& workspace, const std::string& name,
                           boost::json::object details, int64_t now_ms, bool fail = false) {
    const Event event{new_uuid_v7(now_ms), name, now_ms, std::move(details)};
    return write<bool>([&](WriteTxn& txn) -> Result<bool> {
      auto stored = txn.insert_event(workspace, event, contact_id_, now_ms);
      if (fail) return std::unexpected(Error::validation("x", "this job fails"));
      return stored;
    });
  }

  std::string contact_id_ = new_uuid_v7(1000);
};

TEST_P(EventCatalogContract, NamesComeWithTheirKeysAndAnExample) {
  ASSERT_TRUE(store_event(workspace_, "order.paid", {{"total", 150}, {"currency", "BRL"}}, 1000));
  ASSERT_TRUE(store_event(workspace_, "order.paid",
                          {{"total", 90}, {"address", {{"city", "Recife"}}}}, 2000));
  ASSERT_TRUE(store_event(workspace_, "email.click", {{"campaign_name", "Sample"}}, 3000));
  ASSERT_TRUE(store_event("another-workspace", "secret.event", {{"x", 1}}, 3000));

  auto types = store_->event_types(workspace_);
  ASSERT_TRUE(types) << types.error().message;
  ASSERT_EQ(types->size(), 2u);
  const EventTypeInfo& click = types->at(0);
  EXPECT_EQ(click.name, "email.click");
  EXPECT_EQ(click.keys, std::vector<std::string>{"campaign_name"});
  EXPECT_EQ(click.example, R"({"campaign_name":"Sample"})");
  const EventTypeInfo& paid = types->at(1);
  EXPECT_EQ(paid.name, "order.paid");
  EXPECT_EQ(paid.first_seen_at, 1000);
  // Within the hour, the first example stands.
  EXPECT_EQ(paid.last_seen_at, 1000);
  EXPECT_EQ(paid.example, R"({"total":150,"currency":"BRL"})");
  EXPECT_EQ(paid.keys, (std::vector<std::string>{"address", "address.city", "currency", "total"}));
}

TEST_P(EventCatalogContract, ALaterExampleReplacesTheOldOneAndAFailedJobTeachesNothing) {
  ASSERT_TRUE(store_event(workspace_, "order.paid", {{"total", 1}}, 1000));
  EXPECT_FALSE(store_event(workspace_, "form.submit", {{"field", 1}}, 1500, /*fail=*/true));
  ASSERT_TRUE(store_event(workspace_, "order.paid", {{"total", 2}}, 1000 + kExampleRefreshMs));

  auto types = store_->event_types(workspace_);
  ASSERT_TRUE(types);
  ASSERT_EQ(types->size(), 1u);
  EXPECT_EQ(types->at(0).first_seen_at, 1000);
  EXPECT_EQ(types->at(0).last_seen_at, 1000 + kExampleRefreshMs);
  EXPECT_EQ(types->at(0).example, R"({"total":2})");

  // A store opened again (a restart, another node) knows nothing of what was written, and its
  // news changes nothing that is there: an older example never replaces a newer one.
  auto again = open_again(test_secret_box());
  std::promise<Result<void>> done;
  again->write(
      [&](WriteTxn& txn) -> Result<void> {
        auto stored = txn.insert_event(workspace_, {new_uuid_v7(5), "order.paid", 5, {{"old", 1}}},
                                       contact_id_, 5);
        if (!stored) return std::unexpected(stored.error());
        return {};
      },
      [&done](Result<void> r) { done.set_value(std::move(r)); });
  ASSERT_TRUE(done.get_future().get());
  again.reset();
  types = store_->event_types(workspace_);
  ASSERT_TRUE(types);
  EXPECT_EQ(types->at(0).example, R"({"total":2})");
  EXPECT_EQ(types->at(0).keys, (std::vector<std::string>{"old", "total"}));
}

TEST_P(EventCatalogContract, AScopeKeepsAtMostItsShareOfKeys) {
  boost::json::object many;
  for (int i = 0; i < kMaxScopeKeys + 50; ++i) many["sku" + std::to_string(1000 + i)] = i;
  ASSERT_TRUE(store_event(workspace_, "cart.update", many, 1000));
  ASSERT_TRUE(store_event(workspace_, "cart.update", {{"later", 1}}, 2000));
  auto types = store_->event_types(workspace_);
  ASSERT_TRUE(types);
  ASSERT_EQ(types->size(), 1u);
  EXPECT_EQ(types->at(0).keys.size(), static_cast<size_t>(kMaxScopeKeys));
  EXPECT_EQ(std::count(types->at(0).keys.begin(), types->at(0).keys.end(), "later"), 0);
}

TEST_P(EventCatalogContract, ContactPropertiesAreListedByKey) {
  Contact ana = contact("ana@example.com");
  ana.properties = {{"plan", "pro"}, {"address", {{"city", "Recife"}}}};
  ASSERT_TRUE(upsert(ana));
  Contact bia = contact("bia@example.com");
  bia.properties = {{"tier", 2}};
  ASSERT_TRUE(upsert(bia));
  bia.properties["score"] = 9;
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    auto found = txn.find_contact_by_email(workspace_, "bia@example.com");
    if (!found) return std::unexpected(found.error());
    Contact changed = **found;
    changed.properties["score"] = 9;
    if (auto r = txn.update_contact(changed); !r) return std::unexpected(r.error());
    return true;
  }));

  auto keys = store_->contact_property_keys(workspace_);
  ASSERT_TRUE(keys) << keys.error().message;
  EXPECT_EQ(*keys, (std::vector<std::string>{"address", "address.city", "plan", "score", "tier"}));
  EXPECT_TRUE(store_->contact_property_keys("another-workspace")->empty());
  EXPECT_TRUE(store_->event_types(workspace_)->empty());
}

INSTANTIATE_STORE_CONTRACT(EventCatalogContract);

}  // namespace
}  // namespace hookline::store

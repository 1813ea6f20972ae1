#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/retention.h"
#include "store/store_contract_fixture.h"

// The Store contract for forgetting a deleted contact (the right to be forgotten), on both
// backends: its events and the deliveries of its events go, in steps that survive a restart;
// every other contact's, and what the deletion itself made, stay.
namespace hookline::store {
namespace {

using ForgetContractTest = StoreContractTest;

class ForgetContract : public ForgetContractTest {
 protected:
  // Stores an event of `contact_id` and a delivery of it, whose id joins `delivery_ids`.
  void event_with_delivery(const std::string& workspace, const std::string& contact_id,
                           int64_t now_ms, std::vector<std::string>& delivery_ids) {
    const Event event{new_uuid_v7(now_ms), "order.paid", now_ms, {{"total", now_ms}}};
    Delivery d;
    d.id = new_uuid_v7(now_ms);
    d.workspace_id = workspace;
    d.webhook_id = "w1";
    d.event_id = event.id;
    d.event_name = event.name;
    d.body = R"({"contact":")" + contact_id + R"("})";
    d.next_attempt_at = now_ms + 3'600'000;
    d.created_at = d.updated_at = now_ms;
    EXPECT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
      if (auto r = txn.insert_event(workspace, event, contact_id, now_ms); !r) return r;
      if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
      return true;
    }));
    delivery_ids.push_back(d.id);
  }

  int64_t events_of(const std::string& contact_id) {
    return std::stoll(
        raw("SELECT COUNT(*) FROM events WHERE contact_id = '" + contact_id + "'").at(0));
  }
};

TEST_P(ForgetContract, ADeletedContactsEventsAndDeliveriesGoAndEveryoneElsesStay) {
  Contact ana = contact("ana@example.com");
  Contact bia = contact("bia@example.com");
  ASSERT_TRUE(upsert(ana));
  ASSERT_TRUE(upsert(bia));
  std::vector<std::string> anas, bias, others;
  event_with_delivery(workspace_, ana.id, 1000, anas);
  event_with_delivery(workspace_, bia.id, 1001, bias);
  event_with_delivery(workspace_, ana.id, 1002, anas);
  event_with_delivery(workspace_, bia.id, 1003, bias);
  event_with_delivery(workspace_, ana.id, 1004, anas);
  // The same id in another workspace is another contact.
  event_with_delivery("another-workspace", ana.id, 1005, others);
  ASSERT_TRUE(store_->event_types(workspace_)->at(0).example.has_value());

  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.delete_contact(workspace_, ana.id); !r) return std::unexpected(r.error());
    if (auto r = txn.request_forget(workspace_, ana.id, 2000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  }));
  // What the deletion makes after the request (contact.delete, for the receivers) stays.
  std::vector<std::string> after;
  event_with_delivery(workspace_, ana.id, 2001, after);
  // The example the catalog took from her event is gone at once.
  EXPECT_FALSE(store_->event_types(workspace_)->at(0).example.has_value());

  // One row a step: the progress is saved between steps.
  SystemClock clock;
  Retention retention({.step_rows = 1}, *store_, clock);
  ASSERT_TRUE(retention.run_forgetting());
  EXPECT_EQ(retention.stats().contacts_forgotten, 1);

  for (const std::string& id : anas) {
    auto gone = store_->get_delivery(workspace_, id);
    ASSERT_FALSE(gone) << id;
    EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  }
  for (const std::string& id : bias) EXPECT_TRUE(store_->get_delivery(workspace_, id)) << id;
  EXPECT_TRUE(store_->get_delivery(workspace_, after.at(0)));
  EXPECT_TRUE(store_->get_delivery("another-workspace", others.at(0)));
  EXPECT_EQ(events_of(bia.id), 2);
  EXPECT_EQ(events_of(ana.id), 2);  // the one made after the deletion, and the other workspace's
  EXPECT_EQ(raw("SELECT COUNT(*) FROM delivery_bodies").at(0), "4");
  EXPECT_EQ(raw("SELECT COUNT(*) FROM forget_requests").at(0), "0");

  // Nothing left to do.
  ASSERT_TRUE(retention.run_forgetting());
  EXPECT_EQ(retention.stats().contacts_forgotten, 1);
}

TEST_P(ForgetContract, ARequestGoesOnWhereItsLastStepEnded) {
  Contact ana = contact("ana@example.com");
  ASSERT_TRUE(upsert(ana));
  std::vector<std::string> anas;
  for (int i = 0; i < 3; ++i) event_with_delivery(workspace_, ana.id, 1000 + i, anas);
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.request_forget(workspace_, ana.id, 2000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  }));
  // Two steps, then a restart: the request read back has their progress.
  for (int i = 0; i < 2; ++i) {
    auto step = write<PurgeStep>([&](WriteTxn& txn) -> Result<PurgeStep> {
      auto request = txn.next_forget_request();
      if (!request) return std::unexpected(request.error());
      return txn.forget_step(request->value(), 1);
    });
    ASSERT_TRUE(step);
    EXPECT_EQ(step->removed, 1);
    EXPECT_FALSE(step->finished);
  }
  store_.reset();
  store_ = open_again(test_secret_box());
  auto request =
      write<std::optional<ForgetRequest>>([](WriteTxn& txn) { return txn.next_forget_request(); });
  ASSERT_TRUE(request && request->has_value());
  EXPECT_EQ((*request)->contact_id, ana.id);
  EXPECT_GT((*request)->deliveries_done, 0);
  EXPECT_LT((*request)->deliveries_done, (*request)->through_delivery_seq);

  SystemClock clock;
  Retention retention({.step_rows = 1}, *store_, clock);
  ASSERT_TRUE(retention.run_forgetting());
  for (const std::string& id : anas) EXPECT_FALSE(store_->get_delivery(workspace_, id)) << id;
  EXPECT_EQ(events_of(ana.id), 0);
}

INSTANTIATE_STORE_CONTRACT(ForgetContract);

}  // namespace
}  // namespace hookline::store

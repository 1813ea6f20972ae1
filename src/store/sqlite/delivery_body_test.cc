// Delivery bodies made from a stored event keep its details once, in the event's row.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/sqlite/sqlite_store_fixture.h"

namespace hookline::store::sqlite {
namespace {

class DeliveryBodyTest : public SqliteStoreTest {
 protected:
  Event event(const std::string& id) {
    Event e;
    e.id = id;
    e.name = "order.paid";
    e.time_ms = 5000;
    e.details = boost::json::parse(R"({"order":"A-1","total":99.5,"nome":"João ✓"})").as_object();
    return e;
  }
  Delivery delivery(const Event& e, const std::string& body) {
    Delivery d;
    d.id = new_uuid_v7(5000);
    d.workspace_id = workspace_;
    d.webhook_id = "h";
    d.event_id = e.id;
    d.event_name = e.name;
    d.body = body;
    d.next_attempt_at = 5000;
    d.created_at = d.updated_at = 5000;
    return d;
  }
  std::string body_for(const Event& e) {
    return R"({"id":")" + e.id + R"(","data":{"contact":{"id":"c"},"event_details":)" +
           boost::json::serialize(e.details) + "}}";
  }
  // The stored text of a body, straight from the file.
  std::string stored_body(const std::string& delivery_id) {
    Connection raw((dir_ / "test.db").string());
    Statement q(
        raw.handle(),
        "SELECT b.body FROM delivery_bodies b JOIN deliveries d USING (seq) WHERE d.id = ?");
    q.bind(1, delivery_id);
    EXPECT_TRUE(*q.step());
    return q.text(0);
  }
};

TEST_F(DeliveryBodyTest, EveryTrySendsTheBodyAsRenderedWhileTheDetailsAreStoredOnce) {
  const Event e = event("e1");
  const Delivery first = delivery(e, body_for(e));
  Delivery second = delivery(e, body_for(e) + " ");  // another webhook's body, same event
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_event(workspace_, e, "c", 5000); !r) return r;
    if (auto r = txn.insert_delivery(first); !r) return std::unexpected(r.error());
    if (auto r = txn.insert_delivery(second); !r) return std::unexpected(r.error());
    return true;
  }));
  EXPECT_EQ(stored_body(first.id).find("A-1"), std::string::npos);
  EXPECT_EQ(stored_body(second.id).find("A-1"), std::string::npos);

  EXPECT_EQ(store_->get_delivery(workspace_, first.id)->body, first.body);
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 6000, 60'000, 10); });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ(claimed->at(0).body, first.body);
  EXPECT_EQ(claimed->at(1).body, second.body);
}

TEST_F(DeliveryBodyTest, ABodyWithoutItsEventsDetailsIsStoredWhole) {
  const Event e = event("e2");
  Event other = event("e3");
  other.details["order"] = "B-2";
  const Delivery unrelated = delivery(e, body_for(other));  // the details differ from e's
  const Delivery later = delivery(e, body_for(e));          // made in a later job
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_event(workspace_, e, "c", 5000); !r) return r;
    if (auto r = txn.insert_delivery(unrelated); !r) return std::unexpected(r.error());
    return true;
  }));
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(later); !r) return std::unexpected(r.error());
    return true;
  }));
  EXPECT_EQ(stored_body(unrelated.id), unrelated.body);
  EXPECT_EQ(stored_body(later.id), later.body);
  EXPECT_EQ(store_->get_delivery(workspace_, unrelated.id)->body, unrelated.body);
  EXPECT_EQ(store_->get_delivery(workspace_, later.id)->body, later.body);
}

}  // namespace
}  // namespace hookline::store::sqlite

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/store_contract_fixture.h"

// The Store contract for webhooks that deliver one at a time per contact, on both backends: a
// contact's deliveries form a chain (Delivery::order_key); while one of them is unfinished the
// later ones wait as queued, out of every claim, and recording its end lets the oldest go.
namespace hookline::store {
namespace {

using DeliveryOrderContractTest = StoreContractTest;

class DeliveryOrder : public DeliveryOrderContractTest {
 protected:
  static constexpr int64_t kLeaseMs = 60'000;

  Delivery delivery(const std::string& order_key, int64_t now_ms) {
    Delivery d;
    d.id = new_uuid_v7(now_ms);
    d.workspace_id = workspace_;
    d.webhook_id = "w1";
    d.event_id = "e-" + d.id;
    d.event_name = "contact.update";
    d.body = R"({"n":")" + d.id + R"("})";
    d.order_key = order_key;
    d.next_attempt_at = now_ms;
    d.created_at = d.updated_at = now_ms;
    return d;
  }

  // What ingest does (ingest/event_path.cc): queued behind the chain's unfinished one, if any,
  // else due now.
  Delivery add(const std::string& order_key, int64_t now_ms) {
    Delivery d = delivery(order_key, now_ms);
    auto seq = write<int64_t>([&](WriteTxn& txn) -> Result<int64_t> {
      auto busy = txn.order_key_busy(d.webhook_id, d.order_key);
      if (!busy) return std::unexpected(busy.error());
      if (*busy) d.status = DeliveryStatus::kQueued;
      return txn.insert_delivery(d);
    });
    EXPECT_TRUE(seq) << seq.error().message;
    d.seq = seq.value_or(0);
    return d;
  }

  std::vector<std::string> claim(int64_t now_ms) {
    std::promise<Result<std::vector<Delivery>>> claimed;
    store_->delivery_queue().claim("node-a", now_ms, kLeaseMs, 100,
                                   [&](auto result) { claimed.set_value(std::move(result)); });
    auto result = claimed.get_future().get();
    EXPECT_TRUE(result) << result.error().message;
    std::vector<std::string> ids;
    for (Delivery& d : result.value_or(std::vector<Delivery>{})) {
      leases_[d.id] = d.lease;
      ids.push_back(d.id);
    }
    return ids;
  }

  // A try of `d`, claimed by claim(), ending in `status`, recorded as the dispatcher does.
  void record(const Delivery& d, DeliveryStatus status, int64_t now_ms) {
    AttemptRecord record;
    record.attempt.delivery_id = d.id;
    record.attempt.delivery_seq = d.seq;
    record.attempt.workspace_id = d.workspace_id;
    record.attempt.webhook_id = d.webhook_id;
    record.attempt.number = ++tries_[d.id];
    record.attempt.request_method = "POST";
    record.attempt.request_url = "http://127.0.0.1:1/x";
    record.attempt.request_headers = "{}";
    record.attempt.response_status = status == DeliveryStatus::kSucceeded ? 200 : 500;
    record.status = status;
    record.next_attempt_at = status == DeliveryStatus::kRetrying ? now_ms + 30'000 : 0;
    record.lease = leases_.at(d.id);
    record.order_key = d.order_key;
    std::promise<Result<std::vector<std::optional<Error>>>> recorded;
    store_->delivery_queue().record({record}, now_ms,
                                    [&](auto result) { recorded.set_value(std::move(result)); });
    auto result = recorded.get_future().get();
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_FALSE(result->at(0)) << result->at(0)->message;
  }

  Result<Delivery> retry_by_hand(const Delivery& d, int64_t now_ms) {
    return write<Delivery>(
        [&](WriteTxn& txn) { return txn.requeue_delivery(workspace_, d.id, now_ms); });
  }

  DeliveryStatus status_of(const Delivery& d) {
    auto stored = store_->get_delivery(workspace_, d.id);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored ? stored->status : DeliveryStatus::kPending;
  }

  std::map<std::string, Lease> leases_;
  std::map<std::string, int> tries_;
};

TEST_P(DeliveryOrder, AContactsLaterDeliveriesWaitUntilTheOneBeforeEnds) {
  const Delivery first = add("contact-1", 10'000);
  const Delivery second = add("contact-1", 10'001);
  const Delivery third = add("contact-1", 10'002);
  const Delivery other_contact = add("contact-2", 10'003);
  const Delivery unordered = add("", 10'004);
  EXPECT_EQ(status_of(first), DeliveryStatus::kPending);
  EXPECT_EQ(status_of(second), DeliveryStatus::kQueued);
  EXPECT_EQ(status_of(third), DeliveryStatus::kQueued);
  EXPECT_EQ(status_of(other_contact), DeliveryStatus::kPending);
  auto counts = store_->queue_counts("node-a", 20'000);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->queued, 2);
  EXPECT_EQ(counts->due, 3);

  // Only each chain's first, and what is not ordered, is ever claimed.
  EXPECT_EQ(claim(20'000), (std::vector<std::string>{first.id, other_contact.id, unordered.id}));
  // A retry holds the chain back; other contacts are not held.
  record(first, DeliveryStatus::kRetrying, 21'000);
  record(other_contact, DeliveryStatus::kSucceeded, 21'000);
  EXPECT_EQ(status_of(second), DeliveryStatus::kQueued);
  EXPECT_TRUE(claim(22'000).empty());
  EXPECT_EQ(claim(51'000), (std::vector<std::string>{first.id}));
  // Its end lets the next go, due at once; the one after still waits.
  record(first, DeliveryStatus::kSucceeded, 52'000);
  EXPECT_EQ(status_of(second), DeliveryStatus::kPending);
  EXPECT_EQ(status_of(third), DeliveryStatus::kQueued);
  EXPECT_EQ(claim(52'000), (std::vector<std::string>{second.id}));
  // A death ends it too: the chain goes on.
  record(second, DeliveryStatus::kDead, 53'000);
  EXPECT_EQ(claim(53'000), (std::vector<std::string>{third.id}));
  // With nothing unfinished, a new one is not queued.
  record(third, DeliveryStatus::kSucceeded, 54'000);
  EXPECT_EQ(status_of(add("contact-1", 55'000)), DeliveryStatus::kPending);
  counts = store_->queue_counts("node-a", 56'000);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->queued, 0);
}

TEST_P(DeliveryOrder, AQueuedDeliveryIsNotRetriedByHand) {
  add("contact-1", 10'000);
  const Delivery queued = add("contact-1", 10'001);
  auto requeued = retry_by_hand(queued, 11'000);
  ASSERT_FALSE(requeued);
  EXPECT_EQ(requeued.error().code, ErrorCode::kConflict);
  EXPECT_EQ(status_of(queued), DeliveryStatus::kQueued);
}

// Retried by hand, a dead delivery of a chain that has moved on waits for the chain's head
// instead of going beside it, then goes before the chain's later ones (oldest first); with no
// head, it goes at once.
TEST_P(DeliveryOrder, ADeadDeliveryRetriedByHandKeepsItsChainOneAtATime) {
  const Delivery first = add("contact-1", 10'000);
  const Delivery second = add("contact-1", 10'001);
  const Delivery third = add("contact-1", 10'002);
  ASSERT_EQ(claim(20'000), (std::vector<std::string>{first.id}));
  record(first, DeliveryStatus::kDead, 21'000);
  ASSERT_EQ(claim(21'000), (std::vector<std::string>{second.id}));
  auto requeued = retry_by_hand(first, 22'000);
  ASSERT_TRUE(requeued) << requeued.error().message;
  EXPECT_EQ(requeued->status, DeliveryStatus::kQueued);
  EXPECT_EQ(status_of(first), DeliveryStatus::kQueued);
  EXPECT_TRUE(claim(22'000).empty());
  record(second, DeliveryStatus::kSucceeded, 23'000);
  EXPECT_EQ(claim(23'000), (std::vector<std::string>{first.id}));
  EXPECT_EQ(status_of(third), DeliveryStatus::kQueued);
  record(first, DeliveryStatus::kDead, 24'000);
  EXPECT_EQ(claim(24'000), (std::vector<std::string>{third.id}));
  record(third, DeliveryStatus::kSucceeded, 25'000);

  requeued = retry_by_hand(first, 26'000);
  ASSERT_TRUE(requeued);
  EXPECT_EQ(requeued->status, DeliveryStatus::kPending);
  EXPECT_EQ(claim(26'000), (std::vector<std::string>{first.id}));
}

// Recovering a webhook's failed deliveries: each chain's dead ones wait behind it, and each chain
// with nothing unfinished starts with its oldest, one at a time.
TEST_P(DeliveryOrder, RecoveredDeliveriesGoOneAtATimePerContactOldestFirst) {
  const Delivery a1 = add("contact-a", 10'000);
  const Delivery a2 = add("contact-a", 10'001);
  const Delivery b1 = add("contact-b", 10'002);
  const Delivery b2 = add("contact-b", 10'003);
  ASSERT_EQ(claim(20'000), (std::vector<std::string>{a1.id, b1.id}));
  record(a1, DeliveryStatus::kDead, 21'000);
  record(b1, DeliveryStatus::kDead, 21'001);
  ASSERT_EQ(claim(22'000), (std::vector<std::string>{a2.id, b2.id}));
  record(a2, DeliveryStatus::kDead, 23'000);  // chain a: all dead; chain b: b2 in flight

  auto recovered = write<int64_t>(
      [&](WriteTxn& txn) { return txn.requeue_failed(workspace_, "w1", 0, 100'000, 24'000); });
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_EQ(*recovered, 3);
  EXPECT_EQ(status_of(a1), DeliveryStatus::kPending);
  EXPECT_EQ(status_of(a2), DeliveryStatus::kQueued);
  EXPECT_EQ(status_of(b1), DeliveryStatus::kQueued);
  EXPECT_EQ(claim(24'000), (std::vector<std::string>{a1.id}));
  record(b2, DeliveryStatus::kSucceeded, 25'000);
  EXPECT_EQ(claim(25'000), (std::vector<std::string>{b1.id}));
  record(a1, DeliveryStatus::kSucceeded, 26'000);
  EXPECT_EQ(claim(26'000), (std::vector<std::string>{a2.id}));
}

// A chain whose queued deliveries wait behind nothing (no path leaves one so; here made by hand)
// is found by store upkeep and its oldest released; a chain with a head is left alone.
TEST_P(DeliveryOrder, UpkeepReleasesAChainWaitingBehindNothing) {
  const Delivery head = add("contact-a", 10'000);
  const Delivery behind = add("contact-a", 10'001);
  Delivery stray1 = delivery("contact-b", 10'002);
  Delivery stray2 = delivery("contact-b", 10'003);
  stray1.status = stray2.status = DeliveryStatus::kQueued;
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const Delivery* d : {&stray1, &stray2}) {
      if (auto seq = txn.insert_delivery(*d); !seq) return std::unexpected(seq.error());
    }
    return true;
  }));
  ASSERT_EQ(claim(20'000), (std::vector<std::string>{head.id}));

  auto released =
      write<int64_t>([](WriteTxn& txn) { return txn.release_headless_chains(21'000, 10); });
  ASSERT_TRUE(released) << released.error().message;
  EXPECT_EQ(*released, 1);
  EXPECT_EQ(status_of(stray1), DeliveryStatus::kPending);
  EXPECT_EQ(status_of(stray2), DeliveryStatus::kQueued);
  EXPECT_EQ(status_of(behind), DeliveryStatus::kQueued);
  EXPECT_EQ(claim(21'000), (std::vector<std::string>{stray1.id}));
  // Nothing left to release: each chain has its head.
  released = write<int64_t>([](WriteTxn& txn) { return txn.release_headless_chains(22'000, 10); });
  ASSERT_TRUE(released);
  EXPECT_EQ(*released, 0);
}

// Two nodes' writers, each batch holding one contact's chain from an earlier job and asking for
// the chain the other holds: PostgreSQL fails one of them for the deadlock. The loser's earlier
// job commits first, which lets the other batch through, and the lost job then runs in a
// transaction of its own: every job succeeds, none is refused (PgWriter::run_part).
TEST_P(DeliveryOrder, TwoWritersDeadlockedOnChainsBothFinish) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "one writer: SQLite has no such deadlock";
  std::unique_ptr<Store> other = open_again(test_secret_box());
  using Signal = std::shared_ptr<std::promise<void>>;
  static constexpr auto kWait = std::chrono::seconds(10);
  struct Node {
    Store* store;
    std::string first, second;                              // the chains it takes, in this order
    Signal go = std::make_shared<std::promise<void>>();     // lets its batch start
    Signal holds = std::make_shared<std::promise<void>>();  // its first chain is taken
    std::vector<std::future<Result<void>>> done = {};
  };
  Node a{.store = store_.get(), .first = "contact-1", .second = "contact-2"};
  Node b{.store = other.get(), .first = "contact-2", .second = "contact-1"};
  auto submit = [](Store& store, WriteJob job) {
    auto finished = std::make_shared<std::promise<Result<void>>>();
    auto future = finished->get_future();
    store.write(std::move(job), [finished](Result<void> r) { finished->set_value(std::move(r)); });
    return future;
  };
  for (Node* node : {&a, &b}) {
    Node* peer = node == &a ? &b : &a;
    // Holds the writer until both of the node's jobs are queued: they run in one batch.
    std::shared_future<void> go = node->go->get_future().share();
    node->done.push_back(submit(*node->store, [go](WriteTxn&) -> Result<void> {
      if (go.wait_for(kWait) != std::future_status::ready) {
        return std::unexpected(Error::unavailable("not started"));
      }
      return {};
    }));
    std::shared_future<void> peer_holds = peer->holds->get_future().share();
    node->done.push_back(submit(*node->store, [node, peer_holds](WriteTxn& txn) -> Result<void> {
      auto busy = txn.order_key_busy("w1", node->first);
      if (!busy) return std::unexpected(busy.error());
      node->holds->set_value();
      if (peer_holds.wait_for(kWait) != std::future_status::ready) {
        return std::unexpected(Error::unavailable("the other writer never came"));
      }
      return {};
    }));
    node->done.push_back(submit(*node->store, [node](WriteTxn& txn) -> Result<void> {
      auto busy = txn.order_key_busy("w1", node->second);
      if (!busy) return std::unexpected(busy.error());
      return {};
    }));
  }
  a.go->set_value();
  b.go->set_value();
  for (Node* node : {&a, &b}) {
    for (auto& done : node->done) {
      ASSERT_EQ(done.wait_for(std::chrono::seconds(30)), std::future_status::ready);
      auto result = done.get();
      EXPECT_TRUE(result) << result.error().message;
    }
  }
}

INSTANTIATE_STORE_CONTRACT(DeliveryOrder);

}  // namespace
}  // namespace hookline::store

#include <gtest/gtest.h>

#include <future>

#include "core/ids.h"
#include "core/prometheus_text.h"
#include "store/store_contract_fixture.h"

// The Store contract: every test runs against both backends (store_contract_fixture.h).
namespace hookline::store {
namespace {

TEST_P(StoreContractTest, MigrateTwiceAppliesNothingTheSecondTime) {
  auto again = store_->migrate();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TEST_P(StoreContractTest, DefaultWorkspaceIsStable) {
  EXPECT_EQ(*store_->default_workspace_id(5000), workspace_);
}

TEST_P(StoreContractTest, WebhookRoundTripsEveryField) {
  Webhook webhook;
  webhook.id = new_uuid_v7(3000);
  webhook.workspace_id = workspace_;
  webhook.secret = "whsec_abc";
  webhook.spec.name = "Billing";
  webhook.spec.url = "https://billing.example.com/{{contact.id}}";
  webhook.spec.method = "PUT";
  webhook.spec.auth = TokenAuth{"t0k", "X-Api-Key", ""};
  webhook.spec.headers = {{"X-Shop", "loja-1"}};
  webhook.spec.custom_payload = boost::json::object{{"salário", "{{contact.salary}}"}};
  webhook.spec.events = {"list.add_contact", "contact.create"};
  webhook.spec.timeout_ms = 2000;
  webhook.spec.ordering = WebhookOrdering::kPerContact;
  ASSERT_TRUE(store_->insert_webhook(webhook));

  auto stored = store_->get_webhook(workspace_, webhook.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->spec.method, "PUT");
  const auto& token = std::get<TokenAuth>(stored->spec.auth);
  EXPECT_EQ(token.header, "X-Api-Key");
  EXPECT_EQ(token.prefix, "");
  EXPECT_EQ(stored->spec.headers.at(0).value, "loja-1");
  EXPECT_EQ(stored->spec.custom_payload->at("salário").as_string(), "{{contact.salary}}");
  EXPECT_EQ(stored->spec.events, webhook.spec.events);
  EXPECT_EQ(stored->spec.timeout_ms, 2000);
  EXPECT_EQ(stored->spec.ordering, WebhookOrdering::kPerContact);

  webhook.spec.ordering = WebhookOrdering::kNone;
  ASSERT_TRUE(store_->update_webhook(webhook));
  EXPECT_EQ(store_->get_webhook(workspace_, webhook.id)->spec.ordering, WebhookOrdering::kNone);
}

TEST_P(StoreContractTest, WebhookOfAnotherWorkspaceIsNotFound) {
  auto missing = store_->get_webhook("other", "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, UpsertByEmailMergesProperties) {
  Contact first = contact("maria@example.com");
  first.first_name = "Maria";
  first.properties = {{"salário", "123"}};
  auto created = upsert(first);
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->created);

  Contact second = contact("maria@example.com");
  second.properties = {{"idade", 12}};
  auto updated = upsert(second);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(updated->contact.id, first.id);
  EXPECT_EQ(updated->contact.first_name, "Maria");
  EXPECT_EQ(updated->contact.properties.at("salário").as_string(), "123");
  EXPECT_EQ(updated->contact.properties.at("idade").as_int64(), 12);
}

// What a job is told after prefetch_events is what it would have been told without it, through
// its own writes too: an event stored, a contact created, then changed, in the same job.
TEST_P(StoreContractTest, PrefetchedEventsAndContactsAnswerAsTheStoreWould) {
  Contact known = contact("known@example.com");
  known.first_name = "Ana";
  ASSERT_TRUE(upsert(known));
  for (const char* id : {"e-stored", R"(e-"odd\)"}) {
    const Event stored_before{id, "order.paid", 1000, {{"n", 1}}};
    ASSERT_TRUE(write<bool>([&](WriteTxn& txn) {
      return txn.insert_event(workspace_, stored_before, known.id, 1000);
    }));
  }

  auto answers =
      write<std::vector<std::string>>([&](WriteTxn& txn) -> Result<std::vector<std::string>> {
        std::vector<std::string> said;
        const auto say = [&said](std::string_view what, const auto& result) {
          said.push_back(std::string(what) + "=" + (result ? std::to_string(*result) : "error"));
        };
        if (auto r = txn.prefetch_events(workspace_, {"e-stored", "e-new", "e-new", R"(e-"odd\)"},
                                         {"known@example.com", "new@example.com"});
            !r) {
          return std::unexpected(r.error());
        }
        say("stored", txn.event_exists(workspace_, "e-stored"));
        say("new", txn.event_exists(workspace_, "e-new"));
        say("not prefetched", txn.event_exists(workspace_, "e-other"));
        say("odd", txn.event_exists(workspace_, R"(e-"odd\)"));
        if (auto r =
                txn.insert_event(workspace_, {"e-new", "order.paid", 1000, {}}, known.id, 1000);
            !r || !*r) {
          return std::unexpected(Error{ErrorCode::kInternal, "e-new not stored", {}});
        }
        say("new once stored", txn.event_exists(workspace_, "e-new"));

        Contact same = contact("known@example.com");
        auto unchanged = txn.upsert_contact(same);
        if (!unchanged) return std::unexpected(unchanged.error());
        said.push_back("known: created " + std::to_string(unchanged->created) + " changed " +
                       std::to_string(unchanged->changed) + " " + unchanged->contact.first_name);
        Contact fresh = contact("new@example.com");
        fresh.first_name = "Bia";
        auto created = txn.upsert_contact(fresh);
        if (!created) return std::unexpected(created.error());
        said.push_back("new: created " + std::to_string(created->created));
        Contact again = contact("new@example.com");
        again.last_name = "Souza";
        auto changed = txn.upsert_contact(again);
        if (!changed) return std::unexpected(changed.error());
        said.push_back("new again: created " + std::to_string(changed->created) + " changed " +
                       std::to_string(changed->changed) + " " + changed->contact.first_name + " " +
                       changed->contact.last_name);
        return said;
      });
  ASSERT_TRUE(answers) << answers.error().message;
  EXPECT_EQ(*answers, (std::vector<std::string>{"stored=1", "new=0", "not prefetched=0", "odd=1",
                                                "new once stored=1",
                                                "known: created 0 changed 0 Ana", "new: created 1",
                                                "new again: created 0 changed 1 Bia Souza"}));
  auto found = store_->find_contact_by_email(workspace_, "new@example.com");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->last_name, "Souza");
}

TEST_P(StoreContractTest, AddingAnUnknownContactAddsNobody) {
  auto maria = upsert(contact("maria@example.com"));
  ASSERT_TRUE(maria);
  ContactList list{new_uuid_v7(4000), workspace_, "Test", 0, 4000};
  ASSERT_TRUE(store_->insert_list(list));

  auto add = [&](std::vector<std::string> ids) {
    return write<std::vector<std::string>>(
        [&](WriteTxn& txn) { return txn.add_list_members(workspace_, list.id, ids, 4000); });
  };
  auto added = add({maria->contact.id, "ghost"});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(store_->get_list(workspace_, list.id)->member_count, 0);

  added = add({maria->contact.id, maria->contact.id});
  ASSERT_TRUE(added);
  EXPECT_EQ(added->size(), 1u);
  EXPECT_EQ(store_->get_list(workspace_, list.id)->member_count, 1);
}

TEST_P(StoreContractTest, PagesFollowTheCursor) {
  for (int i = 0; i < 5; ++i) {
    Contact c = contact("c" + std::to_string(i) + "@example.com");
    c.id = new_uuid_v7(2000 + i);
    ASSERT_TRUE(upsert(c));
  }
  auto first = store_->list_contacts(workspace_, {2, ""}, "");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].email, "c0@example.com");
  auto last = store_->list_contacts(workspace_, {3, first->next_cursor}, "");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->items.size(), 3u);
  EXPECT_EQ(last->items[0].email, "c2@example.com");
  EXPECT_TRUE(last->next_cursor.empty());
}

Delivery sample_delivery(const std::string& workspace, int64_t now) {
  Delivery d;
  d.id = new_uuid_v7(now);
  d.workspace_id = workspace;
  d.webhook_id = "w1";
  d.event_id = "e1";
  d.event_name = "contact.create";
  d.body = R"({"id":"e1"})";
  d.next_attempt_at = now;
  d.created_at = d.updated_at = now;
  return d;
}

TEST_P(StoreContractTest, ContactsAreFoundByPartOfTheirEmailOrNameIgnoringCase) {
  const std::vector<std::tuple<std::string, std::string, std::string>> people = {
      {"ana.silva@shop.example", "Ana", "Silva"},
      {"bruno@example.com", "Bruno", "Anastácio"},
      {"carla_100%@example.com", "Carla", "Souza"},
      {"dora@example.com", "Dora", "Lima"}};
  for (size_t i = 0; i < people.size(); ++i) {
    Contact c;
    c.workspace_id = workspace_;
    c.id = new_uuid_v7(3000 + static_cast<int64_t>(i));
    std::tie(c.email, c.first_name, c.last_name) = people[i];
    ASSERT_TRUE(upsert(c));
  }
  auto emails = [&](const std::string& search, int limit = 50, std::string cursor = "") {
    auto page = store_->list_contacts(workspace_, {limit, std::move(cursor)}, search);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> found;
    for (const Contact& c : page->items) found.push_back(c.email);
    return std::pair{found, page->next_cursor};
  };
  // In the email, the first name or the last name, or across first and last; any case.
  EXPECT_EQ(emails("ANA").first,
            (std::vector<std::string>{"ana.silva@shop.example", "bruno@example.com"}));
  EXPECT_EQ(emails("shop.EX").first, std::vector<std::string>{"ana.silva@shop.example"});
  EXPECT_EQ(emails("ana silva").first, std::vector<std::string>{"ana.silva@shop.example"});
  // The user's % and _ are their characters, not wildcards.
  EXPECT_EQ(emails("_100%").first, std::vector<std::string>{"carla_100%@example.com"});
  EXPECT_TRUE(emails("a%a").first.empty());
  EXPECT_TRUE(emails("nobody").first.empty());
  // Pages of matches follow the cursor.
  auto [first, cursor] = emails("example", 2);
  EXPECT_EQ(first.size(), 2u);
  ASSERT_FALSE(cursor.empty());
  EXPECT_EQ(emails("example", 2, cursor).first,
            (std::vector<std::string>{"carla_100%@example.com", "dora@example.com"}));
  // Another workspace's contacts are not found.
  auto other = store_->list_contacts("another-workspace", {50, ""}, "ana");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->items.empty());
}

TEST_P(StoreContractTest, LeasedDeliveriesAreNotClaimedUntilTheLeaseEnds) {
  const Delivery fresh = sample_delivery(workspace_, 10'000);
  Delivery leased = fresh;  // handed by node A's ingest straight to its dispatcher
  leased.id = new_uuid_v7(10'001);
  leased.next_attempt_at = 70'000;  // lease end
  leased.lease = {"node-a", 0};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(fresh); !r) return std::unexpected(r.error());
    if (auto r = txn.insert_delivery(leased); !r) return std::unexpected(r.error());
    return true;
  }));
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 20'000, 60'000, 10); });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).id, fresh.id);
  EXPECT_EQ(claimed->at(0).body, fresh.body);
  EXPECT_EQ(claimed->at(0).next_attempt_at, 80'000);
  EXPECT_EQ(claimed->at(0).lease.owner, "node-b");
  EXPECT_EQ(claimed->at(0).lease.number, 1);

  // Claimed once: not again before the lease ends.
  claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 21'000, 60'000, 10); });
  EXPECT_TRUE(claimed->empty());
  // Node B restarts: its own lease ends, node A's does not.
  EXPECT_EQ(*store_->delivery_queue().release_leases_of("node-b", 22'000), 1);
  claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 22'000, 60'000, 10); });
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).id, fresh.id);
  EXPECT_EQ(claimed->at(0).lease.number, 2);
  // Node A's lease ends unrenewed (it died): node B takes the delivery, under the next number.
  claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 70'000, 60'000, 10); });
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).id, leased.id);
  EXPECT_EQ(claimed->at(0).lease.owner, "node-b");
  EXPECT_EQ(claimed->at(0).lease.number, 2);
}

// What /metrics shows of the queue: due, scheduled, and leased here or to other nodes.
TEST_P(StoreContractTest, TheQueueIsCountedAsEachNodeSeesIt) {
  Delivery due = sample_delivery(workspace_, 10'000);
  Delivery later = sample_delivery(workspace_, 10'001);
  later.next_attempt_at = 90'000;
  Delivery mine = sample_delivery(workspace_, 10'002);
  mine.next_attempt_at = 70'000;
  mine.lease = {"node-a", 1};
  Delivery theirs = mine;
  theirs.id = new_uuid_v7(10'003);
  theirs.lease = {"node-b", 1};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const Delivery* d : {&due, &later, &mine, &theirs}) {
      if (auto r = txn.insert_delivery(*d); !r) return std::unexpected(r.error());
    }
    return true;
  }));
  auto counts = store_->queue_counts("node-a", 20'000);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->due, 1);
  EXPECT_EQ(counts->scheduled, 1);
  EXPECT_EQ(counts->leased_here, 1);
  EXPECT_EQ(counts->leased_elsewhere, 1);
  EXPECT_EQ(counts->oldest_due_at, 10'000);  // due for 10 s at 20 s
  // Once the leases end, what they held is due again, whoever held it.
  counts = store_->queue_counts("node-a", 80'000);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->due, 3);
  EXPECT_EQ(counts->leased(), 0);
  EXPECT_EQ(counts->oldest_due_at, 10'000);
  // With nothing due, the oldest due is the asking time: an age of 0.
  counts = store_->queue_counts("node-a", 5'000);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->due, 0);
  EXPECT_EQ(counts->oldest_due_at, 5'000);
}

// The nodes sharing a store count each other while they say they are alive; SQLite has one.
TEST_P(StoreContractTest, NodesAliveAreCountedAndADeadOneDropsOut) {
  ASSERT_EQ(*store_->heartbeat("node-a", 10'000), 1);
  const int both = *store_->heartbeat("node-b", 10'500);
  const int a_again = *store_->heartbeat("node-a", 11'000);
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(both, 1);
    EXPECT_EQ(a_again, 1);
    return;
  }
  EXPECT_EQ(both, 2);
  EXPECT_EQ(a_again, 2);
  // Node B says nothing more: past kNodeAliveMs it no longer counts.
  EXPECT_EQ(*store_->heartbeat("node-a", 10'500 + Store::kNodeAliveMs + 1), 1);
}

AttemptRecord failed_try(const Delivery& d, int number, Lease lease) {
  AttemptRecord record;
  record.attempt.delivery_id = d.id;
  record.attempt.number = number;
  record.attempt.request_method = "POST";
  record.attempt.request_url = "http://127.0.0.1:1/x";
  record.attempt.request_headers = "{}";
  record.attempt.response_status = 500;
  record.attempt.response_body = "boom " + lease.owner;
  record.status = DeliveryStatus::kRetrying;
  record.next_attempt_at = 200'000;
  record.lease = std::move(lease);
  return record;
}

// Deliveries given back due later for want of room (pending, never tried, not leased) become due
// now when their webhook has room again, the soonest first, `limit` at a time; nothing else moves.
TEST_P(StoreContractTest, HastenMakesOnlyTheWebhooksDeferredDeliveriesDueNow) {
  const auto delivery = [&](int64_t due, auto&& change) {
    Delivery d = sample_delivery(workspace_, 1'000);
    d.id = new_uuid_v7(1'000);
    d.next_attempt_at = due;
    change(d);
    return d;
  };
  const auto as_is = [](Delivery&) {};
  const std::vector<Delivery> deferred = {delivery(40'000, as_is), delivery(30'000, as_is),
                                          delivery(50'000, as_is)};
  const std::vector<Delivery> untouched = {
      delivery(90'000, as_is),                                     // past `until`
      delivery(5'000, as_is),                                      // due already
      delivery(30'000, [](Delivery& d) { d.webhook_id = "w2"; }),  // another webhook
      delivery(30'000,
               [](Delivery& d) {
                 d.status = DeliveryStatus::kRetrying;  // tried: its retry schedule stands
                 d.attempts = 1;
               }),
      delivery(30'000,
               [](Delivery& d) {
                 d.lease = {"node-a", 1};
               }),  // leased
  };
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const auto* list : {&deferred, &untouched}) {
      for (const Delivery& d : *list) {
        if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
      }
    }
    return true;
  }));
  const auto hasten = [&](int limit) {
    std::promise<Result<int64_t>> done;
    store_->delivery_queue().hasten("w1", 10'000, 60'000, limit,
                                    [&done](Result<int64_t> r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  };
  const auto due_at = [&](const Delivery& d) {
    return store_->get_delivery(workspace_, d.id)->next_attempt_at;
  };

  EXPECT_EQ(hasten(2), 2);
  EXPECT_EQ(due_at(deferred[1]), 10'000);  // the soonest two
  EXPECT_EQ(due_at(deferred[0]), 10'000);
  EXPECT_EQ(due_at(deferred[2]), 50'000);
  EXPECT_EQ(hasten(2), 1);
  EXPECT_EQ(due_at(deferred[2]), 10'000);
  EXPECT_EQ(hasten(2), 0);
  for (const Delivery& d : untouched) EXPECT_EQ(due_at(d), d.next_attempt_at) << d.id;
  // Due now, the next claim takes them, with the one that was due already.
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 10'000, 60'000, 10); });
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->size(), 4u);
}

TEST_P(StoreContractTest, AHolderWhoseLeaseWasTakenWritesNothing) {
  Delivery d = sample_delivery(workspace_, 10'000);
  d.next_attempt_at = 20'000;
  d.lease = {"node-a", 0};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    return true;
  }));
  // Node A is stuck past its lease; node B claims the delivery and sends it.
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-b", 21'000, 60'000, 10); });
  ASSERT_EQ(claimed->size(), 1u);
  const Lease b = claimed->at(0).lease;

  // Node A comes back with its outcome, then tries to give the delivery back: both refused.
  auto stale = write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.record_attempt(failed_try(d, 1, {"node-a", 1}), 22'000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  });
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.release_deliveries("node-a", {{claimed->at(0).seq, 1}}, 22'000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  }));
  auto unchanged = store_->get_delivery(workspace_, d.id);
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->status, DeliveryStatus::kPending);
  EXPECT_EQ(unchanged->attempts, 0);
  EXPECT_EQ(unchanged->lease.owner, "node-b");
  EXPECT_EQ(unchanged->next_attempt_at, 81'000);
  EXPECT_TRUE(store_->list_attempts(workspace_, d.id)->empty());

  // Node B's outcome is the one that counts.
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.record_attempt(failed_try(d, 1, b), 23'000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  }));
  auto attempts = store_->list_attempts(workspace_, d.id);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->at(0).response_body, "boom node-b");
  auto moved = store_->get_delivery(workspace_, d.id);
  EXPECT_EQ(moved->status, DeliveryStatus::kRetrying);
  EXPECT_FALSE(moved->lease.held());
  // A record once the lease ended is refused too, even from the last holder.
  auto again = write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.record_attempt(failed_try(d, 2, b), 24'000); !r) {
      return std::unexpected(r.error());
    }
    return true;
  });
  EXPECT_FALSE(again.has_value());
  EXPECT_EQ(store_->list_attempts(workspace_, d.id)->size(), 1u);
}

// A delivery that died and is retried by hand starts a new round of tries: the schedule from its
// first wait.
TEST_P(StoreContractTest, AManualRetryOfADeadDeliveryStartsANewRound) {
  Delivery d = sample_delivery(workspace_, 10'000);
  d.lease = {"node-a", 0};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    return true;
  }));
  AttemptRecord record = failed_try(d, 1, {"node-a", 1});
  record.status = DeliveryStatus::kDead;
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.record_attempt(record, 11'000); !r) return std::unexpected(r.error());
    return true;
  }));
  auto requeued = write<Delivery>(
      [&](WriteTxn& txn) { return txn.requeue_delivery(workspace_, d.id, 12'000); });
  ASSERT_TRUE(requeued);
  EXPECT_EQ(requeued->status, DeliveryStatus::kPending);
  EXPECT_EQ(requeued->schedule_base, 1);
  EXPECT_EQ(requeued->round_attempts(), 0);
  auto stored = store_->get_delivery(workspace_, d.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, DeliveryStatus::kPending);
  EXPECT_EQ(stored->round_attempts(), 0);
  EXPECT_EQ(stored->next_attempt_at, 12'000);
}

TEST_P(StoreContractTest, AttemptsAreLoggedAndMoveTheDelivery) {
  Delivery d = sample_delivery(workspace_, 10'000);
  d.lease = {"node-a", 0};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    return true;
  }));
  AttemptRecord record = failed_try(d, 1, {"node-a", 1});
  record.attempt.response_body = "boom";
  record.next_attempt_at = 15'000;
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.record_attempt(record, 11'000); !r) return std::unexpected(r.error());
    return true;
  }));
  auto stored = store_->get_delivery(workspace_, d.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, DeliveryStatus::kRetrying);
  EXPECT_EQ(stored->attempts, 1);
  EXPECT_EQ(stored->last_status, 500);
  EXPECT_EQ(stored->next_attempt_at, 15'000);
  auto attempts = store_->list_attempts(workspace_, d.id);
  EXPECT_TRUE(store_->list_attempts("another-workspace", d.id)->empty());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->at(0).response_body, "boom");

  // Due at 15 s, not before; a manual requeue makes it due now, keeping its place in the retry
  // schedule (it is still being retried: the waits do not start over).
  auto early = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 14'000, 60'000, 10); });
  EXPECT_TRUE(early->empty());
  auto requeued = write<Delivery>(
      [&](WriteTxn& txn) { return txn.requeue_delivery(workspace_, d.id, 12'000); });
  ASSERT_TRUE(requeued);
  // One try made, waiting for the schedule's second: the try now is extra, and if it fails the
  // next wait is still the second.
  EXPECT_EQ(requeued->status, DeliveryStatus::kRetrying);
  EXPECT_EQ(requeued->schedule_base, 1);
  EXPECT_EQ(requeued->round_attempts(), 0);
  auto due = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 12'000, 60'000, 10); });
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->at(0).status, DeliveryStatus::kRetrying);
  EXPECT_EQ(due->at(0).round_attempts(), 0);
}

// A dispatcher's turn: its records land together, and one whose lease is not held any more is
// refused alone. Every byte of what was received reads back as it was.
TEST_P(StoreContractTest, ATurnOfRecordsLandsAndOneWhoseLeaseEndedIsRefusedAlone) {
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 3; ++i) {
    Delivery d = sample_delivery(workspace_, 10'000 + i);
    d.lease = {"node-a", 0};
    d.next_attempt_at = 50'000;
    deliveries.push_back(d);
  }
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (Delivery& d : deliveries) {
      auto seq = txn.insert_delivery(d);
      if (!seq) return std::unexpected(seq.error());
      d.seq = *seq;
    }
    return true;
  }));
  std::vector<AttemptRecord> turn;
  for (const Delivery& d : deliveries) {
    turn.push_back(failed_try(d, 1, {"node-a", 1}));
    turn.back().attempt.delivery_seq = d.seq;
  }
  turn[0].status = DeliveryStatus::kSucceeded;
  turn[0].attempt.response_status = 200;
  turn[0].attempt.response_headers = R"({"content-type":"application/octet-stream"})";
  turn[0].attempt.response_body = std::string("ok \0\xff\x80 \xe2\x9c\x93", 10);
  turn[1].lease = {"node-a", 7};  // another claim's number: this node's lease ended
  turn[2].attempt.response_status = std::nullopt;
  turn[2].attempt.response_body.clear();
  turn[2].attempt.error_code = "timeout";
  turn[2].attempt.error_message = "no answer in 2000 ms \"quoted\"";
  auto outcomes = write<std::vector<std::optional<Error>>>(
      [&](WriteTxn& txn) { return txn.record_attempts(turn, 20'000); });
  ASSERT_TRUE(outcomes) << outcomes.error().message;
  ASSERT_EQ(outcomes->size(), 3u);
  EXPECT_FALSE(outcomes->at(0).has_value());
  ASSERT_TRUE(outcomes->at(1).has_value());
  EXPECT_EQ(outcomes->at(1)->code, ErrorCode::kConflict);
  EXPECT_FALSE(outcomes->at(2).has_value());

  auto succeeded = store_->get_delivery(workspace_, deliveries[0].id);
  EXPECT_EQ(succeeded->status, DeliveryStatus::kSucceeded);
  EXPECT_EQ(succeeded->last_status, 200);
  auto attempts = store_->list_attempts(workspace_, deliveries[0].id);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->at(0).response_body, turn[0].attempt.response_body);
  EXPECT_EQ(attempts->at(0).response_headers, turn[0].attempt.response_headers);
  EXPECT_EQ(attempts->at(0).response_status, 200);

  auto untouched = store_->get_delivery(workspace_, deliveries[1].id);
  EXPECT_EQ(untouched->status, DeliveryStatus::kPending);
  EXPECT_EQ(untouched->lease.owner, "node-a");
  EXPECT_TRUE(store_->list_attempts(workspace_, deliveries[1].id)->empty());

  auto retrying = store_->get_delivery(workspace_, deliveries[2].id);
  EXPECT_EQ(retrying->status, DeliveryStatus::kRetrying);
  EXPECT_EQ(retrying->next_attempt_at, 200'000);
  EXPECT_EQ(retrying->last_error, "timeout");
  EXPECT_FALSE(retrying->lease.held());
  auto timed_out = store_->list_attempts(workspace_, deliveries[2].id);
  ASSERT_EQ(timed_out->size(), 1u);
  EXPECT_FALSE(timed_out->at(0).response_status.has_value());
  EXPECT_EQ(timed_out->at(0).error_message, turn[2].attempt.error_message);
  EXPECT_EQ(timed_out->at(0).request_url, "http://127.0.0.1:1/x");
}

TEST_P(StoreContractTest, DeliveryLogFiltersAndPagesNewestFirst) {
  std::vector<Delivery> all;
  for (int i = 0; i < 5; ++i) {
    Delivery d = sample_delivery(workspace_, 10'000 + i);
    d.event_name = i % 2 == 0 ? "contact.create" : "email.click";
    all.push_back(d);
  }
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const auto& d : all) {
      if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    }
    return true;
  }));
  auto page = store_->list_deliveries(workspace_, {}, {2, ""});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, all[4].id);
  // A page of the log never carries the bodies: with bodies of up to --max-body each, a page of
  // 200 would hold megabytes for an answer that shows none of them.
  for (const Delivery& listed : page->items) EXPECT_TRUE(listed.body.empty()) << listed.id;
  EXPECT_FALSE(store_->get_delivery(workspace_, all[4].id)->body.empty());
  auto rest = store_->list_deliveries(workspace_, {}, {10, page->next_cursor});
  EXPECT_EQ(rest->items.size(), 3u);
  EXPECT_EQ(rest->items[0].id, all[2].id);
  EXPECT_TRUE(rest->next_cursor.empty());
  auto bad = store_->list_deliveries(workspace_, {}, {10, all[3].id});  // not a cursor it gave
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().field, "cursor");
  DeliveryFilter clicks;
  clicks.event_name = "email.click";
  EXPECT_EQ(store_->list_deliveries(workspace_, clicks, {10, ""})->items.size(), 2u);
  DeliveryFilter dead;
  dead.status = DeliveryStatus::kDead;
  EXPECT_TRUE(store_->list_deliveries(workspace_, dead, {10, ""})->items.empty());
  DeliveryFilter window;
  window.since_ms = 10'001;
  window.until_ms = 10'003;
  EXPECT_EQ(store_->list_deliveries(workspace_, window, {10, ""})->items.size(), 2u);
}

TEST_P(StoreContractTest, AFailingJobUndoesOnlyItself) {
  std::vector<std::future<Result<void>>> results;
  std::vector<std::promise<Result<void>>> promises(3);
  for (int i = 0; i < 3; ++i) {
    results.push_back(promises[i].get_future());
    store_->write(
        [this, i](WriteTxn& txn) -> Result<void> {
          Contact c = contact("job" + std::to_string(i) + "@example.com");
          c.id = new_uuid_v7(3000 + i);
          if (auto r = txn.upsert_contact(c); !r) return std::unexpected(r.error());
          if (i == 1) return std::unexpected(Error::validation("x", "job 1 fails after writing"));
          return {};
        },
        [&promises, i](Result<void> r) { promises[i].set_value(std::move(r)); });
  }
  EXPECT_TRUE(results[0].get());
  EXPECT_FALSE(results[1].get());
  EXPECT_TRUE(results[2].get());
  EXPECT_TRUE(store_->find_contact_by_email(workspace_, "job0@example.com")->has_value());
  EXPECT_FALSE(store_->find_contact_by_email(workspace_, "job1@example.com")->has_value());
  EXPECT_TRUE(store_->find_contact_by_email(workspace_, "job2@example.com")->has_value());
}

TEST_P(StoreContractTest, AFailedPartOfAJobUndoesOnlyItself) {
  auto done = write<int>([this](WriteTxn& txn) -> Result<int> {
    int failed = 0;
    for (const char* email : {"kept1@example.com", "undone@example.com", "kept2@example.com"}) {
      auto part = txn.in_savepoint([&]() -> Result<void> {
        if (auto r = txn.upsert_contact(contact(email)); !r) return std::unexpected(r.error());
        if (std::string_view(email).starts_with("undone")) {
          return std::unexpected(Error::validation("x", "this part fails after writing"));
        }
        return {};
      });
      if (!part) return std::unexpected(part.error());
      if (!*part) ++failed;
    }
    return failed;
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(*done, 1);
  EXPECT_TRUE(store_->find_contact_by_email(workspace_, "kept1@example.com")->has_value());
  EXPECT_FALSE(store_->find_contact_by_email(workspace_, "undone@example.com")->has_value());
  EXPECT_TRUE(store_->find_contact_by_email(workspace_, "kept2@example.com")->has_value());
}

// The same with writes that need no answer (a delivery's insert, which PostgreSQL's writer holds
// back to travel with the job's next round trip), and with a job that fails before it writes
// anything: each failure undoes only its own job or part, wherever its writes were.
TEST_P(StoreContractTest, AFailureUndoesOnlyItselfWhereverItsWritesWaited) {
  const auto insert = [](WriteTxn& txn, const Delivery& d) -> Result<void> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    return {};
  };
  std::vector<Delivery> deliveries;
  for (int i = 0; i < 6; ++i) deliveries.push_back(sample_delivery(workspace_, 10'000 + i));
  std::vector<std::promise<Result<void>>> promises(4);
  std::vector<std::future<Result<void>>> results;
  for (auto& promise : promises) results.push_back(promise.get_future());
  const auto reply = [&promises](int i) {
    return [&promises, i](Result<void> r) { promises[i].set_value(std::move(r)); };
  };
  // Kept, failed after its insert, failed before writing anything, kept: usually one batch.
  store_->write([&](WriteTxn& txn) { return insert(txn, deliveries[0]); }, reply(0));
  store_->write(
      [&](WriteTxn& txn) -> Result<void> {
        if (auto r = insert(txn, deliveries[1]); !r) return r;
        return std::unexpected(Error::validation("x", "fails after its insert"));
      },
      reply(1));
  store_->write(
      [](WriteTxn&) -> Result<void> {
        return std::unexpected(Error::validation("x", "fails before writing"));
      },
      reply(2));
  store_->write(
      [&](WriteTxn& txn) -> Result<void> {
        if (auto r = insert(txn, deliveries[2]); !r) return r;
        // Parts: one fails after its insert, one before any write; the job's writes before
        // and after them stay.
        for (const Delivery* d : std::initializer_list<const Delivery*>{&deliveries[3], nullptr}) {
          auto part = txn.in_savepoint([&]() -> Result<void> {
            if (d != nullptr) {
              if (auto r = insert(txn, *d); !r) return r;
            }
            return std::unexpected(Error::validation("x", "this part fails"));
          });
          if (!part) return std::unexpected(part.error());
          EXPECT_FALSE(*part);
        }
        auto kept = txn.in_savepoint([&] { return insert(txn, deliveries[4]); });
        if (!kept) return std::unexpected(kept.error());
        if (!*kept) return *kept;
        return insert(txn, deliveries[5]);
      },
      reply(3));
  EXPECT_TRUE(results[0].get());
  EXPECT_FALSE(results[1].get());
  EXPECT_FALSE(results[2].get());
  const auto fourth = results[3].get();
  EXPECT_TRUE(fourth) << fourth.error().message;
  for (int i = 0; i < 6; ++i) {
    const bool kept = i == 0 || i == 2 || i == 4 || i == 5;
    auto found = store_->get_delivery(workspace_, deliveries[i].id);
    EXPECT_EQ(found.has_value(), kept) << "delivery " << i;
  }
}

// A contact waits at a Webhook block for its delivery's outcome: recording the outcome through
// the delivery queue (as the dispatcher does) makes it due at once, a retry does not, and what
// the block then reads is the delivery's state and its last answer; a note lands on that attempt.
// An active journey, stored, and a contact of it waiting at its Webhook block "w" for
// `delivery_id` (not stored), with its fallback wake-up at 70'000.
Enrolment waiting_in_new_journey(Store& store, const std::string& workspace_id,
                                 const std::string& delivery_id) {
  JourneyRow journey;
  journey.id = new_uuid_v7(4000);
  journey.workspace_id = workspace_id;
  journey.name = "scores leads";
  journey.graph = R"({"blocks":[],"edges":[]})";
  journey.trigger_event = "lead.created";
  journey.status = JourneyStatus::kActive;
  EXPECT_TRUE(store.insert_journey(journey));
  Enrolment waiting;
  waiting.id = new_uuid_v7(10'000);
  waiting.workspace_id = workspace_id;
  waiting.journey_id = journey.id;
  waiting.contact_id = "c-1";
  waiting.block_id = "w";
  waiting.status = "waiting";
  waiting.wake_at = 70'000;  // the fallback
  waiting.event = "{}";
  waiting.waiting_delivery = delivery_id;
  return waiting;
}

TEST_P(StoreContractTest, AnEndedDeliveryWakesTheContactWaitingForItsAnswer) {
  Delivery d = sample_delivery(workspace_, 10'000);
  d.lease = {"node-a", 0};
  const Enrolment waiting = waiting_in_new_journey(*store_, workspace_, d.id);
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    if (auto r = txn.insert_enrolment(waiting); !r) return std::unexpected(r.error());
    return true;
  }));
  const auto due_at = [&](int64_t now) {
    return write<std::vector<Enrolment>>(
        [now](WriteTxn& txn) { return txn.due_enrolments(now, 10); });
  };
  const auto record = [&](AttemptRecord r, int64_t now) {
    std::promise<Result<std::vector<std::optional<Error>>>> done;
    store_->delivery_queue().record({std::move(r)}, now,
                                    [&done](auto outcome) { done.set_value(std::move(outcome)); });
    auto outcome = done.get_future().get();
    ASSERT_TRUE(outcome);
    ASSERT_FALSE(outcome->at(0).has_value()) << outcome->at(0)->message;
  };
  ASSERT_TRUE(due_at(20'000)->empty());
  ASSERT_EQ(due_at(70'000)->size(), 1u);
  EXPECT_EQ(due_at(70'000)->at(0).waiting_delivery, d.id);

  record(failed_try(d, 1, {"node-a", 1}), 11'000);  // retrying: still waiting for the outcome
  EXPECT_TRUE(due_at(20'000)->empty());
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 200'000, 60'000, 10); });
  ASSERT_EQ(claimed->size(), 1u);
  AttemptRecord answered = failed_try(d, 2, claimed->at(0).lease);
  answered.attempt.response_status = 200;
  answered.attempt.response_body = R"({"score":87})";
  answered.status = DeliveryStatus::kSucceeded;
  record(answered, 12'000);
  auto woken = due_at(12'000);
  ASSERT_EQ(woken->size(), 1u);
  EXPECT_EQ(woken->at(0).id, waiting.id);

  auto answer = write<std::optional<DeliveryAnswer>>(
      [&](WriteTxn& txn) { return txn.delivery_answer(workspace_, d.id); });
  ASSERT_TRUE(answer && answer->has_value());
  EXPECT_EQ((*answer)->status, DeliveryStatus::kSucceeded);
  EXPECT_EQ((*answer)->response_body, R"({"score":87})");
  auto elsewhere = write<std::optional<DeliveryAnswer>>(
      [&](WriteTxn& txn) { return txn.delivery_answer("another-workspace", d.id); });
  ASSERT_TRUE(elsewhere);
  EXPECT_FALSE(elsewhere->has_value());

  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.note_last_attempt(workspace_, d.id, "response mapping: /x: not in the answer");
        !r) {
      return std::unexpected(r.error());
    }
    // Moved on: it no longer waits for the delivery.
    Enrolment moved = waiting;
    moved.status = "completed";
    moved.wake_at = 0;
    if (auto r = txn.update_enrolment(moved); !r) return std::unexpected(r.error());
    return true;
  }));
  auto attempts = store_->list_attempts(workspace_, d.id);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 2u);
  const auto& last = attempts->at(0).number == 2 ? attempts->at(0) : attempts->at(1);
  const auto& first = attempts->at(0).number == 2 ? attempts->at(1) : attempts->at(0);
  EXPECT_EQ(last.error_message, "response mapping: /x: not in the answer");
  EXPECT_EQ(first.error_message, "");
  EXPECT_TRUE(due_at(999'999)->empty());
}

// A batch of claims, records and releases only commits without waiting for the disk (a power cut
// would only make those deliveries go again); one with anything else in it waits. The writer's
// metrics count each kind.
TEST_P(StoreContractTest, OnlyBatchesOfRedoableWorkCommitWithoutWaitingForTheDisk) {
  const auto batches = [&](std::string_view durability) {
    PrometheusText text;
    store_->write_writer_metrics(text);
    const std::string metrics = text.take();
    const std::string name =
        "hookline_store_batches_total{durability=\"" + std::string(durability) + "\"} ";
    const size_t at = metrics.find(name);
    return at == std::string::npos ? -1.0 : std::stod(metrics.substr(at + name.size()));
  };
  const double acknowledged = batches("acknowledged");
  const double redoable = batches("redoable");
  ASSERT_GE(acknowledged, 0);
  ASSERT_GE(redoable, 0);

  Delivery d = sample_delivery(workspace_, 10'000);
  d.lease = {"node-a", 0};
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.insert_delivery(d); !r) return std::unexpected(r.error());
    return true;
  }));
  EXPECT_EQ(batches("acknowledged"), acknowledged + 1);
  EXPECT_EQ(batches("redoable"), redoable);

  std::promise<Result<std::vector<std::optional<Error>>>> done;
  store_->delivery_queue().record({failed_try(d, 1, {"node-a", 1})}, 11'000,
                                  [&done](auto outcome) { done.set_value(std::move(outcome)); });
  auto outcome = done.get_future().get();
  ASSERT_TRUE(outcome);
  ASSERT_FALSE(outcome->at(0).has_value());
  EXPECT_EQ(batches("redoable"), redoable + 1);
  EXPECT_EQ(batches("acknowledged"), acknowledged + 1);
  // Recorded all the same, and a waiting commit after it goes on as before.
  auto claimed = write<std::vector<Delivery>>(
      [](WriteTxn& txn) { return txn.claim_due_deliveries("node-a", 300'000, 60'000, 10); });
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(claimed->at(0).attempts, 1);
}

// A success's answer longer than the log's 4 KiB excerpt is kept whole on its attempt when a
// contact waits for that delivery at a Webhook block (so the block maps fields past 4 KiB), and
// only then: another delivery's attempt keeps the excerpt.
TEST_P(StoreContractTest, ALongAnswerIsKeptWholeOnlyForADeliveryAJourneyWaitsFor) {
  Delivery awaited = sample_delivery(workspace_, 10'000);
  awaited.lease = {"node-a", 0};  // stored as the lease's first number: node-a#1
  Delivery other = sample_delivery(workspace_, 10'001);
  other.lease = {"node-a", 0};
  const Enrolment waiting = waiting_in_new_journey(*store_, workspace_, awaited.id);
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const Delivery* d : {&awaited, &other}) {
      if (auto r = txn.insert_delivery(*d); !r) return std::unexpected(r.error());
    }
    if (auto r = txn.insert_enrolment(waiting); !r) return std::unexpected(r.error());
    return true;
  }));

  const std::string whole = R"({"pad":")" + std::string(9000, 'p') + R"(","score":87})";
  std::vector<AttemptRecord> records;
  for (const Delivery* d : {&awaited, &other}) {
    AttemptRecord r = failed_try(*d, 1, {"node-a", 1});
    r.attempt.response_status = 200;
    r.attempt.error_code.clear();
    r.attempt.response_body = whole.substr(0, 4096);
    r.status = DeliveryStatus::kSucceeded;
    r.answer = whole;
    records.push_back(std::move(r));
  }
  std::promise<Result<std::vector<std::optional<Error>>>> done;
  store_->delivery_queue().record(std::move(records), 11'000,
                                  [&done](auto outcome) { done.set_value(std::move(outcome)); });
  auto outcome = done.get_future().get();
  ASSERT_TRUE(outcome);
  for (const auto& one : *outcome) ASSERT_FALSE(one.has_value()) << one->message;

  auto answer = write<std::optional<DeliveryAnswer>>(
      [&](WriteTxn& txn) { return txn.delivery_answer(workspace_, awaited.id); });
  ASSERT_TRUE(answer && answer->has_value());
  EXPECT_EQ((*answer)->response_body, whole);
  auto logged = store_->list_attempts(workspace_, other.id);
  ASSERT_TRUE(logged);
  ASSERT_EQ(logged->size(), 1u);
  EXPECT_EQ(logged->at(0).response_body, whole.substr(0, 4096));
}

TEST_P(StoreContractTest, JourneyRunsAddUpPerBatchAndAFailedJobCountsNone) {
  JourneyRow journey;
  journey.id = new_uuid_v7(4000);
  journey.workspace_id = workspace_;
  journey.name = "counted";
  journey.graph = R"({"blocks":[],"edges":[]})";
  journey.trigger_event = "e";
  ASSERT_TRUE(store_->insert_journey(journey));

  // The first job holds the writer until the next three are queued, so those share one batch.
  std::promise<void> gate;
  std::vector<std::promise<Result<void>>> promises(4);
  std::vector<std::future<Result<void>>> results;
  for (auto& p : promises) results.push_back(p.get_future());
  auto opened = gate.get_future().share();
  store_->write(
      [opened](WriteTxn&) -> Result<void> {
        opened.wait();
        return {};
      },
      [&promises](Result<void> r) { promises[0].set_value(std::move(r)); });
  const std::vector<std::pair<std::string, bool>> jobs = {
      {"=1:t=1:x", true}, {"=1:t=1:x", false}, {"=1:t+1:d", true}};
  for (size_t i = 0; i < jobs.size(); ++i) {
    store_->write(
        [&, i](WriteTxn& txn) -> Result<void> {
          txn.count_run(journey.id, 1, jobs[i].first);
          txn.count_run(journey.id, 1, jobs[i].first);
          if (!jobs[i].second) return std::unexpected(Error::validation("x", "this job fails"));
          return {};
        },
        [&promises, i](Result<void> r) { promises[i + 1].set_value(std::move(r)); });
  }
  gate.set_value();
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].get().has_value(), i != 2) << "job " << i;
  }

  auto stats = store_->journey_stats(workspace_, journey.id);
  // Another workspace sees none of them.
  EXPECT_TRUE(store_->journey_stats("another-workspace", journey.id)->empty());
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->at("t").entered, 4);
  EXPECT_EQ(stats->at("t").left, 4);
  EXPECT_EQ(stats->at("x").entered, 2);
  EXPECT_EQ(stats->at("d").entered, 2);
  EXPECT_EQ(stats->at("d").left, 0);

  // A later batch adds to the same rows.
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    txn.count_run(journey.id, 1, "-1:d=1:x");
    return true;
  }));
  stats = store_->journey_stats(workspace_, journey.id);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->at("d").left, 1);
  EXPECT_EQ(stats->at("x").entered, 3);
}

// A database made by an earlier version keeps its journey counts through the upgrade that stores
// them per path (migration 5).

INSTANTIATE_STORE_CONTRACT(StoreContractTest);

}  // namespace
}  // namespace hookline::store

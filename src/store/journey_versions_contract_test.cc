#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/store_contract_fixture.h"

// The Store contract for journey versions, on both backends: a change made from the current
// version either replaces it in place or adds the next one; a change made from a version that is
// no longer current is refused; contacts are counted on the version they entered; what an event
// looks up for waiting contacts (goals, Wait until) covers every version of an active journey.
namespace hookline::store {
namespace {

using JourneyVersions = StoreContractTest;

JourneyRow journey_row(const std::string& workspace_id, const std::string& goal) {
  JourneyRow j;
  j.id = new_uuid_v7(4000);
  j.workspace_id = workspace_id;
  j.name = "welcome";
  j.status = JourneyStatus::kActive;
  j.graph = R"({"blocks":[{"id":"t"}],"edges":[]})";
  j.trigger_event = "signed_up";
  j.goal_event = goal;
  j.created_at = j.updated_at = 4000;
  return j;
}

Enrolment waiting_on(const JourneyRow& journey, int version, const std::string& contact_id) {
  Enrolment e;
  e.id = new_uuid_v7(5000);
  e.workspace_id = journey.workspace_id;
  e.journey_id = journey.id;
  e.journey_version = version;
  e.contact_id = contact_id;
  e.block_id = "d";
  e.status = "waiting";
  e.wake_at = 90'000;
  e.event = "{}";
  e.created_at = e.updated_at = 5000;
  return e;
}

TEST_P(JourneyVersions, AChangeReplacesTheVersionInPlaceOrAddsTheNext) {
  JourneyRow journey = journey_row(workspace_, "order.paid");
  ASSERT_TRUE(store_->insert_journey(journey));

  JourneyRow before = journey;
  journey.name = "welcome, renamed";
  journey.updated_at = 4100;
  ASSERT_TRUE(store_->update_journey(journey, before));  // in place
  before = journey;
  journey.graph = R"({"blocks":[{"id":"t"},{"id":"d"}],"edges":[]})";
  journey.goal_event = "trial.ended";
  journey.version = 2;
  journey.updated_at = 4200;
  ASSERT_TRUE(store_->update_journey(journey, before));

  auto current = store_->get_journey(workspace_, journey.id);
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->name, "welcome, renamed");
  EXPECT_EQ(current->graph, journey.graph);
  auto first = store_->get_journey_version(workspace_, journey.id, 1);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->graph, R"({"blocks":[{"id":"t"}],"edges":[]})");
  EXPECT_EQ(store_->get_journey_version(workspace_, journey.id, 3).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->get_journey_version("another-workspace", journey.id, 1).error().code,
            ErrorCode::kNotFound);

  // Another change made from version 1 came too late.
  journey.updated_at = 4300;
  auto stale = store_->update_journey(journey, before);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  JourneyRow gone = journey;
  gone.id = "no-such-journey";
  EXPECT_EQ(store_->update_journey(gone, before).error().code, ErrorCode::kNotFound);
  // So did one read before a status change (in the same millisecond, too): a draft's graph
  // changed in place must not land on a journey that has just been activated.
  before = *store_->get_journey(workspace_, journey.id);
  ASSERT_TRUE(store_->set_journey_status(workspace_, journey.id, JourneyStatus::kPaused,
                                         before.updated_at));
  journey.version = 2;
  journey.name = "renamed again";
  journey.updated_at = before.updated_at + 1;
  EXPECT_EQ(store_->update_journey(journey, before).error().code, ErrorCode::kConflict);

  auto versions = store_->journey_versions(workspace_, journey.id);
  ASSERT_TRUE(versions) << versions.error().message;
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ(versions->at(0).version, 2);
  EXPECT_EQ(versions->at(0).created_at, 4200);
  EXPECT_EQ(versions->at(1).version, 1);
  EXPECT_EQ(versions->at(1).created_at, 4000);
  EXPECT_EQ(store_->journey_versions("another-workspace", journey.id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(JourneyVersions, ContactsAreCountedAndFoundOnTheVersionTheyEntered) {
  JourneyRow journey = journey_row(workspace_, "order.paid");
  ASSERT_TRUE(store_->insert_journey(journey));
  const JourneyRow before = journey;
  journey.graph = R"({"blocks":[{"id":"t"},{"id":"w"}],"edges":[]})";
  journey.goal_event = "trial.ended";
  journey.wait_events = " clicked ";
  journey.version = 2;
  journey.updated_at = 4200;
  ASSERT_TRUE(store_->update_journey(journey, before));

  const Enrolment ana = waiting_on(journey, 1, "ana");
  const Enrolment bia = waiting_on(journey, 2, "bia");
  const Enrolment caio = waiting_on(journey, 2, "caio");
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    for (const Enrolment* e : {&ana, &bia, &caio}) {
      if (auto r = txn.insert_enrolment(*e); !r) return std::unexpected(r.error());
    }
    // Their runs so far, and one more on version 2 that went through "w" to its end.
    txn.count_run(journey.id, 1, "=1:t+1:d");
    txn.count_run(journey.id, 2, "=1:t+1:d");
    txn.count_run(journey.id, 2, "=1:t+1:d");
    txn.count_run(journey.id, 2, "=1:t=1:w");
    return true;
  }));

  auto versions = store_->journey_versions(workspace_, journey.id);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->at(0).waiting, 2);
  EXPECT_EQ(versions->at(1).waiting, 1);
  auto first = store_->version_stats(workspace_, journey.id, 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 2u);
  EXPECT_EQ(first->at("t").entered, 1);
  EXPECT_EQ(first->at("d").entered, 1);
  EXPECT_EQ(first->at("d").waiting, 1);
  auto second = store_->version_stats(workspace_, journey.id, 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->at("t").entered, 3);
  EXPECT_EQ(second->at("d").waiting, 2);
  EXPECT_EQ(second->at("w").entered, 1);
  // The journey's counts add its versions up.
  auto all = store_->journey_stats(workspace_, journey.id);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->at("t").entered, 4);
  EXPECT_EQ(all->at("d").entered, 3);
  EXPECT_EQ(all->at("d").waiting, 3);
  EXPECT_EQ(all->at("w").entered, 1);
  EXPECT_TRUE(store_->version_stats(workspace_, journey.id, 3)->empty());
  EXPECT_TRUE(store_->version_stats("another-workspace", journey.id, 2)->empty());

  // Each goal is found as the version that has it.
  using Rows = std::shared_ptr<const std::vector<JourneyRow>>;
  auto old_goal = write<Rows>(
      [&](WriteTxn& txn) { return txn.active_journeys_with_goal(workspace_, "order.paid"); });
  ASSERT_TRUE(old_goal);
  ASSERT_EQ((*old_goal)->size(), 1u);
  EXPECT_EQ((*old_goal)->at(0).version, 1);
  EXPECT_EQ((*old_goal)->at(0).graph, R"({"blocks":[{"id":"t"}],"edges":[]})");
  auto new_goal = write<Rows>(
      [&](WriteTxn& txn) { return txn.active_journeys_with_goal(workspace_, "trial.ended"); });
  ASSERT_TRUE(new_goal);
  ASSERT_EQ((*new_goal)->size(), 1u);
  EXPECT_EQ((*new_goal)->at(0).version, 2);
  // Only version 2 waits for "clicked".
  auto waits = write<Rows>(
      [&](WriteTxn& txn) { return txn.active_journeys_waiting_for(workspace_, "clicked"); });
  ASSERT_TRUE(waits);
  ASSERT_EQ((*waits)->size(), 1u);
  EXPECT_EQ((*waits)->at(0).version, 2);
  // New contacts enter the current version only.
  auto starts = write<Rows>(
      [&](WriteTxn& txn) { return txn.active_journeys_for_event(workspace_, "signed_up"); });
  ASSERT_TRUE(starts);
  ASSERT_EQ((*starts)->size(), 1u);
  EXPECT_EQ((*starts)->at(0).version, 2);
  // The waker reads the version a contact is on.
  auto found = write<std::optional<JourneyRow>>([&](WriteTxn& txn) {
    return txn.find_journey_version(workspace_, journey.id, ana.journey_version);
  });
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->version, 1);
  auto waiting = write<std::vector<Enrolment>>(
      [&](WriteTxn& txn) { return txn.waiting_enrolments_of("ana"); });
  ASSERT_TRUE(waiting);
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ(waiting->at(0).journey_version, 1);

  // Once no one is on version 1, its goal no longer listens.
  Enrolment done = ana;
  done.status = "completed";
  ASSERT_TRUE(write<bool>([&](WriteTxn& txn) -> Result<bool> {
    if (auto r = txn.update_enrolment(done); !r) return std::unexpected(r.error());
    return true;
  }));
  // A change of the journey refreshes what the writer caches.
  const JourneyRow renamed_from = *store_->get_journey(workspace_, journey.id);
  journey.name = "renamed";
  journey.updated_at = 4300;
  ASSERT_TRUE(store_->update_journey(journey, renamed_from));
  old_goal = write<Rows>(
      [&](WriteTxn& txn) { return txn.active_journeys_with_goal(workspace_, "order.paid"); });
  ASSERT_TRUE(old_goal);
  EXPECT_TRUE((*old_goal)->empty());

  // Deleting the journey takes its versions with it.
  ASSERT_TRUE(store_->delete_journey(workspace_, journey.id));
  EXPECT_EQ(store_->journey_versions(workspace_, journey.id).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_STORE_CONTRACT(JourneyVersions);

}  // namespace
}  // namespace hookline::store

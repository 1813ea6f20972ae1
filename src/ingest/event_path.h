#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/event.h"
#include "core/journey.h"
#include "journeys/runner.h"
#include "journeys/trigger_index.h"
#include "outbound/payload.h"
#include "store/write_txn.h"

namespace hookline::ingest {

// The lease a new delivery is stored under: the node whose dispatcher gets it straight after the
// commit, for how long before another claim may take it.
struct FreshLease {
  std::string owner;  // the node's id
  int64_t duration_ms = 0;
  // Whether the node's dispatcher takes a fresh delivery of this webhook now
  // (Dispatcher::fresh_due_instead): nullopt when it does. Otherwise the delivery is stored
  // unleased, due at the time given (Unix ms; 0: now), for a claim once there is room, instead of
  // being leased to the node only to be released again. Empty: the dispatcher takes every one.
  std::function<std::optional<int64_t>(const std::string& webhook_id)> due_instead;
};

// Events emitted by journey blocks may start other journeys; past this depth they no longer do,
// so journeys that trigger each other cannot loop forever.
inline constexpr int kMaxJourneyDepth = 5;

// An active journey that listens to an event's name, parsed, with its trigger block found.
struct ListeningJourney {
  std::shared_ptr<const Journey> journey;
  const Block* trigger = nullptr;
};

// Parsed journey graphs, re-parsed only when the stored journey changed. Used only inside write
// jobs, which all run on the store's writer thread.
class JourneyCache {
 public:
  using Rows = std::shared_ptr<const std::vector<store::JourneyRow>>;

  // The journeys listening to one event name, and their triggers indexed.
  struct Listening {
    Rows rows;  // held, so that its address (the key below) cannot be reused by another list
    std::vector<ListeningJourney> journeys;
    journeys::TriggerIndex triggers;  // indices into `journeys`
  };

  // The journeys of a list of rows from the store. The store hands out the same list for an event
  // name until a journey changes, so an event costs one lookup here however many journeys listen.
  // A journey that cannot be read is logged and left out.
  const Listening& listening(const Rows& rows);

  // One version of a journey, by its row.
  Result<std::shared_ptr<const Journey>> get(const store::JourneyRow& row);

  // Versions parsed and kept. Past kKeepAbove, those nothing else holds (no list of listening
  // journeys, no move in progress) are dropped: each edit of an active journey makes a version,
  // and a server that runs for months would otherwise keep every one it ever read, deleted
  // journeys' too. A version dropped is parsed again from its row when next asked for.
  static constexpr size_t kKeepAbove = 1024;
  size_t parsed() const { return parsed_; }

 private:
  struct Parsed {
    int64_t updated_at = 0;
    std::shared_ptr<const Journey> journey;
  };
  void sweep();

  // By journey id, then version: the versions that contacts are still on, and the current one.
  std::unordered_map<std::string, std::map<int, Parsed>> by_id_;
  size_t parsed_ = 0;  // entries in by_id_'s maps
  // The next sweep: twice what the last one kept, so that a cache of held versions is not swept
  // on every miss.
  size_t sweep_at_ = kKeepAbove;
  std::unordered_map<const std::vector<store::JourneyRow>*, Listening> by_rows_;
};

// What one write job does with events, inside its transaction: store the event, fan it out to
// subscribed webhooks (one delivery each, body rendered once), enrol the contact in matching
// active journeys and run them until a delay parks them; and wake enrolments whose delay ended.
// New deliveries are leased to this node (`lease`) and appended to `out`, for its dispatcher to
// send once the job commits.
class EventPath {
 public:
  EventPath(store::WriteTxn& txn, int64_t now_ms, const FreshLease& lease, JourneyCache& journeys,
            std::vector<Delivery>& out)
      : txn_(txn), now_ms_(now_ms), lease_(lease), journeys_(journeys), out_(out) {}

  // False, doing nothing, when the workspace already has an event with this id.
  Result<bool> record(const std::string& workspace_id, const Event& event, const Contact& contact,
                      int depth = 0);

  // A system event (SPEC 2: contact and list changes), made by Hookline itself: recorded like any
  // event when something listens to it, else dropped: one that neither webhooks nor journeys
  // listen to would cost a row on every contact change and cause nothing (so a contact's
  // timeline shows only the system events something listened to).
  Result<void> emit(const std::string& workspace_id, const Event& event, const Contact& contact,
                    int depth = 0);
  // Whether a subscribed webhook or an active journey (its trigger or its goal) listens to events
  // of this name.
  Result<bool> listened_to(const std::string& workspace_id, const std::string& event_name);

  // An event about no contact (is_about_contact: webhook.disabled, webhook.recovered), made by
  // Hookline: recorded, with no contact, and sent to the webhooks subscribed to it (their filters
  // read no contact fields), only when some webhook is; journeys never start from it.
  Result<void> emit_about_workspace(const std::string& workspace_id, const Event& event);

  // One delivery of `webhook` for this event: from a subscription, or a journey's webhook block.
  // `contact_payload` is null, and `contact_id` empty, for an event about no contact. A webhook
  // that delivers one at a time per contact queues it behind the contact's unfinished ones.
  // Returns the delivery's id.
  Result<std::string> add_delivery(const std::string& workspace_id, const Webhook& webhook,
                                   const Event& event, const std::string& contact_id,
                                   const boost::json::object* contact_payload,
                                   const std::optional<outbound::JourneyRef>& journey);

  // Moves on up to `limit` enrolments whose delay has ended; returns how many.
  Result<int> wake_due(int limit);
  // The outcome a contact waiting at a Webhook block waits for, once the delivery has ended;
  // nullopt, the enrolment parked again for twice `last_wait` (its last wait there), while it is
  // still being tried.
  Result<std::optional<journeys::Answer>> answer_for(Enrolment& enrolment, int64_t last_wait);

  store::WriteTxn& txn() { return txn_; }
  int64_t now_ms() const { return now_ms_; }

 private:
  Result<void> enrol(const std::string& workspace_id, const Event& event, const Contact& contact,
                     int depth);
  // The event moves the contact where it waits in journeys: out at their goal, or on from a Wait
  // until block waiting for it. One read of the contact's waiting enrolments, and only when an
  // active journey has a goal or a Wait until on this event's name.
  Result<void> move_waiting(const std::string& workspace_id, const Event& event,
                            const Contact& contact, int depth);
  // The enrolment's journey is among `goals` and the event passes its goal's filters: the
  // contact leaves, counted as converted at the goal. Returns whether it did.
  Result<bool> convert(Enrolment& enrolment, const std::vector<store::JourneyRow>& goals,
                       journeys::Fields& fields);
  // The enrolment waits at a Wait until block of one of `waits` for this event, whose filters
  // it passes: the contact leaves by the block's happened output and runs on.
  Result<void> wait_over(Enrolment& enrolment, const std::vector<store::JourneyRow>& waits,
                         const Event& event, journeys::Fields& fields, const Contact& contact,
                         int depth);

  // Where a resumed run stopped becomes the enrolment's place (its status `status`).
  Result<void> store_move(Enrolment& enrolment, const journeys::Stop& stop, std::string status);
  // Whether this job moved the enrolment after `read_at` (a value of moves_): what was read of
  // it then is stale.
  bool moved_since(const std::string& enrolment_id, uint64_t read_at) const;

  store::WriteTxn& txn_;
  const int64_t now_ms_;
  // Enrolments whose run is under way: the events it emits must not move them again.
  std::unordered_set<std::string> moving_;
  // When (in moves_, counted up per move) each enrolment moved in this job: a list of waiting
  // enrolments read before that is stale for it.
  uint64_t moves_ = 0;
  std::unordered_map<std::string, uint64_t> moved_at_;
  const FreshLease& lease_;
  JourneyCache& journeys_;
  std::vector<Delivery>& out_;
};

}  // namespace hookline::ingest

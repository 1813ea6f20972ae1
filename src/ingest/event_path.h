#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/event.h"
#include "core/journey.h"
#include "delivery/payload.h"
#include "store/write_txn.h"

namespace hookline::ingest {

// Events emitted by journey blocks may start other journeys; past this depth they no longer do,
// so journeys that trigger each other cannot loop forever.
inline constexpr int kMaxJourneyDepth = 5;

// Parsed journey graphs by id, re-parsed only when the stored journey changed. Used only inside
// write jobs, which all run on the store's writer thread.
class JourneyCache {
 public:
  Result<std::shared_ptr<const Journey>> get(const store::JourneyRow& row);

 private:
  struct Entry {
    int64_t updated_at = 0;
    std::shared_ptr<const Journey> journey;
  };
  std::map<std::string, Entry> entries_;
};

// What one write job does with events, inside its transaction: store the event, fan it out to
// subscribed webhooks (one delivery each, body rendered once), enrol the contact in matching
// active journeys and run them until a delay parks them; and wake enrolments whose delay ended.
// New deliveries are leased to this process until now + lease_ms and appended to `out`, for the
// dispatcher to send once the job commits.
class EventPath {
 public:
  EventPath(store::WriteTxn& txn, int64_t now_ms, int64_t lease_ms, JourneyCache& journeys,
            std::vector<Delivery>& out)
      : txn_(txn), now_ms_(now_ms), lease_ms_(lease_ms), journeys_(journeys), out_(out) {}

  // False, doing nothing, when the workspace already has an event with this id.
  Result<bool> record(const std::string& workspace_id, const Event& event, const Contact& contact,
                      int depth = 0);

  // One delivery of `webhook` for this event: from a subscription, or a journey's webhook block.
  Result<void> add_delivery(const std::string& workspace_id, const Webhook& webhook,
                            const Event& event, const boost::json::object& contact_payload,
                            const std::optional<delivery::JourneyRef>& journey);

  // Moves on up to `limit` enrolments whose delay has ended; returns how many.
  Result<int> wake_due(int limit);

  // Per-block counts add up over the whole job and are written once at its end (flush_stats):
  // a batch of events through one journey is one row update per block, not one per event.
  void count(const std::string& journey_id, const std::string& block_id, bool entered);
  Result<void> flush_stats();

  store::WriteTxn& txn() { return txn_; }
  int64_t now_ms() const { return now_ms_; }

 private:
  Result<void> enrol(const std::string& workspace_id, const Event& event, const Contact& contact,
                     int depth);

  store::WriteTxn& txn_;
  const int64_t now_ms_;
  const int64_t lease_ms_;
  JourneyCache& journeys_;
  std::vector<Delivery>& out_;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>>
      stats_;  // entered, left
};

}  // namespace hookline::ingest

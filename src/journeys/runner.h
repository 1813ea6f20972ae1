#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/journey.h"
#include "journeys/filters.h"

namespace hookline::journeys {

// What blocks do to the world, for one contact in one journey. Implemented over the store's write
// transaction by ingest/; a fake in tests.
class StepEffects {
 public:
  virtual ~StepEffects() = default;
  virtual Result<bool> in_list(const std::string& list_id) = 0;
  // The event's and the contact's fields as of now, for field conditions.
  virtual Fields& fields() = 0;
  virtual Result<void> call_webhook(const Block& block) = 0;
  virtual Result<void> add_to_list(const std::string& list_id) = 0;
  virtual Result<void> remove_from_list(const std::string& list_id) = 0;
  virtual Result<void> update_contact(const boost::json::object& properties) = 0;
  // Per-block counts: the contact came into, or went on from, a block (on `branch`, "yes" or
  // "no", from a condition; split_branch(i) from a split; kHappened or kTimedOut from a Wait
  // until for an event; empty from any other block).
  virtual void entered(const std::string& block_id) = 0;
  virtual void left(const std::string& block_id, std::string_view branch) = 0;
};

// Where a run stopped: parked at a delay or a Wait until until wake_at, or finished (an exit or a
// dead end).
struct Stop {
  std::string block_id;
  std::optional<int64_t> wake_at;
  bool finished() const { return !wake_at.has_value(); }
};

// The contact enters `from` now and goes on, block by block, until a wait parks it or the path
// ends. A block's failure stops the run with that error (the caller's transaction undoes it all).
Result<Stop> run_from(const Journey& journey, const Block& from, StepEffects& effects,
                      int64_t now_ms);

// After a wait's time: the contact leaves `block_id` (a delay, a Wait until whose time came, or
// one whose event did not come in time: by its timed_out output) and goes on from the block after
// it. A block that the journey no longer has (it was edited meanwhile) ends the run.
Result<Stop> resume_after(const Journey& journey, const std::string& block_id, StepEffects& effects,
                          int64_t now_ms);

// The event a Wait until block (`block_id`) holds the contact for happened: the contact leaves it
// by its happened output. REQUIRES: the block waits for an event.
Result<Stop> resume_on_event(const Journey& journey, const std::string& block_id,
                             StepEffects& effects, int64_t now_ms);

}  // namespace hookline::journeys

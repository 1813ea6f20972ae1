#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  // The id of the delivery made; empty when no call could be made (the webhook was deleted or
  // disabled since the journey was saved).
  virtual Result<std::string> call_webhook(const Block& block) = 0;
  virtual Result<void> add_to_list(const std::string& list_id) = 0;
  virtual Result<void> remove_from_list(const std::string& list_id) = 0;
  virtual Result<void> update_contact(const boost::json::object& properties) = 0;
  // Per-block counts: the contact came into, or went on from, a block (on `branch`, "yes" or
  // "no", from a condition; split_branch(i) from a split; kHappened or kTimedOut from a Wait
  // until for an event; empty from any other block).
  virtual void entered(const std::string& block_id) = 0;
  virtual void left(const std::string& block_id, std::string_view branch) = 0;
  // A Webhook block's answer did not map whole (`errors`: one line per mapping that did not
  // apply); the contact still goes on by succeeded.
  virtual void answer_not_mapped(const Block& block, const std::vector<std::string>& errors) = 0;
};

// How long a contact waiting for a Webhook block's answer waits before the waker looks at the
// delivery itself. Recording the delivery's end wakes it at once, on whichever node records it
// (core/journey.h: Enrolment::waiting_delivery); this only bounds the wait should the delivery
// end some other way. Each look that finds it still being tried doubles the wait, up to the max.
inline constexpr int64_t kAnswerRecheckMs = 60'000;
inline constexpr int64_t kMaxAnswerRecheckMs = 3'600'000;

// Where a run stopped: parked at a delay, a Wait until or a Webhook block waiting for the answer
// until wake_at, or finished (an exit or a dead end).
struct Stop {
  Stop(std::string block, std::optional<int64_t> wake, std::string delivery = {})
      : block_id(std::move(block)), wake_at(wake), waiting_delivery(std::move(delivery)) {}

  std::string block_id;
  std::optional<int64_t> wake_at;
  std::string waiting_delivery;  // parked at a Webhook block: the delivery whose outcome it awaits
  bool finished() const { return !wake_at.has_value(); }
};

// The outcome of the call a Webhook block waits for.
struct Answer {
  bool succeeded = false;  // 2xx; else the delivery is dead
  std::string body;        // the answer's body as recorded (its first 4 KiB)
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

// The call a Webhook block (`block_id`) waits for ended: on success the answer's mapped fields are
// set on the contact (update_contact) and it leaves by succeeded, else by failed. REQUIRES: the
// block waits for the answer.
Result<Stop> resume_on_answer(const Journey& journey, const std::string& block_id,
                              const Answer& answer, StepEffects& effects, int64_t now_ms);

// The event a Wait until block (`block_id`) holds the contact for happened: the contact leaves it
// by its happened output. REQUIRES: the block waits for an event.
Result<Stop> resume_on_event(const Journey& journey, const std::string& block_id,
                             StepEffects& effects, int64_t now_ms);

}  // namespace hookline::journeys

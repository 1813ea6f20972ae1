#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/filter.h"

namespace hookline {

enum class BlockType {
  kTrigger,
  kCondition,
  kDelay,
  kWebhook,
  kAddToList,
  kRemoveFromList,
  kUpdateContact,
  kExit,
  kSplit,
  // Stands apart, no edges: when its event happens to a contact waiting in the journey, the
  // contact leaves at once, counted as converted there.
  kGoal,
  // Holds the contact until an event happens to it (out by "happened", or by "timed_out" when its
  // timeout runs out first), or until a time of day.
  kWaitUntil,
};

std::string_view block_type_name(BlockType type);
std::optional<BlockType> parse_block_type(std::string_view name);

// One block of the graph as the API takes it; `position` and unknown config keys are kept so the
// editor gets its layout back. The typed fields are read from `config` by validation.
// One way out of a split block: the share of contacts (in percent) that take it.
struct SplitBranch {
  std::string name;
  int percent = 0;
};
inline constexpr size_t kMinSplitBranches = 2;
inline constexpr size_t kMaxSplitBranches = 5;

// The two ways out of a Wait until block that waits for an event.
inline constexpr std::string_view kHappened = "happened";
inline constexpr std::string_view kTimedOut = "timed_out";

// The two ways out of a Webhook block that waits for the answer (wait_for_response): the call
// succeeded (2xx, retries included), or it finally failed (dead, or no call could be made).
inline constexpr std::string_view kSucceeded = "succeeded";
inline constexpr std::string_view kFailed = "failed";
// What JourneyEffects::left is told for a call that succeeded but whose answer did not map whole
// (counted as succeeded, and as unmapped); the contact goes on by kSucceeded.
inline constexpr std::string_view kSucceededUnmapped = "succeeded_unmapped";

// One field of a Webhook block's JSON answer copied onto the contact (response_mapping).
struct ResponseMapping {
  std::string from;     // as given: a JSON Pointer ("/lead/score") or a $-path ("$.lead.score")
  std::string pointer;  // `from` as a JSON Pointer
  std::string to;       // the contact property set
  std::string type;     // "any", "string", "number" or "boolean": the value must be of it
};
inline constexpr size_t kMaxResponseMappings = 20;

struct Block {
  std::string id;
  BlockType type = BlockType::kExit;
  boost::json::object config;
  boost::json::value position;
  // Parsed config, by type.
  std::string event;                  // trigger, goal, wait_until for an event
  std::vector<Filter> filters;        // trigger, goal, wait_until; a field condition has one
  std::string list_id;                // condition in_list, add_to_list, remove_from_list
  int64_t duration_ms = 0;            // delay; wait_until for an event: its timeout
  std::string webhook_id;             // webhook
  boost::json::object properties;     // update_contact
  std::vector<SplitBranch> branches;  // split
  // wait_until for a time of day: the minute of the day (0-1439; -1: it waits for an event) in
  // `time_zone` (an IANA name; the contact's own time_zone property wins when it names one).
  int at_minute = -1;
  std::string time_zone;
  // webhook: the contact waits here for the call's outcome and goes on by kSucceeded or kFailed,
  // its answer's fields first copied onto it by response_mapping.
  bool wait_for_response = false;
  std::vector<ResponseMapping> response_mapping;

  bool waits_for_event() const { return type == BlockType::kWaitUntil && at_minute < 0; }
  bool waits_for_answer() const { return type == BlockType::kWebhook && wait_for_response; }
};

struct Edge {
  std::string source;
  std::string target;
  std::string branch;  // "yes" or "no" from a condition, a branch's name from a split, else empty
};

enum class JourneyStatus { kDraft, kActive, kPaused };
std::string_view journey_status_name(JourneyStatus status);

struct Journey {
  std::string id;
  std::string workspace_id;
  std::string name;
  JourneyStatus status = JourneyStatus::kDraft;
  bool reenter_every_time = true;  // reentry: every_time (default) or once
  // Which of its graphs this is. Editing the graph of a journey that has been activated makes a
  // new version, which new contacts enter; a contact finishes on the version it entered.
  int version = 1;
  std::vector<Block> blocks;
  std::vector<Edge> edges;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  const Block* block(std::string_view block_id) const;
  const Block* trigger() const;
  const Block* goal() const;  // null: the journey has none
  // The events its Wait until blocks wait for, each once, as " a b " (JourneyRow::wait_events);
  // empty when it has none.
  std::string wait_events() const;
  // The block an edge from `block_id` leads to, on `branch` for conditions; null at a dead end.
  const Block* next(std::string_view block_id, std::string_view branch = "") const;
};

// Per-block counts shown on the canvas.
struct BlockStats {
  int64_t entered = 0;
  int64_t waiting = 0;
  int64_t left = 0;
  int64_t yes = 0;    // a condition's runs that took the yes edge
  int64_t no = 0;     // and the no edge
  int64_t ended = 0;  // runs that finished here: an exit block or a dead end
  // A split's runs per branch, in the block's branch order.
  std::array<int64_t, kMaxSplitBranches> branches{};
  int64_t happened = 0;   // a Wait until's runs that left by "happened"
  int64_t timed_out = 0;  // and by "timed_out"
  int64_t succeeded =
      0;                 // a Webhook block's runs that left by "succeeded" (waiting for the answer)
  int64_t failed = 0;    // and by "failed"
  int64_t unmapped = 0;  // of `succeeded`, those whose answer did not map whole
};

// A contact's way through a journey: the block it is at and, while a delay holds it, when it wakes.
struct Enrolment {
  std::string id;
  std::string workspace_id;
  std::string journey_id;
  int journey_version = 1;  // the version of the journey it entered, and runs on to its end
  std::string contact_id;
  std::string block_id;
  std::string status;  // "waiting", "completed", "exited", "converted" (its goal happened)
  int64_t wake_at = 0;
  std::string event;  // the triggering event as JSON text: later blocks still act on it
  int depth = 0;      // how many journeys led to this one (loop guard)
  // At a Webhook block waiting for the answer: the delivery whose outcome it waits for. When the
  // delivery ends, recording it makes the enrolment due at once (wake_at: only the fallback).
  std::string waiting_delivery;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace hookline

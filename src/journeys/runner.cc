#include "journeys/runner.h"

#include "core/journey_path.h"
#include "journeys/filters.h"
#include "journeys/response_mapping.h"
#include "journeys/time_of_day.h"

namespace hookline::journeys {
namespace {

// A valid journey has no cycles, so a path is at most as long as the journey; this only guards
// against a graph that was stored before some rule existed.
constexpr int kMaxSteps = 1000;

// The branch of `split` this contact takes: a fixed point in [0, 100) from its id, the journey
// and the block (FNV-1a, the same on every build and node), so a contact entering again takes the
// same branch, and two splits of one journey divide contacts independently.
size_t split_branch_index(const Journey& journey, const Block& split, Fields& fields) {
  const boost::json::value* contact_id = fields.find("contact.id");
  const std::string_view id = contact_id != nullptr && contact_id->is_string()
                                  ? std::string_view(contact_id->get_string())
                                  : std::string_view();
  uint64_t hash = 14695981039346656037ULL;
  for (const std::string_view part :
       {id, std::string_view(journey.id), std::string_view(split.id)}) {
    for (const char c : part) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // keeps ("ab", "c") apart from ("a", "bc")
    hash *= 1099511628211ULL;
  }
  const int point = static_cast<int>(hash % 100);
  int below = 0;
  for (size_t i = 0; i < split.branches.size(); ++i) {
    below += split.branches[i].percent;
    if (point < below) return i;
  }
  return split.branches.size() - 1;  // percents add up to 100: never reached
}

// The zone a Wait until's time of day is read in: the contact's own (its time_zone property),
// else the block's (next_time_of_day reads one the database has lost since as UTC).
std::string_view wait_time_zone(const Block& block, Fields& fields) {
  const boost::json::value* own = fields.find("contact.time_zone");
  if (own != nullptr && own->is_string() && is_time_zone(own->get_string())) {
    return own->get_string();
  }
  return block.time_zone;
}

// The contact leaves the block it waited at, by `branch`, and goes on from the block after it.
Result<Stop> leave_wait(const Journey& journey, const std::string& block_id,
                        std::string_view branch, StepEffects& effects, int64_t now_ms) {
  if (journey.block(block_id) == nullptr) return Stop{block_id, std::nullopt};
  effects.left(block_id, branch);
  const Block* next = journey.next(block_id, branch);
  if (next == nullptr) return Stop{block_id, std::nullopt};
  return run_from(journey, *next, effects, now_ms);
}

}  // namespace

Result<Stop> run_from(const Journey& journey, const Block& from, StepEffects& effects,
                      int64_t now_ms) {
  const Block* block = &from;
  for (int step = 0; block != nullptr && step < kMaxSteps; ++step) {
    effects.entered(block->id);
    const Block* next = nullptr;
    std::string_view branch;
    std::string taken;  // a split's branch index, as JourneyPath marks it
    switch (block->type) {
      case BlockType::kTrigger:
        next = journey.next(block->id);
        break;
      case BlockType::kCondition: {
        bool holds = false;
        if (!block->list_id.empty()) {
          auto member = effects.in_list(block->list_id);
          if (!member) return std::unexpected(member.error());
          holds = *member;
        } else {
          holds = all_hold(block->filters, effects.fields());
        }
        branch = holds ? "yes" : "no";
        next = journey.next(block->id, branch);
        break;
      }
      case BlockType::kDelay:
        return Stop{block->id, now_ms + block->duration_ms};
      case BlockType::kWaitUntil:
        if (block->waits_for_event()) return Stop{block->id, now_ms + block->duration_ms};
        return Stop{block->id, next_time_of_day(block->at_minute,
                                                wait_time_zone(*block, effects.fields()), now_ms)};
      case BlockType::kWebhook: {
        auto delivery = effects.call_webhook(*block);
        if (!delivery) return std::unexpected(delivery.error());
        if (!block->waits_for_answer()) {
          next = journey.next(block->id);
          break;
        }
        if (!delivery->empty()) {
          return Stop{block->id, now_ms + kAnswerRecheckMs, std::move(*delivery)};
        }
        branch = kFailed;  // no call could be made: nothing to wait for
        next = journey.next(block->id, kFailed);
        break;
      }
      case BlockType::kAddToList:
        if (auto r = effects.add_to_list(block->list_id); !r) return std::unexpected(r.error());
        next = journey.next(block->id);
        break;
      case BlockType::kRemoveFromList:
        if (auto r = effects.remove_from_list(block->list_id); !r)
          return std::unexpected(r.error());
        next = journey.next(block->id);
        break;
      case BlockType::kUpdateContact:
        if (auto r = effects.update_contact(block->properties); !r)
          return std::unexpected(r.error());
        next = journey.next(block->id);
        break;
      case BlockType::kExit:
      case BlockType::kGoal:  // no edge leads to a goal (validate.cc): an end, were one to
        break;
      case BlockType::kSplit: {
        const size_t index = split_branch_index(journey, *block, effects.fields());
        taken = split_branch(index);
        branch = taken;
        next = journey.next(block->id, block->branches[index].name);
        break;
      }
    }
    effects.left(block->id, branch);
    if (next == nullptr) return Stop{block->id, std::nullopt};
    block = next;
  }
  return Stop{block != nullptr ? block->id : "", std::nullopt};
}

Result<Stop> resume_after(const Journey& journey, const std::string& block_id, StepEffects& effects,
                          int64_t now_ms) {
  const Block* block = journey.block(block_id);
  std::string_view branch;
  if (block != nullptr && block->waits_for_event()) branch = kTimedOut;
  // A block edited into one that waits for the answer while the contact waited there for
  // something else: no call of its was made for this contact, so it goes on as for one that
  // could not be made.
  if (block != nullptr && block->waits_for_answer()) branch = kFailed;
  return leave_wait(journey, block_id, branch, effects, now_ms);
}

Result<Stop> resume_on_answer(const Journey& journey, const std::string& block_id,
                              const Answer& answer, StepEffects& effects, int64_t now_ms) {
  const Block* block = journey.block(block_id);
  if (block == nullptr) return Stop{block_id, std::nullopt};
  // Edited meanwhile into a block that does not wait: on by its one output, as after a delay.
  if (!block->waits_for_answer()) return leave_wait(journey, block_id, {}, effects, now_ms);
  if (!answer.succeeded) return leave_wait(journey, block_id, kFailed, effects, now_ms);
  const MappedAnswer mapped = map_answer(block->response_mapping, answer.body);
  if (!mapped.properties.empty()) {
    if (auto r = effects.update_contact(mapped.properties); !r) return std::unexpected(r.error());
  }
  if (!mapped.errors.empty()) effects.answer_not_mapped(*block, mapped.errors);
  effects.left(block_id, mapped.errors.empty() ? kSucceeded : kSucceededUnmapped);
  const Block* next = journey.next(block_id, kSucceeded);
  if (next == nullptr) return Stop{block_id, std::nullopt};
  return run_from(journey, *next, effects, now_ms);
}

Result<Stop> resume_on_event(const Journey& journey, const std::string& block_id,
                             StepEffects& effects, int64_t now_ms) {
  return leave_wait(journey, block_id, kHappened, effects, now_ms);
}

}  // namespace hookline::journeys

#include "journeys/validate.h"

#include <algorithm>
#include <map>
#include <set>

namespace hookline::journeys {
namespace {

Error at_block(const std::string& block_id, const std::string& message,
               const std::string& key = "") {
  return {ErrorCode::kUnprocessable, "block " + block_id + ": " + message,
          "blocks." + block_id + (key.empty() ? "" : ".config." + key)};
}

Error at_edge(size_t index, const std::string& message) {
  return {ErrorCode::kUnprocessable, "edge " + std::to_string(index) + ": " + message,
          "edges[" + std::to_string(index) + "]"};
}

Result<void> check_edges(const Journey& journey) {
  std::set<std::pair<std::string, std::string>> used;  // (source, branch)
  for (size_t i = 0; i < journey.edges.size(); ++i) {
    const Edge& edge = journey.edges[i];
    const Block* source = journey.block(edge.source);
    const Block* target = journey.block(edge.target);
    if (source == nullptr)
      return std::unexpected(at_edge(i, "no block " + edge.source + " to start from"));
    if (target == nullptr)
      return std::unexpected(at_edge(i, "no block " + edge.target + " to lead to"));
    if (target->type == BlockType::kTrigger) {
      return std::unexpected(at_block(target->id, "nothing may lead into the trigger"));
    }
    for (const Block* end : {source, target}) {
      if (end->type == BlockType::kGoal) {
        return std::unexpected(
            at_block(end->id,
                     "a goal stands apart: it takes contacts out wherever they are, so no edge "
                     "may lead into or out of it"));
      }
    }
    if (source->type == BlockType::kExit) {
      return std::unexpected(at_block(source->id, "an exit ends the path: nothing may follow it"));
    }
    if (source->type == BlockType::kCondition) {
      if (edge.branch != "yes" && edge.branch != "no") {
        return std::unexpected(
            at_block(source->id, "a condition's edges must be branch yes or no"));
      }
    } else if (source->type == BlockType::kSplit) {
      const bool known = std::any_of(source->branches.begin(), source->branches.end(),
                                     [&](const SplitBranch& b) { return b.name == edge.branch; });
      if (!known) {
        return std::unexpected(
            at_block(source->id,
                     "a split's edges must name one of its branches (not '" + edge.branch + "')"));
      }
    } else if (source->waits_for_event()) {
      if (edge.branch != kHappened && edge.branch != kTimedOut) {
        return std::unexpected(at_block(
            source->id, "a Wait until for an event has edges on branch happened or timed_out"));
      }
    } else if (source->waits_for_answer()) {
      if (edge.branch != kSucceeded && edge.branch != kFailed) {
        return std::unexpected(at_block(
            source->id,
            "a Webhook block waiting for the answer has edges on branch succeeded or failed"));
      }
    } else if (!edge.branch.empty()) {
      return std::unexpected(at_block(
          source->id,
          "only a condition (yes/no), a split, a Wait until for an event or a Webhook block "
          "waiting for the answer has branches"));
    }
    if (!used.insert({edge.source, edge.branch}).second) {
      return std::unexpected(at_block(
          source->id, edge.branch.empty() ? "has more than one next block"
                                          : "has more than one '" + edge.branch + "' branch"));
    }
  }
  return {};
}

// Depth-first search; a block met again while still on the path closes a cycle.
Result<void> check_cycles(const Journey& journey, const std::string& block_id,
                          std::map<std::string, int>& state) {
  state[block_id] = 1;  // on the path
  for (const Edge& edge : journey.edges) {
    if (edge.source != block_id) continue;
    const int seen = state[edge.target];
    if (seen == 1) return std::unexpected(at_block(edge.target, "is part of a cycle"));
    if (seen == 0) {
      if (auto r = check_cycles(journey, edge.target, state); !r) return r;
    }
  }
  state[block_id] = 2;  // done
  return {};
}

Result<void> check_reference(const Block& block, const std::string& key, const std::string& id,
                             const std::function<Result<bool>(const std::string&)>& exists,
                             const char* what) {
  auto found = exists(id);
  if (!found) return std::unexpected(found.error());
  if (!*found)
    return std::unexpected(at_block(block.id, std::string("no ") + what + " with id " + id, key));
  return {};
}

}  // namespace

Result<void> validate_journey(const Journey& journey, const References& references) {
  const Block* trigger = nullptr;
  for (const Block& block : journey.blocks) {
    if (block.type != BlockType::kTrigger) continue;
    if (trigger != nullptr)
      return std::unexpected(at_block(block.id, "a journey has exactly one trigger"));
    trigger = &block;
  }
  if (trigger == nullptr) {
    return std::unexpected(
        Error{ErrorCode::kUnprocessable, "a journey needs a trigger block", "blocks"});
  }
  const Block* goal = nullptr;
  for (const Block& block : journey.blocks) {
    if (block.type != BlockType::kGoal) continue;
    if (goal != nullptr)
      return std::unexpected(at_block(block.id, "a journey has one goal at most"));
    goal = &block;
  }
  if (auto r = check_edges(journey); !r) return r;

  std::map<std::string, int> state;
  for (const Block& block : journey.blocks) {
    if (state[block.id] == 0) {
      if (auto r = check_cycles(journey, block.id, state); !r) return r;
    }
  }

  std::set<std::string> reached{trigger->id};
  std::vector<std::string> frontier{trigger->id};
  while (!frontier.empty()) {
    const std::string at = frontier.back();
    frontier.pop_back();
    for (const Edge& edge : journey.edges) {
      if (edge.source == at && reached.insert(edge.target).second) frontier.push_back(edge.target);
    }
  }
  for (const Block& block : journey.blocks) {
    if (!reached.contains(block.id) && block.type != BlockType::kGoal) {
      return std::unexpected(at_block(block.id, "cannot be reached from the trigger"));
    }
  }

  for (const Block& block : journey.blocks) {
    Result<void> checked;
    if (block.type == BlockType::kWebhook) {
      checked = check_reference(block, "webhook_id", block.webhook_id, references.webhook_exists,
                                "webhook");
    } else if (block.type == BlockType::kAddToList || block.type == BlockType::kRemoveFromList) {
      checked = check_reference(block, "list_id", block.list_id, references.list_exists, "list");
    } else if (block.type == BlockType::kCondition && !block.list_id.empty()) {
      checked = check_reference(block, "in_list", block.list_id, references.list_exists, "list");
    }
    if (!checked) return checked;
  }
  return {};
}

}  // namespace hookline::journeys

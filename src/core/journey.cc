#include "core/journey.h"

#include <array>
#include <utility>

namespace hookline {
namespace {

constexpr std::array<std::pair<BlockType, std::string_view>, 11> kBlockTypes = {{
    {BlockType::kTrigger, "trigger"},
    {BlockType::kCondition, "condition"},
    {BlockType::kDelay, "delay"},
    {BlockType::kWebhook, "webhook"},
    {BlockType::kAddToList, "add_to_list"},
    {BlockType::kRemoveFromList, "remove_from_list"},
    {BlockType::kUpdateContact, "update_contact"},
    {BlockType::kExit, "exit"},
    {BlockType::kSplit, "split"},
    {BlockType::kGoal, "goal"},
    {BlockType::kWaitUntil, "wait_until"},
}};

}  // namespace

std::string_view block_type_name(BlockType type) {
  for (const auto& [t, name] : kBlockTypes) {
    if (t == type) return name;
  }
  return "exit";
}

std::optional<BlockType> parse_block_type(std::string_view name) {
  for (const auto& [t, n] : kBlockTypes) {
    if (n == name) return t;
  }
  return std::nullopt;
}

std::string_view journey_status_name(JourneyStatus status) {
  switch (status) {
    case JourneyStatus::kDraft:
      return "draft";
    case JourneyStatus::kActive:
      return "active";
    case JourneyStatus::kPaused:
      return "paused";
  }
  return "draft";
}

const Block* Journey::block(std::string_view block_id) const {
  for (const Block& b : blocks) {
    if (b.id == block_id) return &b;
  }
  return nullptr;
}

const Block* Journey::trigger() const {
  for (const Block& b : blocks) {
    if (b.type == BlockType::kTrigger) return &b;
  }
  return nullptr;
}

const Block* Journey::goal() const {
  for (const Block& b : blocks) {
    if (b.type == BlockType::kGoal) return &b;
  }
  return nullptr;
}

std::string Journey::wait_events() const {
  std::string names;
  for (const Block& b : blocks) {
    if (!b.waits_for_event()) continue;
    const std::string word = " " + b.event + " ";
    if (names.find(word) != std::string::npos) continue;
    names += names.empty() ? word : word.substr(1);
  }
  return names;
}

const Block* Journey::next(std::string_view block_id, std::string_view branch) const {
  for (const Edge& edge : edges) {
    if (edge.source == block_id && edge.branch == branch) return block(edge.target);
  }
  return nullptr;
}

}  // namespace hookline

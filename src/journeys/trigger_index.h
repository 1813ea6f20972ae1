#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/journey.h"
#include "journeys/filters.h"

namespace hookline::journeys {

// The triggers of the journeys listening to one event name, indexed by each trigger's first `eq`
// filter: an event is tested only against the journeys whose indexed value it carries, and those
// whose trigger has no such filter. A thousand journeys on email.click, one per campaign_name,
// cost an event one hash lookup, not a thousand filter tests.
class TriggerIndex {
 public:
  TriggerIndex() = default;
  // triggers[i]: the trigger block of journey i; must outlive the index.
  explicit TriggerIndex(std::vector<const Block*> triggers);

  // Sets `out` to the indices, ascending, of the journeys whose trigger filters all hold.
  void matching(Fields& fields, std::vector<size_t>& out) const;

 private:
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // The journeys whose first eq filter tests `field`, by that filter's value: text, or a number
  // (numbers and numeric text compare as numbers, as filter_holds does).
  struct FieldIndex {
    std::string field;
    std::unordered_map<std::string, std::vector<size_t>, TextHash, std::equal_to<>> by_text;
    std::unordered_map<double, std::vector<size_t>> by_number;
  };

  std::vector<const Block*> triggers_;
  // Per journey, its filter the index stands for (an event found under its key passes it), or
  // none: that one is not tested again.
  std::vector<size_t> indexed_filter_;
  std::vector<FieldIndex> indexed_;
  std::vector<size_t> unindexed_;  // tested against every event
};

}  // namespace hookline::journeys

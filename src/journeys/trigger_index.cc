#include "journeys/trigger_index.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

namespace hookline::journeys {
namespace json = boost::json;

namespace {

// A view into the value it was made from: keys are compared while that value is alive.
using Key = std::variant<std::string_view, double>;

constexpr size_t kNone = static_cast<size_t>(-1);

// The value an `eq` filter (or an event) is indexed under, such that filter_holds's eq holds
// exactly when the keys are equal; nothing for values whose equality has other rules. Numbers
// and numeric text meet as numbers; "true"/"false" also equal booleans, NaN equals no number but
// itself as text, and objects, arrays, booleans and null are compared as JSON: none is indexed.
std::optional<Key> eq_key(const json::value& value) {
  if (!value.is_number() && !value.is_string()) return std::nullopt;
  if (std::optional<double> number = as_number(value)) {
    if (!std::isfinite(*number)) return std::nullopt;
    return *number == 0 ? 0.0 : *number;  // -0 and 0 are equal numbers: one key
  }
  const std::string_view text = value.get_string();
  if (text == "true" || text == "false") return std::nullopt;
  return text;
}

}  // namespace

TriggerIndex::TriggerIndex(std::vector<const Block*> triggers)
    : triggers_(std::move(triggers)), indexed_filter_(triggers_.size(), kNone) {
  for (size_t i = 0; i < triggers_.size(); ++i) {
    const auto& filters = triggers_[i]->filters;
    auto eq =
        std::find_if(filters.begin(), filters.end(), [](const Filter& f) { return f.op == "eq"; });
    std::optional<Key> key = eq == filters.end() ? std::nullopt : eq_key(eq->value);
    if (!key) {
      unindexed_.push_back(i);
      continue;
    }
    indexed_filter_[i] = static_cast<size_t>(eq - filters.begin());
    auto index = std::find_if(indexed_.begin(), indexed_.end(),
                              [&](const FieldIndex& f) { return f.field == eq->field; });
    if (index == indexed_.end())
      index = indexed_.insert(indexed_.end(), FieldIndex{eq->field, {}, {}});
    if (auto* text = std::get_if<std::string_view>(&*key)) {
      index->by_text[std::string(*text)].push_back(i);
    } else {
      index->by_number[std::get<double>(*key)].push_back(i);
    }
  }
}

void TriggerIndex::matching(Fields& fields, std::vector<size_t>& out) const {
  out.clear();
  for (const FieldIndex& index : indexed_) {
    const json::value* value = fields.find(index.field);
    if (value == nullptr) continue;  // eq fails on a missing field
    std::optional<Key> key = eq_key(*value);
    if (!key) continue;  // equals no indexed value (see eq_key)
    const std::vector<size_t>* candidates = nullptr;
    if (auto* text = std::get_if<std::string_view>(&*key)) {
      if (auto it = index.by_text.find(*text); it != index.by_text.end()) candidates = &it->second;
    } else if (auto it = index.by_number.find(std::get<double>(*key));
               it != index.by_number.end()) {
      candidates = &it->second;
    }
    if (candidates != nullptr) out.insert(out.end(), candidates->begin(), candidates->end());
  }
  out.insert(out.end(), unindexed_.begin(), unindexed_.end());
  // The other filters still decide; the indexed one held when its key matched (eq_key).
  std::erase_if(out, [&](size_t i) {
    const std::vector<Filter>& filters = triggers_[i]->filters;
    for (size_t f = 0; f < filters.size(); ++f) {
      if (f != indexed_filter_[i] && !filter_holds(filters[f], fields)) return true;
    }
    return false;
  });
  std::sort(out.begin(), out.end());
}

}  // namespace hookline::journeys

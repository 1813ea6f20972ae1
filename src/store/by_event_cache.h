#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/webhook.h"
#include "store/store_types.h"

namespace hookline::store {

// Shared read-only values per (workspace, event name): what listens to an event. Every event
// looks here, so a lookup builds no key and copies nothing.
template <typename T>
class ByEventCache {
 public:
  // Null when nothing is cached for this event name.
  std::shared_ptr<const T> find(std::string_view workspace_id, std::string_view event_name) const {
    auto it = entries_.find(std::pair{workspace_id, event_name});
    return it == entries_.end() ? nullptr : it->second;
  }
  void put(std::string_view workspace_id, std::string_view event_name,
           std::shared_ptr<const T> value) {
    entries_.insert_or_assign(Key{workspace_id, event_name}, std::move(value));
  }
  size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

 private:
  using Key = std::pair<std::string, std::string>;
  using View = std::pair<std::string_view, std::string_view>;
  static View view(const Key& key) { return {key.first, key.second}; }
  static View view(const View& key) { return key; }
  struct Hash {
    using is_transparent = void;
    template <typename K>
    size_t operator()(const K& key) const {
      const View v = view(key);
      const size_t h = std::hash<std::string_view>{}(v.first);
      return h ^ (std::hash<std::string_view>{}(v.second) + 0x9e3779b97f4a7c15ULL + (h << 6) +
                  (h >> 2));
    }
  };
  struct Equal {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return view(a) == view(b);
    }
  };
  std::unordered_map<Key, std::shared_ptr<const T>, Hash, Equal> entries_;
};

// What a store's writer caches per (workspace, event name) while the configuration stays as it
// was: the webhooks subscribed to an event, and the active journeys it starts, is the goal of,
// or a Wait until waits for.
struct ListenerCaches {
  ByEventCache<std::vector<Webhook>> subscriptions;
  ByEventCache<std::vector<JourneyRow>> journeys_by_event;  // by their trigger's event
  ByEventCache<std::vector<JourneyRow>> journeys_by_goal;   // by their goal's event
  ByEventCache<std::vector<JourneyRow>> journeys_by_wait;   // by an event they wait for

  // At the start of a batch: everything goes when the configuration's version is no longer
  // `version` (which then becomes `version`), or when too much is cached (workspaces times event
  // names could otherwise grow without end).
  void keep_for(int64_t& version, int64_t now_version) {
    constexpr size_t kMaxCached = 10'000;
    if (now_version == version && subscriptions.size() + journeys_by_event.size() +
                                          journeys_by_goal.size() + journeys_by_wait.size() <=
                                      kMaxCached) {
      return;
    }
    subscriptions.clear();
    journeys_by_event.clear();
    journeys_by_goal.clear();
    journeys_by_wait.clear();
    version = now_version;
  }
};

}  // namespace hookline::store

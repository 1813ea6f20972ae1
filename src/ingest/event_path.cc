#include "ingest/event_path.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/ids.h"
#include "core/json_depth.h"
#include "core/logger.h"
#include "ingest/event_fields.h"
#include "ingest/journey_effects.h"
#include "journeys/filters.h"
#include "journeys/journey_json.h"

namespace hookline::ingest {
namespace json = boost::json;

Result<std::shared_ptr<const Journey>> JourneyCache::get(const store::JourneyRow& row) {
  // Versions other than the current one never change; the current one changes in place only as
  // a draft or in its layout, and then updated_at moves.
  if (const auto journey = by_id_.find(row.id); journey != by_id_.end()) {
    const auto it = journey->second.find(row.version);
    if (it != journey->second.end() && it->second.updated_at == row.updated_at) {
      return it->second.journey;
    }
  }
  if (parsed_ >= sweep_at_) sweep();
  boost::system::error_code ec;
  json::value graph = parse_stored_json(row.graph, ec);
  if (ec || !graph.is_object()) {
    return std::unexpected(
        Error{ErrorCode::kInternal, "journey " + row.id + " has a broken graph", {}});
  }
  graph.as_object()["name"] = row.name;
  auto parsed = journeys::journey_from_json(graph.as_object());
  if (!parsed) return std::unexpected(parsed.error());
  parsed->id = row.id;
  parsed->workspace_id = row.workspace_id;
  parsed->status = row.status;
  parsed->reenter_every_time = row.reenter_every_time;
  parsed->version = row.version;
  parsed->updated_at = row.updated_at;
  auto journey = std::make_shared<const Journey>(std::move(*parsed));
  const auto [it, added] =
      by_id_[row.id].insert_or_assign(row.version, Parsed{row.updated_at, journey});
  if (added) ++parsed_;
  return journey;
}

void JourneyCache::sweep() {
  for (auto journey = by_id_.begin(); journey != by_id_.end();) {
    parsed_ -= std::erase_if(journey->second, [](const auto& version) {
      return version.second.journey.use_count() == 1;
    });
    journey = journey->second.empty() ? by_id_.erase(journey) : std::next(journey);
  }
  sweep_at_ = std::max(kKeepAbove, 2 * parsed_);
}

const JourneyCache::Listening& JourneyCache::listening(const Rows& rows) {
  if (auto it = by_rows_.find(rows.get()); it != by_rows_.end()) return it->second;
  // Lists the store no longer hands out (a journey changed since) are dropped here, so the
  // cache holds about one list per event name.
  constexpr size_t kSweepAbove = 256;
  if (by_rows_.size() > kSweepAbove) {
    std::erase_if(by_rows_, [](const auto& entry) { return entry.second.rows.use_count() == 1; });
  }
  Listening listening{rows, {}, {}};
  std::vector<const Block*> triggers;
  for (const store::JourneyRow& row : *rows) {
    auto journey = get(row);
    if (!journey) {
      module_logger("ingest")->error("journey {} skipped: {}", row.id, journey.error().message);
      continue;
    }
    const Block* trigger = (*journey)->trigger();
    if (trigger == nullptr) continue;
    listening.journeys.push_back({*journey, trigger});
    triggers.push_back(trigger);
  }
  listening.triggers = journeys::TriggerIndex(std::move(triggers));
  return by_rows_.emplace(rows.get(), std::move(listening)).first->second;
}

Result<bool> EventPath::record(const std::string& workspace_id, const Event& event,
                               const Contact& contact, int depth) {
  auto inserted = txn_.insert_event(workspace_id, event, contact.id, now_ms_);
  if (!inserted) return std::unexpected(inserted.error());
  if (!*inserted) return false;

  auto webhooks = txn_.subscribed_webhooks(workspace_id, event.name);
  if (!webhooks) return std::unexpected(webhooks.error());
  if (!(*webhooks)->empty()) {
    const json::object payload = outbound::contact_to_payload(contact);
    EventFields fields(event, contact);  // read only by webhooks that filter
    for (const Webhook& webhook : **webhooks) {
      if (!journeys::all_hold(webhook.spec.filters, fields)) continue;
      if (auto r = add_delivery(workspace_id, webhook, event, contact.id, &payload, std::nullopt);
          !r) {
        return std::unexpected(r.error());
      }
    }
  }
  // Before enrolling: an event that is both a journey's trigger and its goal (or what one of its
  // blocks waits for) does not move the run it has just started.
  if (auto r = move_waiting(workspace_id, event, contact, depth); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = enrol(workspace_id, event, contact, depth); !r) return std::unexpected(r.error());
  return true;
}

Result<bool> EventPath::listened_to(const std::string& workspace_id,
                                    const std::string& event_name) {
  auto webhooks = txn_.subscribed_webhooks(workspace_id, event_name);
  if (!webhooks) return std::unexpected(webhooks.error());
  if (!(*webhooks)->empty()) return true;
  auto journeys = txn_.active_journeys_for_event(workspace_id, event_name);
  if (!journeys) return std::unexpected(journeys.error());
  if (!(*journeys)->empty()) return true;
  auto goals = txn_.active_journeys_with_goal(workspace_id, event_name);
  if (!goals) return std::unexpected(goals.error());
  if (!(*goals)->empty()) return true;
  auto waits = txn_.active_journeys_waiting_for(workspace_id, event_name);
  if (!waits) return std::unexpected(waits.error());
  return !(*waits)->empty();
}

Result<void> EventPath::emit(const std::string& workspace_id, const Event& event,
                             const Contact& contact, int depth) {
  auto listened = listened_to(workspace_id, event.name);
  if (!listened) return std::unexpected(listened.error());
  if (!*listened) return {};
  auto recorded = record(workspace_id, event, contact, depth);
  if (!recorded) return std::unexpected(recorded.error());
  return {};
}

Result<void> EventPath::emit_about_workspace(const std::string& workspace_id, const Event& event) {
  auto webhooks = txn_.subscribed_webhooks(workspace_id, event.name);
  if (!webhooks) return std::unexpected(webhooks.error());
  if ((*webhooks)->empty()) return {};  // nobody listens: not stored, as emit() does
  auto inserted = txn_.insert_event(workspace_id, event, "", now_ms_);
  if (!inserted) return std::unexpected(inserted.error());
  if (!*inserted) return {};
  const Contact nobody;  // what filters on contact fields read: nothing
  EventFields fields(event, nobody);
  for (const Webhook& webhook : **webhooks) {
    if (!journeys::all_hold(webhook.spec.filters, fields)) continue;
    if (auto r = add_delivery(workspace_id, webhook, event, "", nullptr, std::nullopt); !r) {
      return std::unexpected(r.error());
    }
  }
  return {};
}

Result<std::string> EventPath::add_delivery(const std::string& workspace_id, const Webhook& webhook,
                                            const Event& event, const std::string& contact_id,
                                            const json::object* contact_payload,
                                            const std::optional<outbound::JourneyRef>& journey) {
  // Missing values render empty; the Test button is where a user sees the warnings.
  templates::Warnings warnings;
  // Only a custom payload's templates read the context: building it copies the event and contact.
  const json::object context =
      webhook.spec.custom_payload
          ? outbound::template_context(event, contact_payload ? *contact_payload : json::object{},
                                       webhook.spec.name, journey)
          : json::object{};
  Delivery d;
  d.id = new_uuid_v7(now_ms_);
  d.workspace_id = workspace_id;
  d.webhook_id = webhook.id;
  d.event_id = event.id;
  d.event_name = event.name;
  d.body = outbound::build_body(event, contact_payload, webhook.spec.custom_payload, journey,
                                context, warnings);
  bool queued = false;
  if (webhook.spec.ordering == WebhookOrdering::kPerContact && !contact_id.empty()) {
    d.order_key = contact_id;
    auto busy = txn_.order_key_busy(webhook.id, d.order_key);
    if (!busy) return std::unexpected(busy.error());
    queued = *busy;
  }
  const std::optional<int64_t> due_instead =
      lease_.due_instead && !queued ? lease_.due_instead(webhook.id) : std::nullopt;
  const bool handed_over = !queued && !due_instead;
  if (queued) {
    d.status = DeliveryStatus::kQueued;  // no due time until the one before it ends
    d.next_attempt_at = now_ms_;
  } else if (handed_over) {
    d.next_attempt_at = now_ms_ + lease_length_ms(lease_.duration_ms, webhook.spec.timeout_ms);
    d.lease = {lease_.owner, 1};
  } else {
    d.next_attempt_at = std::max(now_ms_, *due_instead);  // for whichever node claims it first
  }
  d.created_at = d.updated_at = now_ms_;
  auto seq = txn_.insert_delivery(d);
  if (!seq) return std::unexpected(seq.error());
  d.seq = *seq;
  std::string id = d.id;
  if (handed_over) out_.push_back(std::move(d));
  return id;
}

}  // namespace hookline::ingest

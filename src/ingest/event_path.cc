#include "ingest/event_path.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/ids.h"
#include "core/journey_path.h"
#include "core/json_depth.h"
#include "core/logger.h"
#include "ingest/event_fields.h"
#include "ingest/journey_effects.h"
#include "journeys/filters.h"
#include "journeys/journey_json.h"
#include "journeys/runner.h"

namespace hookline::ingest {
namespace json = boost::json;

Result<std::shared_ptr<const Journey>> JourneyCache::get(const store::JourneyRow& row) {
  auto it = by_id_.find(row.id);
  if (it != by_id_.end() && it->second.updated_at == row.updated_at) return it->second.journey;
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
  parsed->updated_at = row.updated_at;
  auto journey = std::make_shared<const Journey>(std::move(*parsed));
  by_id_[row.id] = {row.updated_at, journey};
  return journey;
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
      if (auto r = add_delivery(workspace_id, webhook, event, &payload, std::nullopt); !r) {
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
    if (auto r = add_delivery(workspace_id, webhook, event, nullptr, std::nullopt); !r) return r;
  }
  return {};
}

Result<void> EventPath::add_delivery(const std::string& workspace_id, const Webhook& webhook,
                                     const Event& event, const json::object* contact_payload,
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
  const std::optional<int64_t> due_instead =
      lease_.due_instead ? lease_.due_instead(webhook.id) : std::nullopt;
  const bool handed_over = !due_instead;
  if (handed_over) {
    d.next_attempt_at = now_ms_ + lease_length_ms(lease_.duration_ms, webhook.spec.timeout_ms);
    d.lease = {lease_.owner, 1};
  } else {
    d.next_attempt_at = std::max(now_ms_, *due_instead);  // for whichever node claims it first
  }
  d.created_at = d.updated_at = now_ms_;
  auto seq = txn_.insert_delivery(d);
  if (!seq) return std::unexpected(seq.error());
  d.seq = *seq;
  if (handed_over) out_.push_back(std::move(d));
  return {};
}

Result<void> EventPath::enrol(const std::string& workspace_id, const Event& event,
                              const Contact& contact, int depth) {
  auto rows = txn_.active_journeys_for_event(workspace_id, event.name);
  if (!rows) return std::unexpected(rows.error());
  if ((*rows)->empty()) return {};
  if (depth >= kMaxJourneyDepth) {
    module_logger("ingest")->warn(
        "event {} ({}) came {} journeys deep: it starts no more journeys (loop guard)", event.id,
        event.name, depth);
    return {};
  }
  const JourneyCache::Listening& listening = journeys_.listening(*rows);
  EventFields fields(event, contact);  // the same for every trigger
  std::vector<size_t> matches;
  listening.triggers.matching(fields, matches);
  for (const size_t i : matches) {
    const Journey& journey = *listening.journeys[i].journey;
    const Block& trigger = *listening.journeys[i].trigger;
    if (!journey.reenter_every_time) {
      auto enrolled = txn_.has_enrolment(journey.id, contact.id);
      if (!enrolled) return std::unexpected(enrolled.error());
      if (*enrolled) continue;
    }
    JourneyEffects effects(*this, journey, workspace_id, event, contact, depth);
    auto stop = journeys::run_from(journey, trigger, effects, now_ms_);
    if (!stop) return std::unexpected(stop.error());
    txn_.count_run(journey.id, effects.journey_path().text());
    // A contact that waits is stored, so that a restart resumes it; so is every entry into a
    // `once` journey, the record that keeps the contact out afterwards. An `every_time`
    // enrolment that runs to its end here has nothing to resume: its effects and its block
    // counts commit with this event, and storing it too would double the event's cost.
    if (stop->finished() && journey.reenter_every_time) continue;
    Enrolment enrolment;
    enrolment.id = new_uuid_v7(now_ms_);
    enrolment.workspace_id = workspace_id;
    enrolment.journey_id = journey.id;
    enrolment.contact_id = contact.id;
    enrolment.depth = depth;
    enrolment.created_at = now_ms_;
    // Only a contact that waits needs the event again, when its delay ends.
    enrolment.event = stop->finished() ? "{}" : event_to_text(event);
    enrolment.block_id = stop->block_id;
    enrolment.status = stop->finished() ? "completed" : "waiting";
    enrolment.wake_at = stop->wake_at.value_or(0);
    enrolment.updated_at = now_ms_;
    if (auto r = txn_.insert_enrolment(enrolment); !r) return r;
  }
  return {};
}

Result<void> EventPath::move_waiting(const std::string& workspace_id, const Event& event,
                                     const Contact& contact, int depth) {
  auto goals = txn_.active_journeys_with_goal(workspace_id, event.name);
  if (!goals) return std::unexpected(goals.error());
  auto waits = txn_.active_journeys_waiting_for(workspace_id, event.name);
  if (!waits) return std::unexpected(waits.error());
  if ((*goals)->empty() && (*waits)->empty()) return {};
  auto waiting = txn_.waiting_enrolments_of(contact.id);
  if (!waiting) return std::unexpected(waiting.error());
  const uint64_t read_at = moves_;
  EventFields fields(event, contact);  // what goals' and waits' filters read, as they read it
  for (Enrolment& enrolment : *waiting) {
    // Not one a run in progress will store the place of (an event that run emitted is being
    // recorded now), nor one a run started by an earlier one of these enrolments moved: what
    // was read of them is no longer where they are.
    if (moving_.contains(enrolment.id)) continue;
    if (const auto moved = moved_at_.find(enrolment.id);
        moved != moved_at_.end() && moved->second > read_at) {
      continue;
    }
    auto converted = convert(enrolment, **goals, fields);
    if (!converted) return std::unexpected(converted.error());
    if (*converted) continue;
    if (auto moved = wait_over(enrolment, **waits, event, fields, contact, depth); !moved) {
      return moved;
    }
  }
  return {};
}

Result<bool> EventPath::convert(Enrolment& enrolment, const std::vector<store::JourneyRow>& goals,
                                journeys::Fields& fields) {
  const auto row = std::ranges::find(goals, enrolment.journey_id, &store::JourneyRow::id);
  if (row == goals.end()) return false;  // a journey whose goal is another event, or none
  auto journey = journeys_.get(*row);
  if (!journey) {
    module_logger("ingest")->error("journey {}: its goal is skipped: {}", row->id,
                                   journey.error().message);
    return false;
  }
  const Block* goal = (*journey)->goal();
  if (goal == nullptr || !journeys::all_hold(goal->filters, fields)) return false;
  // Counted as a run that left its wait and ended at the goal.
  JourneyPath path;
  path.left(enrolment.block_id);
  path.entered(goal->id);
  path.left(goal->id);
  txn_.count_run(row->id, path.text());
  if (auto r = store_move(enrolment, journeys::Stop{goal->id, std::nullopt}, "converted"); !r) {
    return std::unexpected(r.error());
  }
  return true;
}

Result<void> EventPath::wait_over(Enrolment& enrolment, const std::vector<store::JourneyRow>& waits,
                                  const Event& event, journeys::Fields& fields,
                                  const Contact& contact, int depth) {
  const auto row = std::ranges::find(waits, enrolment.journey_id, &store::JourneyRow::id);
  if (row == waits.end()) return {};  // its journey waits for other events
  auto journey = journeys_.get(*row);
  if (!journey) {
    module_logger("ingest")->error("journey {}: its Wait until blocks are skipped: {}", row->id,
                                   journey.error().message);
    return {};
  }
  const Block* block = (*journey)->block(enrolment.block_id);
  if (block == nullptr || !block->waits_for_event() || block->event != event.name ||
      !journeys::all_hold(block->filters, fields)) {
    return {};  // the contact waits elsewhere in the journey, or for something else
  }
  // Its timeout has passed (the waker has not come by yet): too late, it leaves by timed_out.
  if (enrolment.wake_at <= now_ms_) return {};
  if (depth >= kMaxJourneyDepth) {
    module_logger("ingest")->warn(
        "event {} ({}) came {} journeys deep: it moves no waiting contact on (loop guard)",
        event.id, event.name, depth);
    return {};
  }
  // The run goes on with the event that started it, as after a delay: later blocks act on it.
  auto started_by = event_from_text(enrolment.event);
  if (!started_by) {
    module_logger("ingest")->error("enrolment {}: its event cannot be read; it stays waiting",
                                   enrolment.id);
    return {};
  }
  JourneyEffects effects(*this, **journey, enrolment.workspace_id, *started_by, contact,
                         std::max(enrolment.depth, depth));
  moving_.insert(enrolment.id);
  auto stop = journeys::resume_on_event(**journey, enrolment.block_id, effects, now_ms_);
  moving_.erase(enrolment.id);
  if (!stop) return std::unexpected(stop.error());
  txn_.count_run(enrolment.journey_id, effects.journey_path().text());
  return store_move(enrolment, *stop, stop->finished() ? "completed" : "waiting");
}

Result<void> EventPath::store_move(Enrolment& enrolment, const journeys::Stop& stop,
                                   std::string status) {
  enrolment.block_id = stop.block_id;
  enrolment.status = std::move(status);
  enrolment.wake_at = stop.wake_at.value_or(0);
  enrolment.updated_at = now_ms_;
  moved_at_[enrolment.id] = ++moves_;
  return txn_.update_enrolment(enrolment);
}

Result<int> EventPath::wake_due(int limit) {
  auto due = txn_.due_enrolments(now_ms_, limit);
  if (!due) return std::unexpected(due.error());
  for (Enrolment& enrolment : *due) {
    auto row = txn_.find_journey(enrolment.workspace_id, enrolment.journey_id);
    if (!row) return std::unexpected(row.error());
    auto contact = txn_.find_contact(enrolment.workspace_id, enrolment.contact_id);
    if (!contact) return std::unexpected(contact.error());
    auto event = event_from_text(enrolment.event);
    enrolment.updated_at = now_ms_;
    if (!row->has_value() || !contact->has_value() || !event) {
      // The journey or the contact was deleted while the contact waited: nothing is left to do.
      enrolment.status = "exited";
      if (auto r = txn_.update_enrolment(enrolment); !r) return std::unexpected(r.error());
      continue;
    }
    auto journey = journeys_.get(**row);
    if (!journey) {
      // A graph that no longer reads must not hold up every other delayed contact.
      module_logger("ingest")->error("enrolment {} ended: journey {} cannot be read: {}",
                                     enrolment.id, enrolment.journey_id, journey.error().message);
      enrolment.status = "exited";
      if (auto r = txn_.update_enrolment(enrolment); !r) return std::unexpected(r.error());
      continue;
    }
    JourneyEffects effects(*this, **journey, enrolment.workspace_id, *event, **contact,
                           enrolment.depth);
    moving_.insert(enrolment.id);
    auto stop = journeys::resume_after(**journey, enrolment.block_id, effects, now_ms_);
    moving_.erase(enrolment.id);
    if (!stop) return std::unexpected(stop.error());
    if (!effects.journey_path().empty()) {
      txn_.count_run(enrolment.journey_id, effects.journey_path().text());
    }
    if ((*journey)->block(enrolment.block_id) == nullptr) {
      module_logger("ingest")->info(
          "enrolment {} ended: block {} was removed from journey {} while the contact waited",
          enrolment.id, enrolment.block_id, enrolment.journey_id);
      enrolment.status = "exited";
      if (auto r = txn_.update_enrolment(enrolment); !r) return std::unexpected(r.error());
      continue;
    }
    if (auto r = store_move(enrolment, *stop, stop->finished() ? "completed" : "waiting"); !r) {
      return std::unexpected(r.error());
    }
  }
  return static_cast<int>(due->size());
}

}  // namespace hookline::ingest

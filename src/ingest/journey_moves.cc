// EventPath's journey side: an event enrols its contact in the journeys it starts, and moves
// the contact where it waits in journeys (out at their goal, on from a Wait until); the waker's
// job moves on contacts whose wait has ended. Everything here runs inside one write job.
#include <algorithm>

#include "core/ids.h"
#include "core/journey_path.h"
#include "core/logger.h"
#include "ingest/event_fields.h"
#include "ingest/event_path.h"
#include "ingest/journey_effects.h"
#include "journeys/filters.h"
#include "journeys/runner.h"

namespace hookline::ingest {

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
    txn_.count_run(journey.id, journey.version, effects.journey_path().text());
    // A contact that waits is stored, so that a restart resumes it; so is every entry into a
    // `once` journey, the record that keeps the contact out afterwards. An `every_time`
    // enrolment that runs to its end here has nothing to resume: its effects and its block
    // counts commit with this event, and storing it too would double the event's cost.
    if (stop->finished() && journey.reenter_every_time) continue;
    Enrolment enrolment;
    enrolment.id = new_uuid_v7(now_ms_);
    enrolment.workspace_id = workspace_id;
    enrolment.journey_id = journey.id;
    enrolment.journey_version = journey.version;
    enrolment.contact_id = contact.id;
    enrolment.depth = depth;
    enrolment.created_at = now_ms_;
    // Only a contact that waits needs the event again, when its delay ends.
    enrolment.event = stop->finished() ? "{}" : event_to_text(event);
    enrolment.block_id = stop->block_id;
    enrolment.status = stop->finished() ? "completed" : "waiting";
    enrolment.wake_at = stop->wake_at.value_or(0);
    enrolment.waiting_delivery = stop->waiting_delivery;
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
    if (moving_.contains(enrolment.id) || moved_since(enrolment.id, read_at)) continue;
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
  const auto row = std::ranges::find_if(goals, [&enrolment](const store::JourneyRow& goal) {
    return goal.id == enrolment.journey_id && goal.version == enrolment.journey_version;
  });
  // A journey (as the version the contact is on) whose goal is another event, or none.
  if (row == goals.end()) return false;
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
  txn_.count_run(row->id, row->version, path.text());
  if (auto r = store_move(enrolment, journeys::Stop{goal->id, std::nullopt}, "converted"); !r) {
    return std::unexpected(r.error());
  }
  return true;
}

Result<void> EventPath::wait_over(Enrolment& enrolment, const std::vector<store::JourneyRow>& waits,
                                  const Event& event, journeys::Fields& fields,
                                  const Contact& contact, int depth) {
  const auto row = std::ranges::find_if(waits, [&enrolment](const store::JourneyRow& wait) {
    return wait.id == enrolment.journey_id && wait.version == enrolment.journey_version;
  });
  if (row == waits.end()) return {};  // its journey (its version) waits for other events
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
  txn_.count_run(enrolment.journey_id, enrolment.journey_version, effects.journey_path().text());
  return store_move(enrolment, *stop, stop->finished() ? "completed" : "waiting");
}

bool EventPath::moved_since(const std::string& enrolment_id, uint64_t read_at) const {
  const auto moved = moved_at_.find(enrolment_id);
  return moved != moved_at_.end() && moved->second > read_at;
}

Result<void> EventPath::store_move(Enrolment& enrolment, const journeys::Stop& stop,
                                   std::string status) {
  enrolment.block_id = stop.block_id;
  enrolment.status = std::move(status);
  enrolment.wake_at = stop.wake_at.value_or(0);
  enrolment.waiting_delivery = stop.waiting_delivery;
  enrolment.updated_at = now_ms_;
  moved_at_[enrolment.id] = ++moves_;
  return txn_.update_enrolment(enrolment);
}

Result<std::optional<journeys::Answer>> EventPath::answer_for(Enrolment& enrolment,
                                                              int64_t last_wait) {
  auto read = txn_.delivery_answer(enrolment.workspace_id, enrolment.waiting_delivery);
  if (!read) return std::unexpected(read.error());
  // A delivery gone (deleted with its webhook) will never succeed.
  if (!read->has_value()) return journeys::Answer{false, {}};
  const store::DeliveryAnswer& delivery = **read;
  if (delivery.status == DeliveryStatus::kSucceeded || delivery.status == DeliveryStatus::kDead) {
    return journeys::Answer{delivery.status == DeliveryStatus::kSucceeded, delivery.response_body};
  }
  // Woken by the fallback while the call is still being tried (a webhook held back for days, say):
  // look again once its next try could have ended, twice as late as last time, so that many
  // contacts waiting on a held webhook do not cost a write each every minute.
  const int64_t wait =
      std::clamp(2 * last_wait, journeys::kAnswerRecheckMs, journeys::kMaxAnswerRecheckMs);
  enrolment.wake_at = std::max(now_ms_, delivery.next_attempt_at) + wait;
  enrolment.updated_at = now_ms_;
  if (auto r = txn_.update_enrolment(enrolment); !r) return std::unexpected(r.error());
  return std::nullopt;
}

Result<int> EventPath::wake_due(int limit) {
  auto due = txn_.due_enrolments(now_ms_, limit);
  if (!due) return std::unexpected(due.error());
  const uint64_t read_at = moves_;
  for (Enrolment& enrolment : *due) {
    // One that an earlier one's run moved meanwhile (an event it emitted) is no longer due.
    if (moved_since(enrolment.id, read_at)) continue;
    auto row = txn_.find_journey_version(enrolment.workspace_id, enrolment.journey_id,
                                         enrolment.journey_version);
    if (!row) return std::unexpected(row.error());
    auto contact = txn_.find_contact(enrolment.workspace_id, enrolment.contact_id);
    if (!contact) return std::unexpected(contact.error());
    auto event = event_from_text(enrolment.event);
    const int64_t last_wait = enrolment.wake_at - enrolment.updated_at;  // before it is moved
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
    std::optional<journeys::Answer> answer;
    if (!enrolment.waiting_delivery.empty()) {
      auto read = answer_for(enrolment, last_wait);
      if (!read) return std::unexpected(read.error());
      if (!*read) continue;  // not over yet: it waits on
      answer = std::move(*read);
    }
    moving_.insert(enrolment.id);
    auto stop = answer ? journeys::resume_on_answer(**journey, enrolment.block_id, *answer, effects,
                                                    now_ms_)
                       : journeys::resume_after(**journey, enrolment.block_id, effects, now_ms_);
    moving_.erase(enrolment.id);
    if (!stop) return std::unexpected(stop.error());
    if (!effects.unmapped_because().empty()) {
      // Shown with the attempt in the delivery log, where the answer itself is.
      if (auto r = txn_.note_last_attempt(enrolment.workspace_id, enrolment.waiting_delivery,
                                          "response mapping: " + effects.unmapped_because());
          !r) {
        return std::unexpected(r.error());
      }
    }
    if (!effects.journey_path().empty()) {
      txn_.count_run(enrolment.journey_id, enrolment.journey_version,
                     effects.journey_path().text());
    }
    if ((*journey)->block(enrolment.block_id) == nullptr) {
      // Versions keep the block a contact waits at; only a graph changed under a waiting contact
      // some other way (by hand in the database) gets here.
      module_logger("ingest")->info(
          "enrolment {} ended: block {} is not in version {} of journey {}", enrolment.id,
          enrolment.block_id, enrolment.journey_version, enrolment.journey_id);
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

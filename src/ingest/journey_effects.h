#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/contact.h"
#include "core/event.h"
#include "core/journey.h"
#include "core/journey_path.h"
#include "ingest/event_fields.h"
#include "journeys/runner.h"

namespace hookline::ingest {

class EventPath;

// The triggering event kept with an enrolment, so blocks after a delay still act on it.
std::string event_to_text(const Event& event);
std::optional<Event> event_from_text(const std::string& text);

// What blocks do, for one contact in one journey, inside the event path's transaction: calls are
// ordinary deliveries (one outbound path), list and contact changes emit their system events one
// journey deeper, and the blocks it passes make up its path, counted once the run is over.
class JourneyEffects final : public journeys::StepEffects {
 public:
  // `workspace_id`, `event` and `contact` must outlive the effects (the event being recorded or
  // woken up, and its contact); the contact is copied only when an update_contact block reads it.
  JourneyEffects(EventPath& path, const Journey& journey, const std::string& workspace_id,
                 const Event& event, const Contact& contact, int depth);

  Result<bool> in_list(const std::string& list_id) override;
  journeys::Fields& fields() override { return fields_; }
  Result<std::string> call_webhook(const Block& block) override;
  Result<void> add_to_list(const std::string& list_id) override;
  Result<void> remove_from_list(const std::string& list_id) override;
  Result<void> update_contact(const boost::json::object& properties) override;
  void entered(const std::string& block_id) override { journey_path_.entered(block_id); }
  void left(const std::string& block_id, std::string_view branch) override {
    journey_path_.left(block_id, branch);
  }
  void answer_not_mapped(const Block& block, const std::vector<std::string>& errors) override;

  // Why the last answer did not map whole, one line per mapping (empty: it did, or none came).
  const std::string& unmapped_because() const { return unmapped_because_; }

  // The way this contact went, for the per-block counts (counted once the run is over).
  const JourneyPath& journey_path() const { return journey_path_; }

 private:
  Result<void> emit(const std::string& name, boost::json::object details);

  const Contact& contact() const { return changed_ ? *changed_ : contact_; }

  EventPath& path_;
  const Journey& journey_;
  const std::string& workspace_id_;
  const Event& event_;
  const Contact& contact_;
  std::optional<Contact> changed_;  // the contact as an update_contact block last read and set it
  const int depth_;
  EventFields fields_;
  JourneyPath journey_path_;
  std::string unmapped_because_;
};

}  // namespace hookline::ingest

#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>

#include "core/contact.h"
#include "core/event.h"
#include "core/journey.h"
#include "journeys/runner.h"

namespace hookline::ingest {

class EventPath;

// {"event": {id, name, time}, "event_details", "contact"}: what trigger filters and field
// conditions look at.
boost::json::object condition_context(const Event& event, const Contact& contact);

// The triggering event kept with an enrolment, so blocks after a delay still act on it.
std::string event_to_text(const Event& event);
std::optional<Event> event_from_text(const std::string& text);

// What blocks do, for one contact in one journey, inside the event path's transaction: calls are
// ordinary deliveries (one outbound path), list and contact changes emit their system events one
// journey deeper, and per-block counts go to the event path, which writes them once per job.
class JourneyEffects final : public journeys::StepEffects {
 public:
  // `event` must outlive the effects (it is the event being recorded or woken up).
  JourneyEffects(EventPath& path, const Journey& journey, std::string workspace_id,
                 const Event& event, Contact contact, int depth);

  Result<bool> in_list(const std::string& list_id) override;
  const boost::json::object& condition_context() override;
  Result<void> call_webhook(const Block& block) override;
  Result<void> add_to_list(const std::string& list_id) override;
  Result<void> remove_from_list(const std::string& list_id) override;
  Result<void> update_contact(const boost::json::object& properties) override;
  void entered(const std::string& block_id) override;
  void left(const std::string& block_id) override;

 private:
  Result<void> emit(const std::string& name, boost::json::object details);

  EventPath& path_;
  const Journey& journey_;
  const std::string workspace_id_;
  const Event& event_;
  Contact contact_;  // as the journey changes it
  const int depth_;
  // Built on first use: most journeys test no field of the contact after their trigger.
  std::optional<boost::json::object> context_;
};

}  // namespace hookline::ingest

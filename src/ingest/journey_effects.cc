#include "ingest/journey_effects.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/json_depth.h"
#include "core/logger.h"
#include "ingest/event_path.h"

namespace hookline::ingest {
namespace json = boost::json;

std::string event_to_text(const Event& event) {
  return json::serialize(json::object{
      {"id", event.id}, {"name", event.name}, {"time", event.time_ms}, {"details", event.details}});
}

std::optional<Event> event_from_text(const std::string& text) {
  boost::system::error_code ec;
  json::value value = parse_stored_json(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const json::object& o = value.get_object();
  const json::value* id = o.if_contains("id");
  const json::value* name = o.if_contains("name");
  const json::value* time = o.if_contains("time");
  const json::value* details = o.if_contains("details");
  if (!id || !id->is_string() || !name || !name->is_string() || !time || !time->is_int64() ||
      !details || !details->is_object()) {
    return std::nullopt;
  }
  return Event{std::string(id->get_string()), std::string(name->get_string()), time->get_int64(),
               details->get_object()};
}

JourneyEffects::JourneyEffects(EventPath& path, const Journey& journey,
                               const std::string& workspace_id, const Event& event,
                               const Contact& contact, int depth)
    : path_(path),
      journey_(journey),
      workspace_id_(workspace_id),
      event_(event),
      contact_(contact),
      depth_(depth),
      fields_(event, contact) {}

Result<bool> JourneyEffects::in_list(const std::string& list_id) {
  return path_.txn().is_list_member(workspace_id_, list_id, contact().id);
}

Result<std::string> JourneyEffects::call_webhook(const Block& block) {
  auto webhook = path_.txn().find_webhook(workspace_id_, block.webhook_id);
  if (!webhook) return std::unexpected(webhook.error());
  // Checked when the journey was saved; deleted or disabled since, the call is skipped, not
  // failed: the rest of the journey still applies to the contact.
  if (!webhook->has_value() || !(*webhook)->spec.enabled) {
    module_logger("ingest")->warn("journey {} block {}: webhook {} is {}; no call made",
                                  journey_.id, block.id, block.webhook_id,
                                  webhook->has_value() ? "disabled" : "deleted");
    return std::string();
  }
  const json::object payload = outbound::contact_to_payload(contact());
  return path_.add_delivery(workspace_id_, **webhook, event_, contact().id, &payload,
                            outbound::JourneyRef{journey_.id, journey_.name, block.id});
}

void JourneyEffects::answer_not_mapped(const Block& block, const std::vector<std::string>& errors) {
  unmapped_because_.clear();
  for (const std::string& error : errors) {
    if (!unmapped_because_.empty()) unmapped_because_ += "; ";
    unmapped_because_ += error;
  }
  // Counted on the block and noted on the attempt; a receiver answering every call in a shape the
  // mapping does not expect would flood a log at a louder level.
  module_logger("ingest")->debug(
      "journey {} block {}: contact {}: the answer did not map whole: {}", journey_.id, block.id,
      contact().id, unmapped_because_);
}

Result<void> JourneyEffects::emit(const std::string& name, json::object details) {
  const Event event{new_uuid_v7(path_.now_ms()), name, path_.now_ms(), std::move(details)};
  return path_.emit(workspace_id_, event, contact(), depth_ + 1);
}

Result<void> JourneyEffects::add_to_list(const std::string& list_id) {
  auto list = path_.txn().find_list(workspace_id_, list_id);
  if (!list) return std::unexpected(list.error());
  if (!list->has_value()) return {};  // deleted since the journey was saved: nothing to add to
  auto added = path_.txn().add_list_members(workspace_id_, list_id, {contact().id}, path_.now_ms());
  if (!added) return std::unexpected(added.error());
  if (added->empty()) return {};  // already a member: no change, no event
  return emit("list.add_contact",
              {{"list_id", list_id}, {"list_name", (*list)->name}, {"contact_id", contact().id}});
}

Result<void> JourneyEffects::remove_from_list(const std::string& list_id) {
  auto list = path_.txn().find_list(workspace_id_, list_id);
  if (!list) return std::unexpected(list.error());
  if (!list->has_value()) return {};
  auto removed = path_.txn().remove_list_member(workspace_id_, list_id, contact().id);
  if (!removed) return std::unexpected(removed.error());
  if (!*removed) return {};
  return emit("list.remove_contact",
              {{"list_id", list_id}, {"list_name", (*list)->name}, {"contact_id", contact().id}});
}

Result<void> JourneyEffects::update_contact(const json::object& properties) {
  // Start from the stored contact: another journey may have changed it in this same job.
  auto current = path_.txn().find_contact(workspace_id_, contact().id);
  if (!current) return std::unexpected(current.error());
  if (!current->has_value()) return {};  // deleted meanwhile: nothing to update
  Contact updated = std::move(**current);
  bool changes = false;
  for (const auto& [key, value] : properties) {
    const boost::json::value* old = updated.properties.if_contains(key);
    if (old != nullptr && *old == value) continue;
    updated.properties[key] = value;
    changes = true;
  }
  changed_ = std::move(updated);
  fields_.contact_changed(*changed_);
  // Like an upsert through the API: a contact that already had these values is not written, and
  // no contact.update says it changed.
  if (!changes) return {};
  changed_->updated_at = path_.now_ms();
  if (auto r = path_.txn().update_contact(*changed_); !r) return r;
  return emit("contact.update", {{"contact_id", changed_->id}});
}

}  // namespace hookline::ingest

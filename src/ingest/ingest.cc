#include "ingest/ingest.h"

#include <memory>

#include "core/event.h"
#include "core/ids.h"

namespace hookline::ingest {
namespace json = boost::json;

namespace {

Event system_event(std::string name, int64_t now_ms, json::object details) {
  return {new_uuid_v7(now_ms), std::move(name), now_ms, std::move(details)};
}

// list.add_contact or list.remove_contact for one contact, through the event path.
Result<void> record_list_event(EventPath& path, const std::string& workspace_id, const char* name,
                               const ContactList& list, const std::string& contact_id) {
  // Asked first: a list import that nothing listens to should not read every contact back.
  auto listened = path.listened_to(workspace_id, name);
  if (!listened) return std::unexpected(listened.error());
  if (!*listened) return {};
  auto contact = path.txn().find_contact(workspace_id, contact_id);
  if (!contact) return std::unexpected(contact.error());
  if (!contact->has_value()) return {};  // cannot happen inside the job that changed membership
  Event event =
      system_event(name, path.now_ms(),
                   {{"list_id", list.id}, {"list_name", list.name}, {"contact_id", contact_id}});
  // Listened to (asked above): recorded straight away, without emit asking again.
  if (auto r = path.record(workspace_id, event, **contact); !r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Ingest::Ingest(store::Store& store, const Clock& clock, OnCommitted on_committed, FreshLease lease)
    : store_(store),
      clock_(clock),
      on_committed_(std::move(on_committed)),
      lease_(std::move(lease)) {}

template <typename T>
void Ingest::run(std::function<Result<T>(EventPath&)> job, Reply<T> reply) {
  // Shared between the job and its completion, both on the writer thread, one after the other.
  struct State {
    std::optional<Result<T>> value;
    std::vector<Delivery> deliveries;
  };
  auto state = std::make_shared<State>();
  store_.write(
      [this, state, job = std::move(job)](store::WriteTxn& txn) -> Result<void> {
        state->deliveries.clear();
        EventPath path(txn, clock_.now_ms(), lease_, journeys_, state->deliveries);
        state->value = job(path);
        if (!*state->value) return std::unexpected(state->value->error());
        return {};
      },
      [this, state, reply = std::move(reply)](Result<void> committed) {
        if (!committed) return reply(std::unexpected(committed.error()));
        if (!state->deliveries.empty()) on_committed_(std::move(state->deliveries));
        reply(std::move(*state->value));
      });
}

Result<Contact> Ingest::resolve_contact(EventPath& path, const std::string& workspace_id,
                                        const ContactRef& ref, const std::string& field,
                                        std::string_view posted) {
  if (!ref.by_email) {
    auto found = path.txn().find_contact(workspace_id, ref.id);
    if (!found) return std::unexpected(found.error());
    if (!found->has_value()) {
      return std::unexpected(Error{ErrorCode::kUnprocessable, "no contact with id " + ref.id,
                                   field.empty() ? "contact_id" : field + ".contact_id"});
    }
    return std::move(**found);
  }
  Contact contact = *ref.by_email;
  contact.workspace_id = workspace_id;
  contact.id = new_uuid_v7(path.now_ms());
  contact.created_at = contact.updated_at = path.now_ms();
  auto upserted = upsert_and_emit(path, workspace_id, contact, posted);
  if (!upserted) return std::unexpected(upserted.error());
  return std::move(upserted->contact);
}

Result<store::ContactUpsert> Ingest::upsert_and_emit(EventPath& path,
                                                     const std::string& workspace_id,
                                                     const Contact& contact,
                                                     std::string_view posted) {
  auto upserted = path.txn().upsert_contact(contact);
  if (!upserted) return std::unexpected(upserted.error());
  const std::string_view name = upserted->created ? "contact.create" : "contact.update";
  if (upserted->changed && name != posted) {
    Event event =
        system_event(std::string(name), path.now_ms(), {{"contact_id", upserted->contact.id}});
    if (auto r = path.emit(workspace_id, event, upserted->contact); !r) {
      return std::unexpected(r.error());
    }
  }
  return upserted;
}

void Ingest::submit_events(const std::string& workspace_id, std::vector<EventInput> events,
                           Reply<std::vector<std::string>> reply) {
  const int64_t received = clock_.now_ms();
  int64_t system = 0;
  for (EventInput& input : events) {
    if (input.id.empty()) input.id = new_uuid_v7(received);
    if (event_category(input.name) == "system") ++system;
  }
  const int64_t custom = static_cast<int64_t>(events.size()) - system;
  // Counted once committed: a refused batch was not ingested.
  Reply<std::vector<std::string>> counted =
      [this, system, custom, reply = std::move(reply)](Result<std::vector<std::string>> ids) {
        if (ids) {
          accepted_system_.fetch_add(system, std::memory_order_relaxed);
          accepted_custom_.fetch_add(custom, std::memory_order_relaxed);
        }
        reply(std::move(ids));
      };
  run<std::vector<std::string>>(
      [workspace_id,
       events = std::move(events)](EventPath& path) -> Result<std::vector<std::string>> {
        std::vector<std::string> ids;
        std::vector<std::string> emails;
        ids.reserve(events.size());
        for (const EventInput& input : events) {
          ids.push_back(input.id);
          if (input.contact.by_email) emails.push_back(input.contact.by_email->email);
        }
        if (auto r = path.txn().prefetch_events(workspace_id, ids, emails); !r) {
          return std::unexpected(r.error());
        }
        ids.clear();
        for (const EventInput& input : events) {
          ids.push_back(input.id);
          // A repeated id is accepted and changes nothing: not even the contact it names.
          auto seen = path.txn().event_exists(workspace_id, input.id);
          if (!seen) return std::unexpected(seen.error());
          if (*seen) continue;
          auto contact =
              resolve_contact(path, workspace_id, input.contact, input.field, input.name);
          if (!contact) return std::unexpected(contact.error());
          Event event{input.id, input.name, input.time_ms.value_or(path.now_ms()), input.details};
          if (auto r = path.record(workspace_id, event, *contact); !r) {
            return std::unexpected(r.error());
          }
        }
        return ids;
      },
      std::move(counted));
}

void Ingest::write_prometheus(PrometheusText& text) const {
  text.family("hookline_events_ingested_total", "counter",
              "Events this node accepted through POST /v1/events and /v1/events/batch, by name "
              "class: system (contact, list, email and form events) or custom (an event id sent "
              "again counts again).")
      .sample("hookline_events_ingested_total", {{"class", "system"}},
              static_cast<double>(accepted_system_.load(std::memory_order_relaxed)))
      .sample("hookline_events_ingested_total", {{"class", "custom"}},
              static_cast<double>(accepted_custom_.load(std::memory_order_relaxed)));
}

void Ingest::upsert_contact(const std::string& workspace_id, Contact contact,
                            Reply<store::ContactUpsert> reply) {
  run<store::ContactUpsert>(
      [workspace_id, contact = std::move(contact)](EventPath& path) {
        return upsert_and_emit(path, workspace_id, contact);
      },
      std::move(reply));
}

void Ingest::update_contact(const std::string& workspace_id, const std::string& id,
                            std::function<Result<void>(Contact&)> change, Reply<Contact> reply) {
  run<Contact>(
      [workspace_id, id, change = std::move(change)](EventPath& path) -> Result<Contact> {
        store::WriteTxn& txn = path.txn();
        auto found = txn.find_contact(workspace_id, id);
        if (!found) return std::unexpected(found.error());
        if (!found->has_value())
          return std::unexpected(Error::not_found("no contact with id " + id));
        Contact contact = std::move(**found);
        if (auto changed = change(contact); !changed) return std::unexpected(changed.error());
        contact.updated_at = path.now_ms();
        if (auto r = txn.update_contact(contact); !r) return std::unexpected(r.error());
        Event event = system_event("contact.update", path.now_ms(), {{"contact_id", contact.id}});
        if (auto r = path.emit(workspace_id, event, contact); !r) return std::unexpected(r.error());
        return contact;
      },
      std::move(reply));
}

void Ingest::delete_contact(const std::string& workspace_id, const std::string& id,
                            Reply<void> reply) {
  run<void>(
      [workspace_id, id](EventPath& path) -> Result<void> {
        store::WriteTxn& txn = path.txn();
        auto found = txn.find_contact(workspace_id, id);
        if (!found) return std::unexpected(found.error());
        if (!found->has_value())
          return std::unexpected(Error::not_found("no contact with id " + id));
        if (auto r = txn.delete_contact(workspace_id, id); !r) return r;
        // The right to be forgotten: its history goes too, in the background (store/retention.h).
        if (auto r = txn.request_forget(workspace_id, id, path.now_ms()); !r) return r;
        // The receivers get the contact as it was: afterwards there is nothing left to read.
        Event event = system_event("contact.delete", path.now_ms(), {{"contact_id", id}});
        return path.emit(workspace_id, event, **found);
      },
      std::move(reply));
}

void Ingest::add_to_list(const std::string& workspace_id, const ContactList& list,
                         std::vector<std::string> contact_ids, std::vector<std::string> emails,
                         Reply<std::vector<std::string>> reply) {
  run<std::vector<std::string>>(
      [workspace_id, list, contact_ids = std::move(contact_ids),
       emails = std::move(emails)](EventPath& path) -> Result<std::vector<std::string>> {
        store::WriteTxn& txn = path.txn();
        std::vector<std::string> ids = contact_ids;
        for (const std::string& email : emails) {
          Contact contact;
          contact.email = email;
          auto resolved = resolve_contact(path, workspace_id, {{}, contact}, "emails", {});
          if (!resolved) return std::unexpected(resolved.error());
          ids.push_back(resolved->id);
        }
        auto added = txn.add_list_members(workspace_id, list.id, ids, path.now_ms());
        if (!added) return std::unexpected(added.error());
        for (const std::string& contact_id : *added) {
          auto recorded =
              record_list_event(path, workspace_id, "list.add_contact", list, contact_id);
          if (!recorded) return std::unexpected(recorded.error());
        }
        return added;
      },
      std::move(reply));
}

void Ingest::remove_from_list(const std::string& workspace_id, const ContactList& list,
                              const std::string& contact_id, Reply<bool> reply) {
  run<bool>(
      [workspace_id, list, contact_id](EventPath& path) -> Result<bool> {
        auto removed = path.txn().remove_list_member(workspace_id, list.id, contact_id);
        if (!removed || !*removed) return removed;
        auto recorded =
            record_list_event(path, workspace_id, "list.remove_contact", list, contact_id);
        if (!recorded) return std::unexpected(recorded.error());
        return true;
      },
      std::move(reply));
}

void Ingest::emit_webhook_news(const WebhookNews& news, Reply<void> reply) {
  json::object details{
      {"webhook_id", news.webhook_id}, {"webhook_name", news.webhook_name}, {"url", news.url}};
  if (news.recovered) {
    details["recovered_at"] = news.at_ms;
  } else {
    details["reason"] = news.reason;
    details["message"] = news.message;
    details["disabled_at"] = news.at_ms;
  }
  Event event{new_uuid_v7(news.at_ms),
              std::string(news.recovered ? kWebhookRecovered : kWebhookDisabled), news.at_ms,
              std::move(details)};
  run<void>([workspace_id = news.workspace_id, event = std::move(event)](
                EventPath& path) { return path.emit_about_workspace(workspace_id, event); },
            std::move(reply));
}

void Ingest::wake_due_enrolments(int limit, Reply<int> reply) {
  run<int>([limit](EventPath& path) { return path.wake_due(limit); }, std::move(reply));
}

}  // namespace hookline::ingest

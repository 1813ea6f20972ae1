#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/prometheus_text.h"
#include "core/webhook_news.h"
#include "ingest/event_path.h"
#include "store/store.h"

namespace hookline::ingest {

// The contact an event is about: an existing one by id, or one found or made by email (with any
// fields given, upserted like POST /v1/contacts).
struct ContactRef {
  std::string id;
  std::optional<Contact> by_email;  // email set; other fields optional
};

// An event as the events API takes it, validated.
struct EventInput {
  std::string id;  // empty: a new UUID is made
  std::string name;
  ContactRef contact;
  boost::json::object details;
  std::optional<int64_t> time_ms;  // empty: the time it was received
  std::string field;  // where it came from in the request ("events[3]"), for error messages
};

// How a change through the API ended, for the API to answer with.
template <typename T>
using Reply = std::function<void(Result<T>)>;

// Everything that enters Hookline and can cause calls: events from the host app, and contact and
// list changes (which emit the system events of SPEC 2). Each operation is one write job: the
// change, the event, and one delivery per subscribed webhook (its body rendered once) commit
// together, grouped with concurrent work into one transaction. The reply comes after the commit;
// the new deliveries then go to `on_committed` (the dispatcher) without being read back.
//
// Replies run on the store's writer thread: they must not block.
class Ingest {
 public:
  using OnCommitted = std::function<void(std::vector<Delivery>)>;

  // New deliveries are leased to `lease.owner` (this node's dispatcher) for lease.duration_ms.
  Ingest(store::Store& store, const Clock& clock, OnCommitted on_committed, FreshLease lease);

  // All or nothing: the ids of the events, in order (an id seen before is accepted again and
  // not processed twice).
  void submit_events(const std::string& workspace_id, std::vector<EventInput> events,
                     Reply<std::vector<std::string>> reply);
  // Events accepted through submit_events since the start, by name class (event_category:
  // system or custom), for /metrics. Thread-safe.
  void write_prometheus(PrometheusText& text) const;

  void upsert_contact(const std::string& workspace_id, Contact contact,
                      Reply<store::ContactUpsert> reply);
  // `change` edits the stored contact (a PATCH); its error aborts the update.
  void update_contact(const std::string& workspace_id, const std::string& id,
                      std::function<Result<void>(Contact&)> change, Reply<Contact> reply);
  void delete_contact(const std::string& workspace_id, const std::string& id, Reply<void> reply);

  // Adds contacts (by id, or by email: made when unknown) to a list; replies with the ids added.
  void add_to_list(const std::string& workspace_id, const ContactList& list,
                   std::vector<std::string> contact_ids, std::vector<std::string> emails,
                   Reply<std::vector<std::string>> reply);
  void remove_from_list(const std::string& workspace_id, const ContactList& list,
                        const std::string& contact_id, Reply<bool> reply);

  // A webhook.disabled or webhook.recovered event for what Hookline did to a webhook by itself,
  // sent to the webhooks subscribed to it (its details: webhook_id, webhook_name, url; reason,
  // message and disabled_at, or recovered_at), and stored only when one is.
  void emit_webhook_news(const WebhookNews& news, Reply<void> reply);

  // Moves on up to `limit` journey enrolments whose delay has ended; replies with how many.
  void wake_due_enrolments(int limit, Reply<int> reply);

 private:
  // Runs `job` as one write job; on commit replies with its value and hands over the deliveries.
  template <typename T>
  void run(std::function<Result<T>(EventPath&)> job, Reply<T> reply);

  // The contact an event named `posted` is about; a contact made or changed by email emits
  // contact.create or contact.update too, unless that is `posted` itself (the client's event
  // says it, and one event must not become two deliveries).
  static Result<Contact> resolve_contact(EventPath& path, const std::string& workspace_id,
                                         const ContactRef& ref, const std::string& field,
                                         std::string_view posted);
  static Result<store::ContactUpsert> upsert_and_emit(EventPath& path,
                                                      const std::string& workspace_id,
                                                      const Contact& contact,
                                                      std::string_view posted = {});

  store::Store& store_;
  const Clock& clock_;
  OnCommitted on_committed_;
  const FreshLease lease_;
  JourneyCache journeys_;  // only touched inside write jobs, on the writer thread
  std::atomic<int64_t> accepted_system_{0};
  std::atomic<int64_t> accepted_custom_{0};
};

}  // namespace hookline::ingest

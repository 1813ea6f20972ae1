#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/contact.h"
#include "core/contact_timeline.h"
#include "core/delivery.h"
#include "core/delivery_stats.h"
#include "core/event.h"
#include "core/journey.h"

namespace hookline::store {

// Cursor paging: `cursor` is the previous page's next_cursor, opaque to callers (the last id of
// that page, or for deliveries its seq).
struct PageRequest {
  int limit = 50;
  std::string cursor;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

struct ContactUpsert {
  Contact contact;  // as stored after the upsert
  bool created = false;
  bool changed = false;  // created, or some field or property differs from what was stored
};

// Deliveries come newest first; every set field narrows the list.
struct DeliveryFilter {
  std::string webhook_id;
  std::string event_name;
  std::optional<DeliveryStatus> status;
  std::optional<int64_t> since_ms;  // created at or after
  std::optional<int64_t> until_ms;  // created before
};

// An event as a contact's timeline shows it.
struct StoredEvent {
  Event event;
  int64_t received_at = 0;
};

// One backwards read of a contact's timeline (Contacts::read_contact_activity): the rows read of
// each log, and the contact's among them, in the same order.
struct ContactActivity {
  LogScan event_rows;
  std::vector<StoredEvent> events;
  LogScan delivery_rows;
  std::vector<Delivery> deliveries;
};

// How far one read goes in each log: `rows` rows, or until `theirs` of them are the contact's.
struct ActivityLimits {
  int rows = 2000;
  int theirs = 50;
};

// One step of retention (WriteTxn::purge_*).
struct PurgeStep {
  int64_t removed = 0;    // rows removed (deliveries, or events)
  int64_t last_seq = 0;   // deliveries: the last row looked at, where the next step goes on
  bool finished = false;  // nothing more to remove in this pass
};

// A deleted contact whose history is still being removed (WriteTxn::forget_step).
struct ForgetRequest {
  std::string workspace_id;
  std::string contact_id;
  int64_t through_delivery_seq = 0;
  int64_t through_event_seq = 0;
  int64_t deliveries_done = 0;
  int64_t events_done = 0;
};

// The deliveries still to send, across every node sharing the store, for /metrics.
struct QueueCounts {
  int64_t due = 0;               // due now: not leased, or their lease ended
  int64_t scheduled = 0;         // due later (a retry's wait), not leased
  int64_t leased_here = 0;       // leased to the node that asked
  int64_t leased_elsewhere = 0;  // leased to other nodes
  // When the one due longest became due (Unix ms): the asking time when none is due.
  int64_t oldest_due_at = 0;
  // Waiting for an earlier delivery to the same contact to end (DeliveryStatus::kQueued).
  int64_t queued = 0;

  int64_t leased() const { return leased_here + leased_elsewhere; }
};

// A window of the delivery statistics: the minutes (Unix ms / 60000) from from_minute up to
// until_minute, excluded, in steps of step_minutes.
struct StatsWindow {
  int64_t from_minute = 0;
  int64_t until_minute = 0;
  int64_t step_minutes = 1;
  std::string webhook_id;  // empty: every webhook of the workspace

  size_t steps() const { return static_cast<size_t>((until_minute - from_minute) / step_minutes); }
};

// What the tries in a StatsWindow came to.
struct StatsReport {
  std::vector<AttemptCounts> steps;  // one per step from from_minute on, steps without tries too
  // Per webhook with tries in the window, by id; only for a window of every webhook.
  std::vector<std::pair<std::string, AttemptCounts>> by_webhook;
};

// What the store takes on disk, for /metrics.
struct StorageStats {
  int64_t database_bytes = 0;  // the database file
  int64_t free_bytes = 0;      // of it, pages freed (by retention) and waiting to be reused
  int64_t wal_bytes = 0;       // the write-ahead log beside it
};

// An event name the catalog has seen in a workspace (store/event_catalog.h).
struct EventTypeInfo {
  std::string name;
  int64_t first_seen_at = 0;
  int64_t last_seen_at = 0;            // to within kExampleRefreshMs
  std::optional<std::string> example;  // an event's details as JSON; none when too large
  std::vector<std::string> keys;       // dotted, sorted
};

// A journey as stored: its graph kept as the JSON text the API took, parsed by journeys/.
// The outcome of a delivery a journey's Webhook block waits for (WriteTxn::delivery_answer).
struct DeliveryAnswer {
  DeliveryStatus status = DeliveryStatus::kPending;
  int64_t next_attempt_at = 0;
  std::string response_body;  // of its last attempt, as recorded (the first 4 KiB)
};

struct JourneyRow {
  std::string id;
  std::string workspace_id;
  std::string name;
  JourneyStatus status = JourneyStatus::kDraft;
  bool reenter_every_time = true;
  std::string graph;  // {"blocks": [...], "edges": [...]}: of `version`
  // The version the graph is: the current one (the one new contacts enter), except where a row is
  // read for an older version (Journeys::get_journey_version, the goals and waits of WriteTxn).
  int version = 1;
  std::string trigger_event;
  std::string goal_event;  // its goal block's event; empty: it has none (written, not read back)
  // The events its Wait until blocks wait for, as " a b "; empty: none (written, not read back).
  std::string wait_events;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One version of a journey's graph, as the versions list shows it.
struct JourneyVersionInfo {
  int version = 0;
  int64_t created_at = 0;  // when it was saved
  int64_t waiting = 0;     // contacts waiting in the journey on it now
};

// One change made through the API, as the audit log keeps it.
struct AuditEntry {
  std::string id;  // UUIDv7: ordered by time
  std::string workspace_id;
  int64_t time = 0;
  std::string key_id;  // who made it; the name as it was then, so a revoked key still reads
  std::string key_name;
  std::string action;  // "create", "update", "delete", "activate", "rotate_secret", ...
  std::string resource_type;
  std::string resource_id;
  std::string changes;  // a JSON object, secrets masked
};

// Audit entries come newest first; every set field narrows the list.
struct AuditFilter {
  std::string action;
  std::string resource_type;
  std::string resource_id;
  std::string key_id;
};

}  // namespace hookline::store

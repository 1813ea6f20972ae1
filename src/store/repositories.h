#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/api_key.h"
#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/webhook.h"
#include "store/store_types.h"

// What the store keeps, one interface per resource, so that a part of Hookline (and a test's fake)
// depends on, and implements, only what it uses. store::Store is all of them together. Every
// method is safe to call from any thread; methods that change data change everything they
// describe or nothing; a workspace id scopes every lookup (an id from another workspace is "not
// found").
namespace hookline::store {

// Workspaces: everything else belongs to one.
class Workspaces {
 public:
  virtual ~Workspaces() = default;

  // A fresh install has one workspace, made on first use: the oldest.
  virtual Result<std::string> default_workspace_id(int64_t now_ms) = 0;
  virtual Result<void> insert_workspace(const Workspace& workspace) = 0;
  virtual Result<Workspace> get_workspace(const std::string& id) = 0;
  virtual Result<Page<Workspace>> list_workspaces(const PageRequest& page) = 0;
};

// A key just revoked: its hash, for caches to drop it, and its name, for the audit log.
struct RevokedKey {
  std::string key_hash;
  std::string name;
};

// The API keys that open workspaces. Only a key's SHA-256 is stored.
class ApiKeys {
 public:
  virtual ~ApiKeys() = default;

  // A key given again (--api-key on every start, by every node) is already there: it is kept as
  // it is, and the call succeeds.
  virtual Result<void> add_api_key(const ApiKey& key, const std::string& key_hash) = 0;
  // The key with this hash, revoked and expired ones included (to say why they are refused), or
  // nullopt for an unknown key.
  virtual Result<std::optional<ApiKey>> find_api_key(const std::string& key_hash) = 0;
  // The workspace's keys that are not revoked, by id.
  virtual Result<Page<ApiKey>> list_api_keys(const std::string& workspace_id,
                                             const PageRequest& page) = 0;
  // Revokes a key of the workspace; not found when there is no such key, it was revoked already,
  // or it is an instance key and !instance_too.
  virtual Result<RevokedKey> revoke_api_key(const std::string& workspace_id, const std::string& id,
                                            bool instance_too, int64_t now_ms) = 0;
  virtual Result<void> record_api_key_use(const std::string& id, int64_t now_ms) = 0;
  virtual Result<int64_t> count_api_keys() = 0;
};

// What was changed through the API, by whom.
class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual Result<void> append_audit(const AuditEntry& entry) = 0;
  virtual Result<Page<AuditEntry>> list_audit(const std::string& workspace_id,
                                              const AuditFilter& filter,
                                              const PageRequest& page) = 0;
};

// Webhooks, their subscriptions and signing secrets.
// A webhook due for a self-healing probe (Webhooks::webhooks_to_probe).
struct ProbeDue {
  Webhook webhook;
  int probes = 0;             // made since it was disabled
  int64_t next_probe_at = 0;  // as stored; 0: the first, not claimed yet
};

class Webhooks {
 public:
  virtual ~Webhooks() = default;

  virtual Result<void> insert_webhook(const Webhook& webhook) = 0;
  virtual Result<Webhook> get_webhook(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<Webhook>> list_webhooks(const std::string& workspace_id,
                                              const PageRequest& page) = 0;
  // Changes what a user configures (the spec); the secrets are left alone. Enabled, it clears
  // disabled_reason and disabled_at, and ends a failing spell (DeliveryQueue::share_breaker).
  virtual Result<void> update_webhook(const Webhook& webhook) = 0;
  // In one statement, so no concurrent change can undo it: the current secret becomes the
  // previous one (signing until expires_at) and new_secret signs from now. Returns the webhook.
  virtual Result<Webhook> rotate_webhook_secret(const std::string& workspace_id,
                                                const std::string& id,
                                                const std::string& new_secret, int64_t expires_at,
                                                int64_t now_ms) = 0;
  virtual Result<void> delete_webhook(const std::string& workspace_id, const std::string& id) = 0;
  // Hookline disables a webhook itself (`reason` "gone": its receiver answered 410 Gone;
  // "failing": its breaker stayed open for --disable-failing-after): it makes no more calls and
  // holds its deliveries until a user enables it again, which clears the reason. False when it
  // was disabled already or is gone.
  virtual Result<bool> disable_webhook(const std::string& workspace_id, const std::string& id,
                                       const std::string& reason, int64_t now_ms) = 0;

  // Self-healing (delivery/healer.h). Webhooks of every workspace that Hookline disabled itself,
  // that self-heal, and whose next probe is due at `now_ms`: the first comes `first_probe_ms`
  // after it was disabled, each later one when claim_probe set it. At most `limit`, longest due
  // first.
  virtual Result<std::vector<ProbeDue>> webhooks_to_probe(int64_t now_ms, int64_t first_probe_ms,
                                                          int limit) = 0;
  // Takes the probe of `due` for this node: its count goes up and the next is due at `next_ms`.
  // False when another node took it first (its next_probe_at moved since it was read).
  virtual Result<bool> claim_probe(const ProbeDue& due, int64_t next_ms) = 0;
  // Its receiver answered a probe with 200: the webhook is enabled again (healed_at = now_ms),
  // its reason, failing spell and probes cleared. False when it is not disabled by Hookline any
  // more or stopped self-healing (a user changed it meanwhile).
  virtual Result<bool> heal_webhook(const std::string& workspace_id, const std::string& id,
                                    int64_t now_ms) = 0;
};

// Contacts, read side. Changes go through write jobs (WriteTxn), which also emit their events.
class Contacts {
 public:
  virtual ~Contacts() = default;

  virtual Result<Contact> get_contact(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                               const std::string& email) = 0;
  // By id. A non-empty `search` keeps the contacts whose email, or first and last name, contain
  // it, ignoring case (contact_search_pattern): a scan of the workspace's contacts in id order
  // until the page is full.
  virtual Result<Page<Contact>> list_contacts(const std::string& workspace_id,
                                              const PageRequest& page,
                                              const std::string& search) = 0;
  // One backwards read of the contact's events, and of the workspace's deliveries keeping those
  // of its events, from `from` (core/contact_timeline.h says why nothing is indexed by contact).
  // A log at position 0 is not read.
  virtual Result<ContactActivity> read_contact_activity(const std::string& workspace_id,
                                                        const std::string& contact_id,
                                                        const TimelinePosition& from,
                                                        const ActivityLimits& limits) = 0;
};

// Lists and their members.
class Lists {
 public:
  virtual ~Lists() = default;

  virtual Result<void> insert_list(const ContactList& list) = 0;
  virtual Result<ContactList> get_list(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<ContactList>> list_lists(const std::string& workspace_id,
                                               const PageRequest& page) = 0;
  virtual Result<void> delete_list(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<Contact>> list_members(const std::string& workspace_id,
                                             const std::string& list_id,
                                             const PageRequest& page) = 0;
};

// Journeys, their versions, counts and enrolments. A journey's graph comes in versions: contacts
// enter the current one and finish on the one they entered (see WriteTxn).
class Journeys {
 public:
  virtual ~Journeys() = default;

  virtual Result<void> insert_journey(const JourneyRow& journey) = 0;
  // The journey as its current version.
  virtual Result<JourneyRow> get_journey(const std::string& workspace_id,
                                         const std::string& id) = 0;
  virtual Result<Page<JourneyRow>> list_journeys(const std::string& workspace_id,
                                                 const PageRequest& page) = 0;
  // Name, reentry, graph and trigger; the status stays. `journey.version` is the current version
  // after the change: `before.version` (the version the change was made from) to change that
  // version's graph in place (a draft, or only the layout), or the next one to add a version.
  // kConflict when the stored journey is no longer `before` (its updated_at moved: another change,
  // or a status change, came first).
  virtual Result<void> update_journey(const JourneyRow& journey, const JourneyRow& before) = 0;
  // Status changes move updated_at on by at least 1 ms, so update_journey sees them.
  virtual Result<void> set_journey_status(const std::string& workspace_id, const std::string& id,
                                          JourneyStatus status, int64_t now_ms) = 0;
  virtual Result<void> delete_journey(const std::string& workspace_id, const std::string& id) = 0;
  // The journey with the graph of one of its versions; kNotFound for a version it never had.
  virtual Result<JourneyRow> get_journey_version(const std::string& workspace_id,
                                                 const std::string& id, int version) = 0;
  // Its versions, newest first, each with the contacts waiting on it; kNotFound for a journey not
  // in the workspace.
  virtual Result<std::vector<JourneyVersionInfo>> journey_versions(const std::string& workspace_id,
                                                                   const std::string& id) = 0;
  // entered / waiting / left per block id, over all its versions; empty for a journey not in the
  // workspace.
  virtual Result<std::map<std::string, BlockStats>> journey_stats(
      const std::string& workspace_id, const std::string& journey_id) = 0;
  // The same counts on one version of the journey: the runs made on it and the contacts waiting on
  // it now.
  virtual Result<std::map<std::string, BlockStats>> version_stats(const std::string& workspace_id,
                                                                  const std::string& journey_id,
                                                                  int version) = 0;
  // The contact's stored enrolments, newest first; the cursor is the last id of the page before.
  virtual Result<Page<Enrolment>> contact_enrolments(const std::string& workspace_id,
                                                     const std::string& contact_id,
                                                     const PageRequest& page) = 0;
};

// What clients have sent: the event names seen with their details' keys, and the keys of contacts'
// properties (store/event_catalog.h says how they are kept).
class EventCatalog {
 public:
  virtual ~EventCatalog() = default;

  // The workspace's event names, sorted, each with its keys.
  virtual Result<std::vector<EventTypeInfo>> event_types(const std::string& workspace_id) = 0;
  // The keys seen in the workspace's contacts' properties, sorted.
  virtual Result<std::vector<std::string>> contact_property_keys(
      const std::string& workspace_id) = 0;
};

// The delivery log, as users read it. A cursor that no page gave is kValidation on "cursor".
class DeliveryLog {
 public:
  virtual ~DeliveryLog() = default;

  virtual Result<Page<Delivery>> list_deliveries(const std::string& workspace_id,
                                                 const DeliveryFilter& filter,
                                                 const PageRequest& page) = 0;
  virtual Result<Delivery> get_delivery(const std::string& workspace_id, const std::string& id) = 0;
  // Oldest first; empty for a delivery not in the workspace.
  virtual Result<std::vector<Attempt>> list_attempts(const std::string& workspace_id,
                                                     const std::string& delivery_id) = 0;
  // What the tries of the workspace's deliveries came to in the window (core/delivery_stats.h).
  // Kept per webhook and minute for kStatsKeptMinutes (store/delivery_tally.h).
  virtual Result<StatsReport> delivery_stats(const std::string& workspace_id,
                                             const StatsWindow& window) = 0;
  // Every workspace's unfinished deliveries, counted as `owner` (a node id) sees them at now_ms.
  // Reads every pending and retrying delivery: for a scrape every few seconds, not a request.
  virtual Result<QueueCounts> queue_counts(const std::string& owner, int64_t now_ms) = 0;
};

}  // namespace hookline::store

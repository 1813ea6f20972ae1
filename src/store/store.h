#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/contact.h"
#include "core/error.h"
#include "core/webhook.h"
#include "store/store_types.h"
#include "store/write_txn.h"

namespace hookline::store {

// Everything Hookline keeps. Two implementations: SQLite (one node, the default) and PostgreSQL
// (several nodes). Only store/ speaks SQL.
//
// Every method is safe to call from any thread. Methods that change data are atomic: they either
// change everything they describe or nothing. Workspace ids scope every lookup: an id from another
// workspace is "not found".
class Store {
 public:
  virtual ~Store() = default;

  // Applies pending schema migrations; returns the versions applied.
  virtual Result<std::vector<int>> migrate() = 0;

  // Workspaces and API keys. A fresh install has one workspace, made on first use.
  virtual Result<std::string> default_workspace_id(int64_t now_ms) = 0;
  virtual Result<void> add_api_key(const std::string& workspace_id, const std::string& name,
                                   const std::string& key_hash, int64_t now_ms) = 0;
  // The workspace of the key with this hash, or nullopt for an unknown key.
  virtual Result<std::optional<std::string>> workspace_for_key(const std::string& key_hash) = 0;
  virtual Result<int64_t> count_api_keys() = 0;

  // Webhooks.
  virtual Result<void> insert_webhook(const Webhook& webhook) = 0;
  virtual Result<Webhook> get_webhook(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<Webhook>> list_webhooks(const std::string& workspace_id,
                                              const PageRequest& page) = 0;
  // Changes what a user configures (the spec); the secrets are left alone.
  virtual Result<void> update_webhook(const Webhook& webhook) = 0;
  // In one statement, so no concurrent change can undo it: the current secret becomes the
  // previous one (signing until expires_at) and new_secret signs from now. Returns the webhook.
  virtual Result<Webhook> rotate_webhook_secret(const std::string& workspace_id,
                                                const std::string& id,
                                                const std::string& new_secret, int64_t expires_at,
                                                int64_t now_ms) = 0;
  virtual Result<void> delete_webhook(const std::string& workspace_id, const std::string& id) = 0;

  // Contacts. Changes go through write jobs (WriteTxn), which also emit their events.
  virtual Result<Contact> get_contact(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                               const std::string& email) = 0;
  virtual Result<Page<Contact>> list_contacts(const std::string& workspace_id,
                                              const PageRequest& page) = 0;

  // Lists and membership.
  virtual Result<void> insert_list(const ContactList& list) = 0;
  virtual Result<ContactList> get_list(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<ContactList>> list_lists(const std::string& workspace_id,
                                               const PageRequest& page) = 0;
  virtual Result<void> delete_list(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<Contact>> list_members(const std::string& workspace_id,
                                             const std::string& list_id,
                                             const PageRequest& page) = 0;

  // Journeys. Changing one that contacts are in keeps their enrolments (see WriteTxn).
  virtual Result<void> insert_journey(const JourneyRow& journey) = 0;
  virtual Result<JourneyRow> get_journey(const std::string& workspace_id,
                                         const std::string& id) = 0;
  virtual Result<Page<JourneyRow>> list_journeys(const std::string& workspace_id,
                                                 const PageRequest& page) = 0;
  // Name, reentry, graph and trigger; the status stays.
  virtual Result<void> update_journey(const JourneyRow& journey) = 0;
  virtual Result<void> set_journey_status(const std::string& workspace_id, const std::string& id,
                                          JourneyStatus status, int64_t now_ms) = 0;
  virtual Result<void> delete_journey(const std::string& workspace_id, const std::string& id) = 0;
  // entered / waiting / left per block id; empty for a journey not in the workspace.
  virtual Result<std::map<std::string, BlockStats>> journey_stats(
      const std::string& workspace_id, const std::string& journey_id) = 0;
  // The contact's stored enrolments, newest first; the cursor is the last id of the page before.
  virtual Result<Page<Enrolment>> contact_enrolments(const std::string& workspace_id,
                                                     const std::string& contact_id,
                                                     const PageRequest& page) = 0;

  // Group commit. Jobs submitted meanwhile run one after another in one transaction on the
  // store's writer thread, and `done` of each runs once that transaction committed: one sync to
  // disk for the whole batch. Never blocks the caller.
  virtual void write(WriteJob job, WriteDone done) = 0;
  // Stops the writer after the jobs already submitted. Later submissions fail with kUnavailable.
  virtual void stop_writer() = 0;

  // Deliveries and their attempts. A cursor that no page gave is kValidation on "cursor".
  virtual Result<Page<Delivery>> list_deliveries(const std::string& workspace_id,
                                                 const DeliveryFilter& filter,
                                                 const PageRequest& page) = 0;
  virtual Result<Delivery> get_delivery(const std::string& workspace_id, const std::string& id) = 0;
  // Oldest first; empty for a delivery not in the workspace.
  virtual Result<std::vector<Attempt>> list_attempts(const std::string& workspace_id,
                                                     const std::string& delivery_id) = 0;
  // The store's size on disk.
  virtual Result<StorageStats> storage_stats() = 0;
  // Whether writes are failing for want of disk space: a write found the disk full a moment ago
  // (seconds). Cheap enough for every /readyz.
  virtual bool storage_full() const = 0;

  // At a node's start-up: the leases it held in a previous run (`owner`, its node id) end now, so
  // what it had in flight at a crash is due again. Other nodes' leases are theirs. Returns how
  // many deliveries that released.
  virtual Result<int64_t> release_leases_of(const std::string& owner, int64_t now_ms) = 0;
};

}  // namespace hookline::store

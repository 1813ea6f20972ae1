#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/contact.h"
#include "core/error.h"
#include "core/webhook.h"

namespace hookline::store {

// Cursor paging: items come in id order (UUIDv7, so creation order), `cursor` is the last id of the
// previous page.
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
};

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
  virtual Result<void> update_webhook(const Webhook& webhook) = 0;
  virtual Result<void> delete_webhook(const std::string& workspace_id, const std::string& id) = 0;

  // Contacts. upsert_contact matches on (workspace, email): an existing contact gets the given
  // fields (empty strings leave a field unchanged) and its properties merged.
  virtual Result<ContactUpsert> upsert_contact(const Contact& contact) = 0;
  virtual Result<Contact> get_contact(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<std::optional<Contact>> find_contact_by_email(const std::string& workspace_id,
                                                               const std::string& email) = 0;
  virtual Result<Page<Contact>> list_contacts(const std::string& workspace_id,
                                              const PageRequest& page) = 0;
  // Replaces the stored contact's fields with these; a clash on email is kConflict.
  virtual Result<void> update_contact(const Contact& contact) = 0;
  virtual Result<void> delete_contact(const std::string& workspace_id, const std::string& id) = 0;

  // Lists and membership.
  virtual Result<void> insert_list(const ContactList& list) = 0;
  virtual Result<ContactList> get_list(const std::string& workspace_id, const std::string& id) = 0;
  virtual Result<Page<ContactList>> list_lists(const std::string& workspace_id,
                                               const PageRequest& page) = 0;
  virtual Result<void> delete_list(const std::string& workspace_id, const std::string& id) = 0;
  // Adds contacts that are not yet members; returns the ids actually added. Every id must be a
  // contact of the workspace, else nothing is added and the error names the first unknown one.
  virtual Result<std::vector<std::string>> add_list_members(
      const std::string& workspace_id, const std::string& list_id,
      const std::vector<std::string>& contact_ids, int64_t now_ms) = 0;
  // False when the contact was not a member.
  virtual Result<bool> remove_list_member(const std::string& workspace_id,
                                          const std::string& list_id,
                                          const std::string& contact_id) = 0;
  virtual Result<Page<Contact>> list_members(const std::string& workspace_id,
                                             const std::string& list_id,
                                             const PageRequest& page) = 0;
};

}  // namespace hookline::store

// Contact and list changes inside the writer's transaction.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "store/contact_merge.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {
namespace json = boost::json;

namespace {

// The contact with this email, as stored, for a change.
Result<std::optional<StoredContact>> read_for_change(PgConnection& db,
                                                     const std::string& workspace_id,
                                                     const std::string& email) {
  auto found = db.query("SELECT " + kStoredContactColumns +
                            " FROM contacts c WHERE c.workspace_id = $1 AND c.email = $2",
                        {workspace_id, email});
  if (!found) return std::unexpected(found.error());
  if (found->rows() == 0) return std::nullopt;
  return read_stored_contact(*found, 0);
}

// One try at upsert_contact, from `stored`: the contact with its email as read (nullopt: none).
// Nullopt when another node created or changed the contact since that read: the write then
// changed nothing, and the caller tries again from what that node stored, so that the two merge
// as if they had run one after the other, as they do behind SQLite's single writer.
Result<std::optional<ContactUpsert>> try_upsert_contact(
    PgConnection& db, const Contact& contact, const std::optional<StoredContact>& stored) {
  if (!stored) {
    // A contact another node stored with this email meanwhile is no error: this try lost a race.
    auto inserted = db.query(
        "INSERT INTO contacts (id, workspace_id, email, first_name, last_name, mobile, "
        "properties, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (workspace_id, email) DO NOTHING",
        {contact.id, contact.workspace_id, contact.email, contact.first_name, contact.last_name,
         contact.mobile, json::serialize(contact.properties), contact.created_at,
         contact.updated_at});
    if (!inserted) return std::unexpected(inserted.error());
    if (inserted->rows_affected() == 0) return std::nullopt;
    return ContactUpsert{contact, true, true};
  }

  ContactUpsert result = merge_contact(contact, stored->contact);
  if (!result.changed) return result;
  const Contact& merged = result.contact;
  // xmin names the row version read: a write that finds another version lost a race.
  auto updated = db.query(
      "UPDATE contacts SET first_name = $1, last_name = $2, mobile = $3, properties = $4, "
      "updated_at = $5 WHERE id = $6 AND xmin = $7::xid",
      {merged.first_name, merged.last_name, merged.mobile, json::serialize(merged.properties),
       merged.updated_at, merged.id, stored->version});
  if (!updated) return std::unexpected(updated.error());
  if (updated->rows_affected() == 0) return std::nullopt;
  return result;
}

}  // namespace

Result<std::optional<Contact>> PgWriteTxn::find_contact_where(std::string_view column,
                                                              const std::string& workspace_id,
                                                              const std::string& value) {
  auto found = db().query("SELECT " + std::string(kContactColumns) +
                              " FROM contacts c WHERE c.workspace_id = $1 AND c." +
                              std::string(column) + " = $2",
                          {workspace_id, value});
  if (!found) return std::unexpected(found.error());
  return read_one<Contact>(*found, read_contact);
}

Result<std::optional<Contact>> PgWriteTxn::find_contact(const std::string& workspace_id,
                                                        const std::string& id) {
  return find_contact_where("id", workspace_id, id);
}

Result<std::optional<Contact>> PgWriteTxn::find_contact_by_email(const std::string& workspace_id,
                                                                 const std::string& email) {
  return find_contact_where("email", workspace_id, email);
}

Result<ContactUpsert> PgWriteTxn::upsert_contact(const Contact& contact) {
  // Each lost race means another node's write committed meanwhile: a few in a row is already
  // unlikely, and the caller may retry a kUnavailable.
  constexpr int kTries = 5;
  for (int i = 0; i < kTries; ++i) {
    std::optional<StoredContact> stored;
    const auto prefetched = prefetched_.workspace_id == contact.workspace_id
                                ? prefetched_.contacts.find(contact.email)
                                : prefetched_.contacts.end();
    if (prefetched != prefetched_.contacts.end()) {
      stored = prefetched->second;
    } else {
      auto read = read_for_change(db(), contact.workspace_id, contact.email);
      if (!read) return std::unexpected(read.error());
      stored = std::move(*read);
    }
    auto upserted = try_upsert_contact(db(), contact, stored);
    if (!upserted) return std::unexpected(upserted.error());
    // Written, or found changed: what was read is no longer the row's version.
    if (prefetched != prefetched_.contacts.end() && (!*upserted || (*upserted)->changed)) {
      prefetched_.contacts.erase(prefetched);
    }
    if (upserted->has_value()) {
      if ((*upserted)->changed) {
        catalog_news_.contact_stored((*upserted)->contact, (*upserted)->contact.updated_at);
      }
      return std::move(**upserted);
    }
  }
  return std::unexpected(Error::unavailable("the contact " + contact.email +
                                            " kept changing while it was being stored; retry"));
}

Result<void> PgWriteTxn::update_contact(const Contact& c) {
  auto updated = db().query(
      "UPDATE contacts SET email = $1, first_name = $2, last_name = $3, mobile = $4, "
      "properties = $5, updated_at = $6 WHERE workspace_id = $7 AND id = $8",
      {c.email, c.first_name, c.last_name, c.mobile, json::serialize(c.properties), c.updated_at,
       c.workspace_id, c.id});
  if (!updated) {
    Error error = updated.error();
    if (error.code == ErrorCode::kConflict) {
      error.message = "another contact has the email " + c.email;
      error.field = "email";
    }
    return std::unexpected(std::move(error));
  }
  if (updated->rows_affected() == 0)
    return std::unexpected(Error::not_found("no contact with id " + c.id));
  catalog_news_.contact_stored(c, c.updated_at);
  return {};
}

Result<void> PgWriteTxn::delete_contact(const std::string& workspace_id, const std::string& id) {
  auto removed =
      db().query("DELETE FROM contacts WHERE workspace_id = $1 AND id = $2", {workspace_id, id});
  if (!removed) return std::unexpected(removed.error());
  if (removed->rows_affected() == 0)
    return std::unexpected(Error::not_found("no contact with id " + id));
  return {};
}

Result<std::vector<std::string>> PgWriteTxn::add_list_members(
    const std::string& workspace_id, const std::string& list_id,
    const std::vector<std::string>& contact_ids, int64_t now_ms) {
  if (contact_ids.empty()) return std::vector<std::string>();
  json::array ids;
  ids.reserve(contact_ids.size());
  for (const std::string& id : contact_ids) ids.emplace_back(id);
  // One statement for the whole list: the first id that is no contact of the workspace (then
  // nothing is added, and the job fails anyway), else the members it added.
  auto result = db().query(
      "WITH given AS (SELECT id, n FROM json_array_elements_text($3::json) WITH ORDINALITY "
      "AS g(id, n)), "
      "unknown AS (SELECT g.id FROM given g WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE "
      "c.workspace_id = $1 AND c.id = g.id) ORDER BY g.n LIMIT 1), "
      "added AS (INSERT INTO list_members (list_id, contact_id, added_at) SELECT $2, g.id, $4 "
      "FROM given g WHERE NOT EXISTS (SELECT 1 FROM unknown) ORDER BY g.n "
      "ON CONFLICT DO NOTHING RETURNING contact_id) "
      "SELECT id, false FROM unknown UNION ALL SELECT contact_id, true FROM added",
      {workspace_id, list_id, json::serialize(ids), now_ms});
  if (!result) return std::unexpected(result.error());
  std::unordered_set<std::string> inserted;
  for (int row = 0; row < result->rows(); ++row) {
    if (!result->boolean(row, 1)) {
      const std::string id = result->text(row, 0);
      return std::unexpected(
          Error{ErrorCode::kUnprocessable, "no contact with id " + id, "contact_ids"});
    }
    inserted.insert(result->text(row, 0));
  }
  // In the order given, each once, as adding them one by one would list them.
  std::vector<std::string> added;
  for (const std::string& id : contact_ids) {
    if (inserted.erase(id) > 0) added.push_back(id);
  }
  return added;
}

Result<bool> PgWriteTxn::remove_list_member(const std::string& workspace_id,
                                            const std::string& list_id,
                                            const std::string& contact_id) {
  auto removed = db().query(
      "DELETE FROM list_members WHERE contact_id = $1 AND list_id = (SELECT id FROM lists "
      "WHERE workspace_id = $2 AND id = $3)",
      {contact_id, workspace_id, list_id});
  if (!removed) return std::unexpected(removed.error());
  return removed->rows_affected() > 0;
}

}  // namespace hookline::store::postgres

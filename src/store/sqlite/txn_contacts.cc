// Contact and list changes inside the writer's transaction.
#include <boost/json/serialize.hpp>

#include "store/contact_merge.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

Result<std::optional<Contact>> SqliteWriteTxn::find_contact_where(std::string_view column,
                                                                  const std::string& workspace_id,
                                                                  const std::string& value) {
  Statement& query =
      prepare("SELECT " + std::string(kContactColumns) +
              " FROM contacts c WHERE c.workspace_id = ? AND c." + std::string(column) + " = ?");
  query.bind(1, workspace_id).bind(2, value);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Contact>();
  return std::optional<Contact>(read_contact(query));
}

Result<std::optional<Contact>> SqliteWriteTxn::find_contact(const std::string& workspace_id,
                                                            const std::string& id) {
  return find_contact_where("id", workspace_id, id);
}

Result<std::optional<Contact>> SqliteWriteTxn::find_contact_by_email(
    const std::string& workspace_id, const std::string& email) {
  return find_contact_where("email", workspace_id, email);
}

Result<ContactUpsert> SqliteWriteTxn::upsert_contact(const Contact& contact) {
  auto existing = find_contact_by_email(contact.workspace_id, contact.email);
  if (!existing) return std::unexpected(existing.error());

  ContactUpsert result = existing->has_value() ? merge_contact(contact, **existing)
                                               : ContactUpsert{contact, true, true};
  if (!result.changed) return result;
  const Contact& c = result.contact;
  Statement& write = prepare(
      "INSERT INTO contacts (id, workspace_id, email, first_name, last_name, mobile, "
      "properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
      "(id) DO UPDATE SET first_name = excluded.first_name, last_name = "
      "excluded.last_name, mobile = excluded.mobile, properties = excluded.properties, "
      "updated_at = excluded.updated_at");
  write.bind(1, c.id)
      .bind(2, c.workspace_id)
      .bind(3, c.email)
      .bind(4, c.first_name)
      .bind(5, c.last_name)
      .bind(6, c.mobile)
      .bind(7, json::serialize(c.properties))
      .bind(8, c.created_at)
      .bind(9, c.updated_at);
  if (auto r = write.run(); !r) return std::unexpected(r.error());
  catalog_news_.contact_stored(c, c.updated_at);
  return result;
}

Result<void> SqliteWriteTxn::update_contact(const Contact& c) {
  Statement& update = prepare(
      "UPDATE contacts SET email = ?, first_name = ?, last_name = ?, mobile = ?, properties = ?, "
      "updated_at = ? WHERE workspace_id = ? AND id = ?");
  update.bind(1, c.email)
      .bind(2, c.first_name)
      .bind(3, c.last_name)
      .bind(4, c.mobile)
      .bind(5, json::serialize(c.properties))
      .bind(6, c.updated_at)
      .bind(7, c.workspace_id)
      .bind(8, c.id);
  if (auto r = update.run(); !r) {
    Error error = r.error();
    if (error.code == ErrorCode::kConflict) {
      error.message = "another contact has the email " + c.email;
      error.field = "email";
    }
    return std::unexpected(std::move(error));
  }
  if (connection_.changes() == 0)
    return std::unexpected(Error::not_found("no contact with id " + c.id));
  catalog_news_.contact_stored(c, c.updated_at);
  return {};
}

Result<void> SqliteWriteTxn::delete_contact(const std::string& workspace_id,
                                            const std::string& id) {
  Statement& remove = prepare("DELETE FROM contacts WHERE workspace_id = ? AND id = ?");
  remove.bind(1, workspace_id).bind(2, id);
  return remove.run_changing(Error::not_found("no contact with id " + id));
}

Result<std::vector<std::string>> SqliteWriteTxn::add_list_members(
    const std::string& workspace_id, const std::string& list_id,
    const std::vector<std::string>& contact_ids, int64_t now_ms) {
  std::vector<std::string> added;
  for (const std::string& contact_id : contact_ids) {
    Statement& exists = prepare("SELECT 1 FROM contacts WHERE workspace_id = ? AND id = ?");
    exists.bind(1, workspace_id).bind(2, contact_id);
    auto row = exists.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      return std::unexpected(
          Error{ErrorCode::kUnprocessable, "no contact with id " + contact_id, "contact_ids"});
    }
    Statement& insert = prepare(
        "INSERT INTO list_members (list_id, contact_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO "
        "NOTHING");
    insert.bind(1, list_id).bind(2, contact_id).bind(3, now_ms);
    if (auto r = insert.run(); !r) return std::unexpected(r.error());
    if (connection_.changes() > 0) added.push_back(contact_id);
  }
  return added;
}

Result<bool> SqliteWriteTxn::remove_list_member(const std::string& workspace_id,
                                                const std::string& list_id,
                                                const std::string& contact_id) {
  Statement& remove = prepare(
      "DELETE FROM list_members WHERE contact_id = ? AND list_id = (SELECT id FROM lists "
      "WHERE workspace_id = ? AND id = ?)");
  remove.bind(1, contact_id).bind(2, workspace_id).bind(3, list_id);
  if (auto r = remove.run(); !r) return std::unexpected(r.error());
  return connection_.changes() > 0;
}

}  // namespace hookline::store::sqlite

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/sqlite/paging.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {
namespace json = boost::json;

namespace {

constexpr std::string_view kContactColumns =
    "c.id, c.workspace_id, c.email, c.first_name, c.last_name, c.mobile, c.properties, "
    "c.created_at, c.updated_at";

Contact read_contact(const Statement& row) {
  Contact contact;
  contact.id = row.text(0);
  contact.workspace_id = row.text(1);
  contact.email = row.text(2);
  contact.first_name = row.text(3);
  contact.last_name = row.text(4);
  contact.mobile = row.text(5);
  contact.properties = json::parse(row.text(6)).as_object();
  contact.created_at = row.integer(7);
  contact.updated_at = row.integer(8);
  return contact;
}

ContactList read_list(const Statement& row) {
  return {row.text(0), row.text(1), row.text(2), row.integer(3), row.integer(4)};
}

constexpr std::string_view kListSelect =
    "SELECT l.id, l.workspace_id, l.name, (SELECT COUNT(*) FROM list_members m WHERE m.list_id = "
    "l.id), l.created_at FROM lists l ";

}  // namespace

Result<std::optional<Contact>> SqliteStore::find_contact_locked(const std::string& workspace_id,
                                                                std::string_view column,
                                                                const std::string& value) {
  Statement query(connection_.handle(), "SELECT " + std::string(kContactColumns) +
                                            " FROM contacts c WHERE c.workspace_id = ? AND c." +
                                            std::string(column) + " = ?");
  query.bind(1, workspace_id).bind(2, value);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Contact>();
  return std::optional<Contact>(read_contact(query));
}

Result<ContactUpsert> SqliteStore::upsert_contact(const Contact& contact) {
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return std::unexpected(r.error());
  auto existing = find_contact_locked(contact.workspace_id, "email", contact.email);
  if (!existing) return std::unexpected(existing.error());

  ContactUpsert result{contact, !existing->has_value()};
  if (existing->has_value()) {
    Contact& merged = result.contact;
    const Contact& stored = **existing;
    merged.id = stored.id;
    merged.created_at = stored.created_at;
    if (merged.first_name.empty()) merged.first_name = stored.first_name;
    if (merged.last_name.empty()) merged.last_name = stored.last_name;
    if (merged.mobile.empty()) merged.mobile = stored.mobile;
    json::object properties = stored.properties;
    for (const auto& [key, value] : contact.properties) properties[key] = value;
    merged.properties = std::move(properties);
  }
  const Contact& c = result.contact;
  Statement write(connection_.handle(),
                  "INSERT INTO contacts (id, workspace_id, email, first_name, last_name, mobile, "
                  "properties, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON "
                  "CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = "
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
  if (auto r = tx.commit(); !r) return std::unexpected(r.error());
  return result;
}

Result<Contact> SqliteStore::get_contact(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = find_contact_locked(workspace_id, "id", id);
  if (!found) return std::unexpected(found.error());
  if (!found->has_value()) return std::unexpected(Error::not_found("no contact with id " + id));
  return std::move(**found);
}

Result<std::optional<Contact>> SqliteStore::find_contact_by_email(const std::string& workspace_id,
                                                                  const std::string& email) {
  std::lock_guard lock(mutex_);
  return find_contact_locked(workspace_id, "email", email);
}

Result<Page<Contact>> SqliteStore::list_contacts(const std::string& workspace_id,
                                                 const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kContactColumns) +
                      " FROM contacts c WHERE c.workspace_id = ? AND c.id > ? ORDER BY c.id LIMIT ?");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  return read_page<Contact>(query, page.limit, read_contact);
}

Result<void> SqliteStore::update_contact(const Contact& c) {
  std::lock_guard lock(mutex_);
  Statement update(connection_.handle(),
                   "UPDATE contacts SET email = ?, first_name = ?, last_name = ?, mobile = ?, "
                   "properties = ?, updated_at = ? WHERE workspace_id = ? AND id = ?");
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
  if (connection_.changes() == 0) return std::unexpected(Error::not_found("no contact with id " + c.id));
  return {};
}

Result<void> SqliteStore::delete_contact(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement remove(connection_.handle(), "DELETE FROM contacts WHERE workspace_id = ? AND id = ?");
  remove.bind(1, workspace_id).bind(2, id);
  if (auto r = remove.run(); !r) return r;
  if (connection_.changes() == 0) return std::unexpected(Error::not_found("no contact with id " + id));
  return {};
}

Result<void> SqliteStore::insert_list(const ContactList& list) {
  std::lock_guard lock(mutex_);
  Statement insert(connection_.handle(),
                   "INSERT INTO lists (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)");
  insert.bind(1, list.id).bind(2, list.workspace_id).bind(3, list.name).bind(4, list.created_at);
  return insert.run();
}

Result<ContactList> SqliteStore::get_list(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  std::string(kListSelect) + "WHERE l.workspace_id = ? AND l.id = ?");
  query.bind(1, workspace_id).bind(2, id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no list with id " + id));
  return read_list(query);
}

Result<Page<ContactList>> SqliteStore::list_lists(const std::string& workspace_id,
                                                  const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), std::string(kListSelect) +
                                            "WHERE l.workspace_id = ? AND l.id > ? ORDER BY l.id "
                                            "LIMIT ?");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  return read_page<ContactList>(query, page.limit, read_list);
}

Result<void> SqliteStore::delete_list(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement remove(connection_.handle(), "DELETE FROM lists WHERE workspace_id = ? AND id = ?");
  remove.bind(1, workspace_id).bind(2, id);
  if (auto r = remove.run(); !r) return r;
  if (connection_.changes() == 0) return std::unexpected(Error::not_found("no list with id " + id));
  return {};
}

Result<std::vector<std::string>> SqliteStore::add_list_members(
    const std::string& workspace_id, const std::string& list_id,
    const std::vector<std::string>& contact_ids, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Transaction tx(connection_);
  if (auto r = tx.begin(); !r) return std::unexpected(r.error());
  Statement contact_exists(connection_.handle(),
                           "SELECT 1 FROM contacts WHERE workspace_id = ? AND id = ?");
  Statement insert(connection_.handle(),
                   "INSERT INTO list_members (list_id, contact_id, added_at) VALUES (?, ?, ?) ON "
                   "CONFLICT DO NOTHING");
  std::vector<std::string> added;
  for (const std::string& contact_id : contact_ids) {
    contact_exists.reset();
    contact_exists.bind(1, workspace_id).bind(2, contact_id);
    auto row = contact_exists.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      return std::unexpected(
          Error{ErrorCode::kUnprocessable, "no contact with id " + contact_id, "contact_ids"});
    }
    insert.reset();
    insert.bind(1, list_id).bind(2, contact_id).bind(3, now_ms);
    if (auto r = insert.run(); !r) return std::unexpected(r.error());
    if (connection_.changes() > 0) added.push_back(contact_id);
  }
  if (auto r = tx.commit(); !r) return std::unexpected(r.error());
  return added;
}

Result<bool> SqliteStore::remove_list_member(const std::string& workspace_id,
                                             const std::string& list_id,
                                             const std::string& contact_id) {
  std::lock_guard lock(mutex_);
  Statement remove(connection_.handle(),
                   "DELETE FROM list_members WHERE contact_id = ? AND list_id = (SELECT id FROM "
                   "lists WHERE workspace_id = ? AND id = ?)");
  remove.bind(1, contact_id).bind(2, workspace_id).bind(3, list_id);
  if (auto r = remove.run(); !r) return std::unexpected(r.error());
  return connection_.changes() > 0;
}

Result<Page<Contact>> SqliteStore::list_members(const std::string& workspace_id,
                                                const std::string& list_id,
                                                const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kContactColumns) +
                      " FROM list_members m JOIN contacts c ON c.id = m.contact_id WHERE "
                      "c.workspace_id = ? AND m.list_id = ? AND c.id > ? ORDER BY c.id LIMIT ?");
  query.bind(1, workspace_id).bind(2, list_id).bind(3, page.cursor).bind(4, int64_t{page.limit + 1});
  return read_page<Contact>(query, page.limit, read_contact);
}

}  // namespace hookline::store::sqlite

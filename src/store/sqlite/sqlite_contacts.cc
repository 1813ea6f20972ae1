#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

namespace {

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
                                                 const PageRequest& page,
                                                 const std::string& search) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kContactColumns) +
                      " FROM contacts c WHERE c.workspace_id = ?1 AND c.id > ?2" +
                      (search.empty() ? "" : rows::contact_search_condition("?4")) +
                      " ORDER BY c.id LIMIT ?3");
  query.bind(1, workspace_id).bind(2, page.cursor).bind(3, int64_t{page.limit + 1});
  if (!search.empty()) query.bind(4, rows::contact_search_pattern(search));
  return read_page<Contact>(query, page.limit, read_contact);
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
  return remove.run_changing(Error::not_found("no list with id " + id));
}

Result<Page<Contact>> SqliteStore::list_members(const std::string& workspace_id,
                                                const std::string& list_id,
                                                const PageRequest& page) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kContactColumns) +
                      " FROM list_members m JOIN contacts c ON c.id = m.contact_id WHERE "
                      "c.workspace_id = ? AND m.list_id = ? AND c.id > ? ORDER BY c.id LIMIT ?");
  query.bind(1, workspace_id)
      .bind(2, list_id)
      .bind(3, page.cursor)
      .bind(4, int64_t{page.limit + 1});
  return read_page<Contact>(query, page.limit, read_contact);
}

}  // namespace hookline::store::sqlite

// Contacts (read side) and lists, on the pool. Contact changes go through the writer.
#include <optional>
#include <string_view>

#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace hookline::store::postgres {

namespace {

ContactList read_list(const PgResult& result, int row) {
  return {result.text(row, 0), result.text(row, 1), result.text(row, 2), result.integer(row, 3),
          result.integer(row, 4)};
}

constexpr std::string_view kListSelect =
    "SELECT l.id, l.workspace_id, l.name, (SELECT COUNT(*) FROM list_members m WHERE m.list_id = "
    "l.id), l.created_at FROM lists l ";

// The workspace's contact whose `column` (a column name, never user input) holds `value`.
Result<std::optional<Contact>> find_contact(PgConnection& db, const std::string& workspace_id,
                                            std::string_view column, const std::string& value) {
  auto found = db.query("SELECT " + std::string(kContactColumns) +
                            " FROM contacts c WHERE c.workspace_id = $1 AND c." +
                            std::string(column) + " = $2",
                        {workspace_id, value});
  if (!found) return std::unexpected(found.error());
  return read_one<Contact>(*found, read_contact);
}

}  // namespace

Result<Contact> PgStore::get_contact(const std::string& workspace_id, const std::string& id) {
  return with_connection<Contact>([&](PgConnection& db) -> Result<Contact> {
    auto found = find_contact(db, workspace_id, "id", id);
    if (!found) return std::unexpected(found.error());
    if (!found->has_value()) return std::unexpected(Error::not_found("no contact with id " + id));
    return std::move(**found);
  });
}

Result<std::optional<Contact>> PgStore::find_contact_by_email(const std::string& workspace_id,
                                                              const std::string& email) {
  return with_connection<std::optional<Contact>>(
      [&](PgConnection& db) -> Result<std::optional<Contact>> {
        return find_contact(db, workspace_id, "email", email);
      });
}

Result<Page<Contact>> PgStore::list_contacts(const std::string& workspace_id,
                                             const PageRequest& page, const std::string& search) {
  return with_connection<Page<Contact>>([&](PgConnection& db) -> Result<Page<Contact>> {
    const std::string sql = "SELECT " + std::string(kContactColumns) +
                            " FROM contacts c WHERE c.workspace_id = $1 AND c.id > $2" +
                            (search.empty() ? "" : rows::contact_search_condition("$4")) +
                            " ORDER BY c.id LIMIT $3";
    auto found = search.empty() ? db.query(sql, {workspace_id, page.cursor, page.limit + 1})
                                : db.query(sql, {workspace_id, page.cursor, page.limit + 1,
                                                 rows::contact_search_pattern(search)});
    if (!found) return std::unexpected(found.error());
    return read_page<Contact>(*found, page.limit, read_contact);
  });
}

Result<void> PgStore::insert_list(const ContactList& list) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    auto inserted =
        db.query("INSERT INTO lists (id, workspace_id, name, created_at) VALUES ($1, $2, $3, $4)",
                 {list.id, list.workspace_id, list.name, list.created_at});
    if (!inserted) return std::unexpected(inserted.error());
    return {};
  });
}

Result<ContactList> PgStore::get_list(const std::string& workspace_id, const std::string& id) {
  return with_connection<ContactList>([&](PgConnection& db) -> Result<ContactList> {
    auto found = db.query(std::string(kListSelect) + "WHERE l.workspace_id = $1 AND l.id = $2",
                          {workspace_id, id});
    if (!found) return std::unexpected(found.error());
    auto list = read_one<ContactList>(*found, read_list);
    if (!list) return std::unexpected(Error::not_found("no list with id " + id));
    return std::move(*list);
  });
}

Result<Page<ContactList>> PgStore::list_lists(const std::string& workspace_id,
                                              const PageRequest& page) {
  return with_connection<Page<ContactList>>([&](PgConnection& db) -> Result<Page<ContactList>> {
    auto found = db.query(
        std::string(kListSelect) + "WHERE l.workspace_id = $1 AND l.id > $2 ORDER BY l.id LIMIT $3",
        {workspace_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<ContactList>(*found, page.limit, read_list);
  });
}

Result<void> PgStore::delete_list(const std::string& workspace_id, const std::string& id) {
  return with_connection<void>([&](PgConnection& db) -> Result<void> {
    // Its members go with it (ON DELETE CASCADE); the contacts stay.
    auto removed =
        db.query("DELETE FROM lists WHERE workspace_id = $1 AND id = $2", {workspace_id, id});
    if (!removed) return std::unexpected(removed.error());
    if (removed->rows_affected() == 0) {
      return std::unexpected(Error::not_found("no list with id " + id));
    }
    return {};
  });
}

Result<Page<Contact>> PgStore::list_members(const std::string& workspace_id,
                                            const std::string& list_id, const PageRequest& page) {
  return with_connection<Page<Contact>>([&](PgConnection& db) -> Result<Page<Contact>> {
    auto found =
        db.query("SELECT " + std::string(kContactColumns) +
                     " FROM list_members m JOIN contacts c ON c.id = m.contact_id WHERE "
                     "c.workspace_id = $1 AND m.list_id = $2 AND c.id > $3 ORDER BY c.id LIMIT $4",
                 {workspace_id, list_id, page.cursor, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    return read_page<Contact>(*found, page.limit, read_contact);
  });
}

}  // namespace hookline::store::postgres

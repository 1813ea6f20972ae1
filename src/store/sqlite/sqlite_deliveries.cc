// The delivery log: reads of deliveries and attempts.
#include <charconv>
#include <optional>

#include "store/delivery_cursor.h"
#include "store/request_headers.h"
#include "store/sqlite/read_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace hookline::store::sqlite {

Result<Page<Delivery>> SqliteStore::list_deliveries(const std::string& workspace_id,
                                                    const DeliveryFilter& filter,
                                                    const PageRequest& page) {
  auto before = delivery_cursor_seq(page.cursor);
  if (!before) return std::unexpected(before.error());
  // Every filter is bound whether set or not ("? = ''" short-circuits): one statement shape.
  std::lock_guard lock(mutex_);
  Statement query(
      connection_.handle(),
      "SELECT " + std::string(kDeliveryColumns) +
          " FROM deliveries d WHERE d.workspace_id = ?1 AND (?2 IS NULL OR d.seq < ?2) AND (?3 = "
          "'' "
          "OR d.webhook_id = ?3) AND (?4 = '' OR d.event_name = ?4) AND (?5 = '' OR d.status = "
          "?5) AND (?6 IS NULL OR d.created_at >= ?6) AND (?7 IS NULL OR d.created_at < ?7) "
          "ORDER BY d.seq DESC LIMIT ?8");
  query.bind(1, workspace_id);
  if (*before) {
    query.bind(2, **before);
  } else {
    query.bind_null(2);
  }
  query.bind(3, filter.webhook_id)
      .bind(4, filter.event_name)
      .bind(5, filter.status ? delivery_status_name(*filter.status) : std::string_view(""));
  if (filter.since_ms) {
    query.bind(6, *filter.since_ms);
  } else {
    query.bind_null(6);
  }
  if (filter.until_ms) {
    query.bind(7, *filter.until_ms);
  } else {
    query.bind_null(7);
  }
  query.bind(8, int64_t{page.limit + 1});
  auto found = read_page<Delivery>(query, page.limit, read_delivery);
  if (found && !found->next_cursor.empty()) {
    found->next_cursor = std::to_string(found->items.back().seq);
  }
  return found;
}

Result<Delivery> SqliteStore::get_delivery(const std::string& workspace_id, const std::string& id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), "SELECT " + std::string(kDeliveryColumns) + ", " +
                                            std::string(kBodyColumns) + " FROM deliveries d " +
                                            std::string(kBodyJoin) +
                                            " WHERE d.workspace_id = ? AND d.id = ?");
  query.bind(1, workspace_id).bind(2, id);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error::not_found("no delivery with id " + id));
  Delivery delivery = read_delivery(query);
  delivery.body = read_body(query, kDeliveryColumnCount);
  return delivery;
}

Result<std::vector<Attempt>> SqliteStore::list_attempts(const std::string& workspace_id,
                                                        const std::string& delivery_id) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(),
                  "SELECT " + std::string(kAttemptColumns) +
                      " FROM deliveries d JOIN attempts a ON a.delivery_seq = d.seq WHERE d.id = ? "
                      "AND d.workspace_id = ? ORDER BY a.number");
  query.bind(1, delivery_id).bind(2, workspace_id);
  return read_all<Attempt>(query, read_attempt);
}

}  // namespace hookline::store::sqlite

namespace hookline::store::sqlite {

Result<QueueCounts> SqliteStore::queue_counts(const std::string& owner, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement query(connection_.handle(), std::string(rows::kQueueCountsSql));
  query.bind(1, now_ms).bind(2, owner);
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  return QueueCounts{query.integer(0), query.integer(1), query.integer(2),
                     query.integer(3), query.integer(4), query.integer(5)};
}

}  // namespace hookline::store::sqlite

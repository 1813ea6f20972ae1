// The delivery log: reads of deliveries and attempts.
#include <charconv>
#include <optional>

#include "store/delivery_cursor.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"
#include "store/request_headers.h"

namespace hookline::store::postgres {

Result<Page<Delivery>> PgStore::list_deliveries(const std::string& workspace_id,
                                                const DeliveryFilter& filter,
                                                const PageRequest& page) {
  auto before = delivery_cursor_seq(page.cursor);
  if (!before) return std::unexpected(before.error());
  const std::string_view status =
      filter.status ? delivery_status_name(*filter.status) : std::string_view();
  return with_connection<Page<Delivery>>([&](PgConnection& db) -> Result<Page<Delivery>> {
    // Every filter is bound whether set or not: one statement shape. The server plans it with
    // the values bound, so a filter that is not set folds away and the indexes still apply.
    auto found = db.query(
        "SELECT " + std::string(kDeliveryColumns) +
            " FROM deliveries d WHERE d.workspace_id = $1 AND ($2::bigint IS NULL OR d.seq < $2) "
            "AND ($3::text = '' OR d.webhook_id = $3) AND ($4::text = '' OR d.event_name = $4) "
            "AND ($5::text = '' OR d.status = $5) AND ($6::bigint IS NULL OR d.created_at >= $6) "
            "AND ($7::bigint IS NULL OR d.created_at < $7) ORDER BY d.seq DESC LIMIT $8",
        {workspace_id, *before, filter.webhook_id, filter.event_name, status, filter.since_ms,
         filter.until_ms, page.limit + 1});
    if (!found) return std::unexpected(found.error());
    Page<Delivery> deliveries = read_page<Delivery>(*found, page.limit, read_delivery);
    if (!deliveries.next_cursor.empty()) {
      deliveries.next_cursor = std::to_string(deliveries.items.back().seq);
    }
    return deliveries;
  });
}

Result<Delivery> PgStore::get_delivery(const std::string& workspace_id, const std::string& id) {
  return with_connection<Delivery>([&](PgConnection& db) -> Result<Delivery> {
    auto found = db.query("SELECT " + std::string(kDeliveryColumns) + ", " +
                              std::string(kBodyColumns) + " FROM deliveries d " +
                              std::string(kBodyJoin) + " WHERE d.workspace_id = $1 AND d.id = $2",
                          {workspace_id, id});
    if (!found) return std::unexpected(found.error());
    if (found->rows() == 0) return std::unexpected(Error::not_found("no delivery with id " + id));
    Delivery delivery = read_delivery(*found, 0);
    delivery.body = read_body(*found, 0, kDeliveryColumnCount);
    return delivery;
  });
}

Result<std::vector<Attempt>> PgStore::list_attempts(const std::string& workspace_id,
                                                    const std::string& delivery_id) {
  return with_connection<std::vector<Attempt>>(
      [&](PgConnection& db) -> Result<std::vector<Attempt>> {
        auto found = db.query(
            "SELECT " + std::string(kAttemptColumns) +
                " FROM deliveries d JOIN attempts a ON a.delivery_seq = d.seq WHERE d.id = $1 "
                "AND d.workspace_id = $2 ORDER BY a.number",
            {delivery_id, workspace_id});
        if (!found) return std::unexpected(found.error());
        return read_all<Attempt>(*found, read_attempt);
      });
}

}  // namespace hookline::store::postgres

namespace hookline::store::postgres {

Result<QueueCounts> PgStore::queue_counts(const std::string& owner, int64_t now_ms) {
  return with_connection<QueueCounts>([&](PgConnection& db) -> Result<QueueCounts> {
    auto counted = db.query(rows::kQueueCountsSql, {now_ms, owner});
    if (!counted) return std::unexpected(counted.error());
    return QueueCounts{counted->integer(0, 0), counted->integer(0, 1), counted->integer(0, 2),
                       counted->integer(0, 3), counted->integer(0, 4), counted->integer(0, 5)};
  });
}

}  // namespace hookline::store::postgres

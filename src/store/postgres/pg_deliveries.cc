// The delivery log: reads of deliveries and attempts.
#include <charconv>
#include <optional>

#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"
#include "store/request_headers.h"

namespace hookline::store::postgres {

namespace {

// A page of deliveries goes on before a seq, and its cursor is that seq in decimal: unlike the id
// of the page's last delivery, it still means the same once retention removed that delivery.
Result<std::optional<int64_t>> cursor_seq(const std::string& cursor) {
  if (cursor.empty()) return std::nullopt;
  int64_t seq = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || seq <= 0) {
    return std::unexpected(
        Error::validation("cursor", "cursor must be the next_cursor of a page of deliveries"));
  }
  return seq;
}

Attempt read_attempt(const PgResult& result, int row) {
  Attempt a;
  a.delivery_id = result.text(row, 0);
  a.number = static_cast<int>(result.integer(row, 1));
  a.started_at = result.integer(row, 2);
  a.duration_ms = result.integer(row, 3);
  a.request_method = result.text(row, 4);
  a.request_url = result.text(row, 5);
  a.request_headers = expand_request_headers(result.text(row, 6), a.delivery_id, a.started_at);
  if (!result.is_null(row, 7)) a.response_status = static_cast<int>(result.integer(row, 7));
  // bytea: what the receiver sent, byte for byte.
  a.response_headers = result.bytes(row, 8);
  a.response_body = result.bytes(row, 9);
  a.error_code = result.text(row, 10);
  a.error_message = result.text(row, 11);
  a.delivery_seq = result.integer(row, 12);
  return a;
}

}  // namespace

Result<Page<Delivery>> PgStore::list_deliveries(const std::string& workspace_id,
                                                const DeliveryFilter& filter,
                                                const PageRequest& page) {
  auto before = cursor_seq(page.cursor);
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
            "SELECT d.id, a.number, a.started_at, a.duration_ms, a.request_method, "
            "a.request_url, a.request_headers, a.response_status, a.response_headers, "
            "a.response_body, a.error_code, a.error_message, a.delivery_seq FROM deliveries "
            "d JOIN attempts a ON a.delivery_seq = d.seq WHERE d.id = $1 AND d.workspace_id = $2 "
            "ORDER BY a.number",
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
                       counted->integer(0, 3)};
  });
}

}  // namespace hookline::store::postgres

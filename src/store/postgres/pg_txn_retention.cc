// Retention inside the writer's transaction: removing what is older than the setting, in steps.
#include <string>
#include <vector>

#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {

Result<PurgeStep> PgWriteTxn::purge_deliveries(int64_t after, int64_t cutoff_ms, int limit) {
  PurgeStep step;
  step.last_seq = after;
  std::string ended;  // a bigint[] parameter's text, without its braces
  auto found = db().query(
      "SELECT seq, status IN ('succeeded', 'dead'), updated_at, created_at FROM deliveries "
      "WHERE seq > $1 ORDER BY seq LIMIT $2",
      {after, limit});
  if (!found) return std::unexpected(found.error());
  for (int row = 0; row < found->rows(); ++row) {
    if (found->integer(row, 3) >= cutoff_ms) {
      step.finished = true;
      break;
    }
    step.last_seq = found->integer(row, 0);
    if (found->boolean(row, 1) && found->integer(row, 2) < cutoff_ms) {
      if (!ended.empty()) ended += ',';
      ended += std::to_string(step.last_seq);
    }
  }
  if (found->rows() < limit) step.finished = true;
  if (ended.empty()) return step;

  // One statement for the step. The delivery decides: one that another node started again since
  // it was read above (requeue_delivery) is no longer ended, and keeps its body and attempts.
  auto removed = db().query(
      "WITH gone AS (DELETE FROM deliveries WHERE seq = ANY($1::bigint[]) AND status IN "
      "('succeeded', 'dead') AND updated_at < $2 RETURNING seq), "
      "bodies AS (DELETE FROM delivery_bodies WHERE seq IN (SELECT seq FROM gone)), "
      "attempts AS (DELETE FROM attempts WHERE delivery_seq IN (SELECT seq FROM gone)) "
      "SELECT count(*) FROM gone",
      {"{" + ended + "}", cutoff_ms});
  if (!removed) return std::unexpected(removed.error());
  step.removed = removed->integer(0, 0);
  return step;
}

Result<PurgeStep> PgWriteTxn::purge_events(int64_t cutoff_ms, int limit) {
  // Bodies that hold an event's details out of line point at it. With several writers they need
  // not be numbered in their events' order, so the oldest event still needed is the smallest
  // event_seq of any body (an index lookup: 0004_bodies_by_event.sql). A body another writer has
  // not committed yet points at an event of the same transaction, which this one cannot see.
  auto removed = db().query(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq < COALESCE((SELECT "
      "min(event_seq) FROM delivery_bodies), 9223372036854775807) ORDER BY seq LIMIT $1) AND "
      "received_at < $2",
      {limit, cutoff_ms});
  if (!removed) return std::unexpected(removed.error());
  PurgeStep step;
  step.removed = removed->rows_affected();
  step.finished = step.removed < limit;
  return step;
}

}  // namespace hookline::store::postgres

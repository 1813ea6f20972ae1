// Forgetting a deleted contact inside the writer's transaction, a small step at a time.
#include <vector>

#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {
namespace {

// The largest seq of `table` (0 when empty).
Result<int64_t> last_seq(Statement& query) {
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  const int64_t seq = *row && !query.is_null(0) ? query.integer(0) : 0;
  query.reset();
  return seq;
}

}  // namespace

Result<void> SqliteWriteTxn::request_forget(const std::string& workspace_id,
                                            const std::string& contact_id, int64_t now_ms) {
  auto deliveries = last_seq(prepare("SELECT MAX(seq) FROM deliveries"));
  if (!deliveries) return std::unexpected(deliveries.error());
  auto events = last_seq(prepare("SELECT MAX(seq) FROM events"));
  if (!events) return std::unexpected(events.error());
  Statement& request = prepare(
      "INSERT INTO forget_requests (workspace_id, contact_id, requested_at, through_delivery_seq, "
      "through_event_seq, deliveries_done, events_done) VALUES (?, ?, ?, ?, ?, 0, 0) ON CONFLICT "
      "DO UPDATE SET through_delivery_seq = excluded.through_delivery_seq, through_event_seq = "
      "excluded.through_event_seq");
  request.bind(1, workspace_id)
      .bind(2, contact_id)
      .bind(3, now_ms)
      .bind(4, *deliveries)
      .bind(5, *events);
  if (auto r = request.run(); !r) return r;
  for (std::string_view sql : {"DELETE FROM enrolments WHERE contact_id = ? AND workspace_id = ?",
                               "UPDATE event_types SET example = NULL WHERE example_contact_id = ? "
                               "AND workspace_id = ?",
                               // Who changed the contact, and when, stays; what they wrote goes.
                               "UPDATE audit_log SET changes = '{}' WHERE resource_id = ? AND "
                               "workspace_id = ? AND resource_type = 'contact'"}) {
    Statement& remove = prepare(sql);
    remove.bind(1, contact_id).bind(2, workspace_id);
    if (auto r = remove.run(); !r) return r;
  }
  return {};
}

Result<std::optional<ForgetRequest>> SqliteWriteTxn::next_forget_request() {
  Statement& query = prepare(
      "SELECT workspace_id, contact_id, through_delivery_seq, through_event_seq, deliveries_done, "
      "events_done FROM forget_requests ORDER BY requested_at LIMIT 1");
  auto row = query.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ForgetRequest>();
  ForgetRequest request{query.text(0),    query.text(1),    query.integer(2),
                        query.integer(3), query.integer(4), query.integer(5)};
  query.reset();
  return request;
}

Result<PurgeStep> SqliteWriteTxn::forget_step(const ForgetRequest& request, int limit) {
  PurgeStep step;
  ForgetRequest progress = request;
  if (progress.deliveries_done < progress.through_delivery_seq) {
    // A delivery is the contact's when its event is: looked up by the event's unique index.
    std::vector<int64_t> theirs;
    Statement& query = prepare(
        "SELECT d.seq, e.contact_id IS NOT NULL FROM deliveries d LEFT JOIN events e ON "
        "e.workspace_id = d.workspace_id AND e.id = d.event_id AND e.contact_id = ? WHERE d.seq > "
        "? AND d.seq <= ? AND d.workspace_id = ? ORDER BY d.seq LIMIT ?");
    query.bind(1, request.contact_id)
        .bind(2, progress.deliveries_done)
        .bind(3, progress.through_delivery_seq)
        .bind(4, request.workspace_id)
        .bind(5, int64_t{limit});
    int seen = 0;
    while (true) {
      auto row = query.step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      ++seen;
      progress.deliveries_done = query.integer(0);
      if (query.integer(1) != 0) theirs.push_back(progress.deliveries_done);
    }
    query.reset();
    // Fewer than asked for: nothing more up to the mark (other workspaces' rows are skipped).
    if (seen < limit) progress.deliveries_done = progress.through_delivery_seq;
    for (const int64_t seq : theirs) {
      if (auto r = remove_delivery(seq); !r) return std::unexpected(r.error());
    }
    step.removed = static_cast<int64_t>(theirs.size());
  } else {
    Statement& last = prepare(
        "SELECT MAX(seq), COUNT(*) FROM (SELECT seq FROM events WHERE seq > ? AND seq <= ? ORDER "
        "BY seq LIMIT ?)");
    last.bind(1, progress.events_done).bind(2, progress.through_event_seq).bind(3, int64_t{limit});
    auto row = last.step();
    if (!row) return std::unexpected(row.error());
    const int64_t seen = last.integer(1);
    const int64_t upto = seen < limit ? progress.through_event_seq : last.integer(0);
    last.reset();
    Statement& remove = prepare(
        "DELETE FROM events WHERE seq > ? AND seq <= ? AND workspace_id = ? AND contact_id = ?");
    remove.bind(1, progress.events_done)
        .bind(2, upto)
        .bind(3, request.workspace_id)
        .bind(4, request.contact_id);
    if (auto r = remove.run(); !r) return std::unexpected(r.error());
    step.removed = connection_.changes();
    progress.events_done = upto;
  }
  step.finished = progress.deliveries_done >= progress.through_delivery_seq &&
                  progress.events_done >= progress.through_event_seq;
  Statement& save = prepare(
      step.finished
          ? "DELETE FROM forget_requests WHERE workspace_id = ?1 AND contact_id = ?2"
          : "UPDATE forget_requests SET deliveries_done = ?3, events_done = ?4 WHERE workspace_id "
            "= ?1 AND contact_id = ?2");
  save.bind(1, request.workspace_id).bind(2, request.contact_id);
  if (!step.finished) save.bind(3, progress.deliveries_done).bind(4, progress.events_done);
  if (auto r = save.run(); !r) return std::unexpected(r.error());
  return step;
}

}  // namespace hookline::store::sqlite

// Forgetting a deleted contact inside a writer's transaction, a small step at a time. Any node's
// worker may take a request; two taking the same one at once remove the same rows, harmlessly.
#include "store/postgres/pg_writer.h"

namespace hookline::store::postgres {

Result<void> PgWriteTxn::request_forget(const std::string& workspace_id,
                                        const std::string& contact_id, int64_t now_ms) {
  // The marks are the rows stored now. A row another node numbered lower but commits later is
  // not looked at: the contact was gone before it committed.
  auto requested = db().query(
      "INSERT INTO forget_requests (workspace_id, contact_id, requested_at, through_delivery_seq, "
      "through_event_seq, deliveries_done, events_done) VALUES ($1, $2, $3, (SELECT "
      "COALESCE(MAX(seq), 0) FROM deliveries), (SELECT COALESCE(MAX(seq), 0) FROM events), 0, 0) "
      "ON CONFLICT (workspace_id, contact_id) DO UPDATE SET through_delivery_seq = "
      "excluded.through_delivery_seq, through_event_seq = excluded.through_event_seq",
      {workspace_id, contact_id, now_ms});
  if (!requested) return std::unexpected(requested.error());
  for (std::string_view sql :
       {"DELETE FROM enrolments WHERE contact_id = $1 AND workspace_id = $2",
        "UPDATE event_types SET example = NULL WHERE example_contact_id = $1 AND workspace_id = "
        "$2",
        // Who changed the contact, and when, stays; what they wrote (its email, its name) goes.
        "UPDATE audit_log SET changes = '{}' WHERE resource_id = $1 AND workspace_id = $2 AND "
        "resource_type = 'contact'"}) {
    if (auto r = db().query(sql, {contact_id, workspace_id}); !r) {
      return std::unexpected(r.error());
    }
  }
  return {};
}

Result<std::optional<ForgetRequest>> PgWriteTxn::next_forget_request() {
  auto found = db().query(
      "SELECT workspace_id, contact_id, through_delivery_seq, through_event_seq, deliveries_done, "
      "events_done FROM forget_requests ORDER BY requested_at LIMIT 1");
  if (!found) return std::unexpected(found.error());
  if (found->rows() == 0) return std::optional<ForgetRequest>();
  return ForgetRequest{found->text(0, 0),    found->text(0, 1),    found->integer(0, 2),
                       found->integer(0, 3), found->integer(0, 4), found->integer(0, 5)};
}

Result<PurgeStep> PgWriteTxn::forget_step(const ForgetRequest& request, int limit) {
  PurgeStep step;
  ForgetRequest progress = request;
  if (progress.deliveries_done < progress.through_delivery_seq) {
    // One statement: the step's deliveries, those of the contact's events removed with their
    // bodies and attempts, and the last one looked at.
    auto done = db().query(
        "WITH looked AS (SELECT d.seq, e.contact_id IS NOT NULL AS theirs FROM deliveries d LEFT "
        "JOIN events e ON e.workspace_id = d.workspace_id AND e.id = d.event_id AND e.contact_id "
        "= $1 WHERE d.seq > $2 AND d.seq <= $3 AND d.workspace_id = $4 ORDER BY d.seq LIMIT $5), "
        "gone AS (DELETE FROM deliveries WHERE seq IN (SELECT seq FROM looked WHERE theirs) "
        "RETURNING seq), bodies AS (DELETE FROM delivery_bodies WHERE seq IN (SELECT seq FROM "
        "gone)), attempts AS (DELETE FROM attempts WHERE delivery_seq IN (SELECT seq FROM gone)) "
        "SELECT (SELECT count(*) FROM looked), (SELECT COALESCE(MAX(seq), 0) FROM looked), "
        "(SELECT count(*) FROM gone)",
        {request.contact_id, progress.deliveries_done, progress.through_delivery_seq,
         request.workspace_id, limit});
    if (!done) return std::unexpected(done.error());
    progress.deliveries_done =
        done->integer(0, 0) < limit ? progress.through_delivery_seq : done->integer(0, 1);
    step.removed = done->integer(0, 2);
  } else {
    auto done = db().query(
        "WITH looked AS (SELECT seq FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT "
        "$3), gone AS (DELETE FROM events WHERE seq IN (SELECT seq FROM looked) AND workspace_id "
        "= $4 AND contact_id = $5 RETURNING seq) SELECT (SELECT count(*) FROM looked), (SELECT "
        "COALESCE(MAX(seq), 0) FROM looked), (SELECT count(*) FROM gone)",
        {progress.events_done, progress.through_event_seq, limit, request.workspace_id,
         request.contact_id});
    if (!done) return std::unexpected(done.error());
    progress.events_done =
        done->integer(0, 0) < limit ? progress.through_event_seq : done->integer(0, 1);
    step.removed = done->integer(0, 2);
  }
  step.finished = progress.deliveries_done >= progress.through_delivery_seq &&
                  progress.events_done >= progress.through_event_seq;
  auto saved =
      step.finished
          ? db().query("DELETE FROM forget_requests WHERE workspace_id = $1 AND contact_id = $2",
                       {request.workspace_id, request.contact_id})
          : db().query(
                "UPDATE forget_requests SET deliveries_done = $3, events_done = $4 WHERE "
                "workspace_id = $1 AND contact_id = $2",
                {request.workspace_id, request.contact_id, progress.deliveries_done,
                 progress.events_done});
  if (!saved) return std::unexpected(saved.error());
  return step;
}

}  // namespace hookline::store::postgres

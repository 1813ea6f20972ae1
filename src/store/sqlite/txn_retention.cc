// Retention inside the writer's transaction: removing what is older than the setting, in steps.
#include <vector>

#include "store/sqlite/sqlite_writer.h"

namespace hookline::store::sqlite {

Result<PurgeStep> SqliteWriteTxn::purge_deliveries(int64_t after, int64_t cutoff_ms, int limit) {
  PurgeStep step;
  step.last_seq = after;
  std::vector<int64_t> ended;
  {
    Statement& query = prepare(
        "SELECT seq, status IN ('succeeded', 'dead'), updated_at, created_at FROM deliveries "
        "WHERE seq > ? ORDER BY seq LIMIT ?");
    query.bind(1, after).bind(2, int64_t{limit});
    int seen = 0;
    while (true) {
      auto row = query.step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      ++seen;
      if (query.integer(3) >= cutoff_ms) {
        step.finished = true;
        break;
      }
      step.last_seq = query.integer(0);
      if (query.integer(1) != 0 && query.integer(2) < cutoff_ms) ended.push_back(step.last_seq);
    }
    query.reset();
    if (seen < limit) step.finished = true;
  }
  for (const int64_t seq : ended) {
    if (auto r = remove_delivery(seq); !r) return std::unexpected(r.error());
  }
  step.removed = static_cast<int64_t>(ended.size());
  return step;
}

Result<void> SqliteWriteTxn::remove_delivery(int64_t seq) {
  for (std::string_view sql :
       {"DELETE FROM attempts WHERE delivery_seq = ?", "DELETE FROM delivery_bodies WHERE seq = ?",
        "DELETE FROM deliveries WHERE seq = ?"}) {
    Statement& remove = prepare(sql);
    remove.bind(1, seq);
    if (auto r = remove.run(); !r) return r;
  }
  return {};
}

Result<PurgeStep> SqliteWriteTxn::purge_events(int64_t cutoff_ms, int limit) {
  // Bodies that hold an event's details out of line point at it, and they do so in the order both
  // were made: the first such body names the oldest event still needed.
  int64_t needed_from = INT64_MAX;
  {
    Statement& first = prepare(
        "SELECT event_seq FROM delivery_bodies WHERE event_seq IS NOT NULL ORDER BY seq LIMIT 1");
    auto row = first.step();
    if (!row) return std::unexpected(row.error());
    if (*row) needed_from = first.integer(0);
    first.reset();
  }
  Statement& remove = prepare(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq < ? ORDER BY seq LIMIT "
      "?) AND received_at < ?");
  remove.bind(1, needed_from).bind(2, int64_t{limit}).bind(3, cutoff_ms);
  if (auto r = remove.run(); !r) return std::unexpected(r.error());
  PurgeStep step;
  step.removed = connection_.changes();
  step.finished = step.removed < limit;
  return step;
}

}  // namespace hookline::store::sqlite

#include "store/write_txn.h"

namespace hookline::store {

Result<std::vector<std::optional<Error>>> record_each(WriteTxn& txn,
                                                      const std::vector<AttemptRecord>& records,
                                                      int64_t now_ms) {
  std::vector<std::optional<Error>> outcomes(records.size());
  // All in one savepoint first: a savepoint copies each page it changes, so one per record would
  // copy the same few pages once per attempt. Only if a record fails are they written again one
  // savepoint each, so that the others still land.
  auto all = txn.in_savepoint([&]() -> Result<void> {
    for (const AttemptRecord& record : records) {
      if (auto recorded = txn.record_attempt(record, now_ms); !recorded) return recorded;
    }
    return {};
  });
  if (!all) return std::unexpected(all.error());
  if (*all) return outcomes;
  for (size_t i = 0; i < records.size(); ++i) {
    auto recorded = txn.in_savepoint([&] { return txn.record_attempt(records[i], now_ms); });
    if (!recorded) return std::unexpected(recorded.error());
    if (!*recorded) outcomes[i] = recorded->error();
  }
  return outcomes;
}

}  // namespace hookline::store

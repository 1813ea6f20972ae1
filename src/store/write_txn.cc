#include "store/write_txn.h"

namespace hookline::store {

Result<void> requeue_in_order(WriteTxn& txn, Delivery& delivery, int64_t now_ms) {
  if (delivery.status == DeliveryStatus::kQueued) {
    return std::unexpected(Error{ErrorCode::kConflict,
                                 "the delivery waits for an earlier delivery to the same contact "
                                 "(its webhook delivers one at a time per contact); it is sent as "
                                 "soon as that one ends",
                                 {}});
  }
  const bool ended =
      delivery.status == DeliveryStatus::kSucceeded || delivery.status == DeliveryStatus::kDead;
  requeue_now(delivery, now_ms);
  if (!ended || delivery.order_key.empty()) return {};
  auto busy = txn.order_key_busy(delivery.webhook_id, delivery.order_key);
  if (!busy) return std::unexpected(busy.error());
  if (*busy) delivery.status = DeliveryStatus::kQueued;
  return {};
}

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

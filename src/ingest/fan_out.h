#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/contact.h"
#include "core/delivery.h"
#include "core/error.h"
#include "core/event.h"
#include "store/write_txn.h"

namespace hookline::ingest {

// Inside a write job: stores the event and one delivery per enabled webhook subscribed to its
// name, each with its body rendered now (SPEC 3) and leased to this process until
// now + lease_ms, so the dispatcher can send it straight from memory. Appends the deliveries to
// `out`. Returns false, doing nothing, when the workspace already has an event with this id.
Result<bool> record_event(store::WriteTxn& txn, const std::string& workspace_id, const Event& event,
                          const Contact& contact, int64_t now_ms, int64_t lease_ms,
                          std::vector<Delivery>& out);

}  // namespace hookline::ingest

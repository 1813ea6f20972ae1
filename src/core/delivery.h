#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hookline {

// kQueued: a delivery of a webhook that delivers one at a time per contact
// (WebhookOrdering::kPerContact), waiting for an earlier delivery to the same contact to end. The
// store makes it pending when that one ends; no claim takes it before.
enum class DeliveryStatus { kPending, kRetrying, kSucceeded, kDead, kQueued };

std::string_view delivery_status_name(DeliveryStatus status);  // "pending", "retrying", ...
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name);

// A node's hold on a delivery while it sends it. Every claim of a delivery takes the next number,
// so a node whose lease ran out while it was busy, and whose delivery another claim took since,
// presents an old number: the store refuses its writes instead of applying them over the new
// holder's (at least once still holds: the new holder sends it again).
struct Lease {
  std::string owner;   // the node's id (--node-id); empty: not leased
  int64_t number = 0;  // claims of this delivery so far

  bool held() const { return !owner.empty(); }
};

// A try must end before its delivery's lease does: past the lease another node may claim the
// delivery and send it again while the first try is still out. A try takes at most its webhook's
// timeout plus the connect and the recording, within kLeaseSlackMs; a claimed delivery whose lease
// has less than that left is not started (delivery/webhook_gate.h).
inline constexpr int64_t kLeaseSlackMs = 5'000;
// At least this long to start a try after a claim, whatever the lease, so a webhook whose timeout
// is close to the lease still gets its deliveries sent.
inline constexpr int64_t kLeaseStartWindowMs = 5'000;

// How long a claim of a delivery lasts: the node's lease (--lease), or for a webhook whose timeout
// leaves too little of it to start a try, that timeout plus kLeaseSlackMs + kLeaseStartWindowMs.
inline int64_t lease_length_ms(int64_t lease_ms, int64_t timeout_ms) {
  return std::max(lease_ms, timeout_ms + kLeaseSlackMs + kLeaseStartWindowMs);
}

// What a node presents to give a delivery it holds back to the store.
struct LeaseRef {
  int64_t seq = 0;  // Delivery::seq
  int64_t number = 0;
};

// One webhook call for one event or journey step: the durable unit (SPEC 2). Its id is the
// `webhook-id` the receiver deduplicates by, the same on every try.
struct Delivery {
  int64_t seq = 0;  // the store's number for it, in creation order; 0 until stored
  std::string id;   // UUIDv7
  std::string workspace_id;
  std::string webhook_id;
  std::string event_id;
  std::string event_name;
  std::string body;  // rendered once at creation: every try sends these bytes
  // The contact's id when its webhook delivers one at a time per contact, else empty: deliveries
  // of one webhook with the same key are sent one at a time, oldest first (kQueued).
  std::string order_key;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;       // tries made so far, over the delivery's whole life
  int schedule_base = 0;  // attempts made before the current round (a manual retry starts one)
  int64_t next_attempt_at = 0;     // Unix ms; while leased, when the lease ends
  Lease lease;                     // as of when it was read or claimed
  std::optional<int> last_status;  // HTTP status of the last try, if it got a response
  std::string last_error;          // transport error name of the last try, if it got none
  int64_t last_duration_ms = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  // Position in the retry schedule of the next try (0 for the first try of a round).
  int round_attempts() const { return attempts - schedule_base; }
  LeaseRef lease_ref() const { return {seq, lease.number}; }
};

// A manual retry: due now, not leased. A delivery still being retried keeps its place in the retry
// schedule: the try it gets now is extra, and if it fails the next wait is the one it was at (not
// the schedule's short first waits again, on a receiver that is down; nor one step further, which
// could end it). One that ended (succeeded or dead) starts a new round.
void requeue_now(Delivery& delivery, int64_t now_ms);

// One HTTP try of a delivery (SPEC 2), as the log shows it.
struct Attempt {
  std::string delivery_id;
  int64_t delivery_seq = 0;  // Delivery::seq; 0 when unknown (the store then looks up the id)
  // The delivery's, for the delivery statistics the store keeps as it records the try; not part
  // of the attempt's row (reading one leaves them empty).
  std::string workspace_id;
  std::string webhook_id;
  int number = 0;          // 1 for the first try
  int64_t started_at = 0;  // Unix ms
  int64_t duration_ms = 0;
  std::string request_method;
  std::string request_url;
  std::string request_headers;  // JSON object text, credentials masked
  std::optional<int> response_status;
  std::string response_headers;  // JSON object text; empty without a response
  std::string response_body;     // first 4 KiB
  std::string error_code;        // "timeout", "connect_refused", ...; empty with a response
  std::string error_message;
};

// What a finished try changes: the attempt to log and the delivery's next state.
struct AttemptRecord {
  Attempt attempt;
  DeliveryStatus status;        // kSucceeded, kRetrying or kDead
  int64_t next_attempt_at = 0;  // when status is kRetrying
  Lease lease;                  // the sender's: a record under a lease that ended is refused
  std::string order_key;        // Delivery::order_key: its end lets the key's next one go
  // A success's whole answer (as much as the client read) when it is longer than the attempt's
  // excerpt, else empty: kept whole only if a journey's Webhook block waits for the delivery, to
  // map fields of it (WriteTxn::keep_awaited_answers).
  std::string answer{};

  bool ends_delivery() const { return status != DeliveryStatus::kRetrying; }
};

}  // namespace hookline

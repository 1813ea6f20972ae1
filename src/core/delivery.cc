#include "core/delivery.h"

namespace hookline {

std::string_view delivery_status_name(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kRetrying:
      return "retrying";
    case DeliveryStatus::kSucceeded:
      return "succeeded";
    case DeliveryStatus::kDead:
      return "dead";
    case DeliveryStatus::kQueued:
      return "queued";
  }
  return "pending";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
  for (auto status : {DeliveryStatus::kPending, DeliveryStatus::kRetrying,
                      DeliveryStatus::kSucceeded, DeliveryStatus::kDead, DeliveryStatus::kQueued}) {
    if (delivery_status_name(status) == name) return status;
  }
  return std::nullopt;
}

void requeue_now(Delivery& delivery, int64_t now_ms) {
  if (delivery.status == DeliveryStatus::kRetrying) {
    // The try it gets now is extra: if it fails, the next wait is the one it was at.
    ++delivery.schedule_base;
  } else {
    delivery.status = DeliveryStatus::kPending;
    delivery.schedule_base = delivery.attempts;
  }
  delivery.next_attempt_at = now_ms;
  delivery.lease.owner.clear();
  delivery.updated_at = now_ms;
}

}  // namespace hookline

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
  }
  return "pending";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
  for (auto status : {DeliveryStatus::kPending, DeliveryStatus::kRetrying,
                      DeliveryStatus::kSucceeded, DeliveryStatus::kDead}) {
    if (delivery_status_name(status) == name) return status;
  }
  return std::nullopt;
}

}  // namespace hookline

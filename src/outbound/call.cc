#include "outbound/call.h"

namespace hookline::outbound {

std::string_view transport_error_name(TransportError error) {
  switch (error) {
    case TransportError::kTimeout:
      return "timeout";
    case TransportError::kConnectRefused:
      return "connect_refused";
    case TransportError::kDns:
      return "dns";
    case TransportError::kTls:
      return "tls";
    case TransportError::kBlockedTarget:
      return "blocked_target";
    case TransportError::kConnectionReset:
      return "connection_reset";
    case TransportError::kOther:
      return "network";
  }
  return "network";
}

}  // namespace hookline::outbound

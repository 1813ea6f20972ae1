#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/webhook.h"
#include "outbound/call.h"
#include "templates/template.h"

namespace hookline::outbound {

// The headers and URL of a webhook call (SPEC 3): Content-Type, User-Agent, authentication, the
// custom headers rendered against `context`, and the Standard Webhooks headers signing `body`.
// The URL is rendered with each value percent-encoded for its part. An URL that does not render to
// an absolute http/https URL is kUnprocessable on field "url"; missing values add warnings.
Result<OutboundRequest> build_request(const Webhook& webhook, std::string_view message_id,
                                      int64_t timestamp_s, std::string body,
                                      const boost::json::object& context,
                                      templates::Warnings& warnings);

// The same request with credentials hidden, to show or log: the authentication header's value
// keeps only its scheme and the last characters of the secret.
OutboundRequest masked_for_display(const OutboundRequest& request, const Webhook& webhook);

inline constexpr std::string_view kUserAgent = "Hookline/0.1.0";

}  // namespace hookline::outbound

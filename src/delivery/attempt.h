#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/delivery.h"
#include "core/error.h"
#include "core/webhook.h"
#include "delivery/http_client.h"
#include "delivery/retry_policy.h"
#include "outbound/request_builder.h"
#include "templates/template.h"

// The steps of one try of a delivery, as plain functions of their inputs: prepare the request,
// start the attempt, finish it with the outcome. The Dispatcher is the shell that runs them.
namespace hookline::delivery {

// The connect timeout of every call (SPEC 7); the whole-request timeout is the webhook's own.
inline constexpr std::chrono::milliseconds kConnectTimeout{5000};
// How much of a response body an attempt keeps (SPEC 2: the first 4 KiB).
inline constexpr size_t kAttemptBodyLimit = 4096;

// The template context of a delivery, rebuilt from its stored body (SPEC 3: id, event,
// event_time, data.contact, data.event_details, data.journey), so placeholders in the URL and
// headers render as they would have at creation. kInternal when the body is not such an object.
Result<boost::json::object> context_from_body(std::string_view body,
                                              const std::string& webhook_name);

// Prepare: the signed request of a try made at `now_ms` of delivery `delivery_id` (the
// webhook-id), sending `body` (the delivery's, moved in: the request holds the only copy). An
// error (e.g. the URL does not render to an absolute http/https URL) is final for the delivery.
// The body is parsed back into the template context only when the webhook's URL or headers need
// it.
Result<outbound::OutboundRequest> prepare_request(const outbound::CompiledWebhook& webhook,
                                                  const std::string& delivery_id, std::string body,
                                                  int64_t now_ms, templates::Warnings& warnings);

// Headers as JSON object text, as attempts store them. A repeated name keeps every value, joined
// by ", ".
// At most `limit` bytes of a body, without cutting a UTF-8 sequence in two (a binary body is cut
// anywhere): what attempts and Test reports show.
std::string truncated(const std::string& body, size_t limit);

// Headers as a JSON object; a name that appears twice (Set-Cookie) keeps every value, joined by
// ", ". headers_json is the same, serialized, as an attempt stores it.
boost::json::object headers_object(const std::vector<std::pair<std::string, std::string>>& headers);
std::string headers_json(const std::vector<std::pair<std::string, std::string>>& headers);

// The attempt of a try being sent: number delivery.attempts + 1, the method and URL of the
// request sent, and its headers as shown (credentials masked by outbound::masked_headers).
Attempt attempt_started(const Delivery& delivery, const outbound::OutboundRequest& sent,
                        const std::vector<std::pair<std::string, std::string>>& shown_headers,
                        int64_t started_at);

// Handle the outcome: the attempt completed with the response (headers, first kAttemptBodyLimit
// bytes of body, cut on a UTF-8 boundary) or the transport error, and the delivery's next state:
// succeeded, retrying at `next_attempt_at`, or dead when that is nullopt. A success whose body is
// longer than the excerpt also carries it whole (AttemptRecord::answer).
AttemptRecord attempt_finished(Attempt attempt, const outbound::OutboundResult& result,
                               const Classification& classification,
                               std::optional<int64_t> next_attempt_at);

// A try that could not be made at all (`error_code` "invalid_request", "webhook_deleted"): logged
// as an attempt without a response, and the delivery is dead.
AttemptRecord attempt_not_sent(const Delivery& delivery, std::string method, std::string url,
                               std::string error_code, std::string error_message, int64_t now_ms);

}  // namespace hookline::delivery

#include "delivery/attempt.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/json_depth.h"
#include "outbound/payload.h"
#include "outbound/request_builder.h"

namespace hookline::delivery {
namespace json = boost::json;

namespace {

const json::object* object_at(const json::object& parent, std::string_view key) {
  const json::value* value = parent.if_contains(key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

std::string string_at(const json::object& parent, std::string_view key) {
  const json::value* value = parent.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The delivery's next try, before it is made.
Attempt next_attempt_of(const Delivery& delivery) {
  Attempt attempt;
  attempt.delivery_id = delivery.id;
  attempt.delivery_seq = delivery.seq;
  attempt.workspace_id = delivery.workspace_id;
  attempt.webhook_id = delivery.webhook_id;
  attempt.number = delivery.attempts + 1;
  return attempt;
}

}  // namespace

std::string truncated(const std::string& body, size_t limit) {
  if (body.size() <= limit) return body;
  size_t cut = limit;
  for (int back = 0; back < 3 && cut > 0; ++back) {
    if ((static_cast<unsigned char>(body[cut]) & 0xC0) != 0x80) break;  // not a continuation byte
    --cut;
  }
  if ((static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) cut = limit;  // not UTF-8 anyway
  return body.substr(0, cut);
}

Result<json::object> context_from_body(std::string_view body, const std::string& webhook_name) {
  boost::system::error_code ec;
  const json::value parsed = parse_stored_json(body, ec);
  if (ec || !parsed.is_object()) {
    return std::unexpected(Error{ErrorCode::kInternal, "the stored body is not a JSON object", {}});
  }
  const json::object& root = parsed.get_object();
  Event event;
  event.id = string_at(root, "id");
  event.name = string_at(root, "event");
  if (const json::value* time = root.if_contains("event_time")) {
    boost::system::error_code number_ec;
    const auto ms = time->to_number<int64_t>(number_ec);
    if (!number_ec) event.time_ms = ms;
  }
  json::object contact;
  std::optional<outbound::JourneyRef> journey;
  if (const json::object* data = object_at(root, "data")) {
    if (const json::object* c = object_at(*data, "contact")) contact = *c;
    if (const json::object* details = object_at(*data, "event_details")) event.details = *details;
    if (const json::object* j = object_at(*data, "journey")) {
      journey = outbound::JourneyRef{string_at(*j, "id"), string_at(*j, "name"),
                                     string_at(*j, "block_id")};
    }
  }
  return outbound::template_context(event, contact, webhook_name, journey);
}

Result<outbound::OutboundRequest> prepare_request(const outbound::CompiledWebhook& webhook,
                                                  const std::string& delivery_id, std::string body,
                                                  int64_t now_ms, templates::Warnings& warnings) {
  json::object context;
  if (webhook.needs_context()) {
    auto parsed = context_from_body(body, webhook.webhook().spec.name);
    if (!parsed) return std::unexpected(parsed.error());
    context = std::move(*parsed);
  }
  auto request = webhook.request(delivery_id, now_ms / 1000, std::move(body), context, warnings);
  if (request) request->connect_timeout = kConnectTimeout;
  return request;
}

json::object headers_object(const std::vector<std::pair<std::string, std::string>>& headers) {
  json::object out;
  for (const auto& [name, value] : headers) {
    if (json::value* seen = out.if_contains(name)) {
      json::string& text = seen->get_string();
      text.append(", ");
      text.append(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

std::string headers_json(const std::vector<std::pair<std::string, std::string>>& headers) {
  return json::serialize(headers_object(headers));
}

Attempt attempt_started(const Delivery& delivery, const outbound::OutboundRequest& sent,
                        const std::vector<std::pair<std::string, std::string>>& shown_headers,
                        int64_t started_at) {
  Attempt attempt = next_attempt_of(delivery);
  attempt.started_at = started_at;
  attempt.request_method = sent.method;
  attempt.request_url = sent.url;
  attempt.request_headers = headers_json(shown_headers);
  return attempt;
}

AttemptRecord attempt_finished(Attempt attempt, const outbound::OutboundResult& result,
                               const Classification& classification,
                               std::optional<int64_t> next_attempt_at) {
  attempt.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(result.duration).count();
  if (result.response) {
    attempt.response_status = result.response->status;
    attempt.response_headers = headers_json(result.response->headers);
    attempt.response_body = truncated(result.response->body, kAttemptBodyLimit);
  } else {
    attempt.error_code =
        outbound::transport_error_name(result.error.value_or(outbound::TransportError::kOther));
    attempt.error_message = result.error_message;
  }
  AttemptRecord record{std::move(attempt), DeliveryStatus::kDead, 0, {}, {}};
  if (classification.kind == Classification::kSuccess) {
    record.status = DeliveryStatus::kSucceeded;
    if (result.response && result.response->body.size() > kAttemptBodyLimit) {
      record.answer = result.response->body;
    }
  } else if (next_attempt_at) {
    record.status = DeliveryStatus::kRetrying;
    record.next_attempt_at = *next_attempt_at;
  }
  return record;
}

AttemptRecord attempt_not_sent(const Delivery& delivery, std::string method, std::string url,
                               std::string error_code, std::string error_message, int64_t now_ms) {
  Attempt attempt = next_attempt_of(delivery);
  attempt.started_at = now_ms;
  attempt.request_method = std::move(method);
  attempt.request_url = std::move(url);
  attempt.request_headers = "{}";
  attempt.error_code = std::move(error_code);
  attempt.error_message = std::move(error_message);
  return {std::move(attempt), DeliveryStatus::kDead, 0, delivery.lease, delivery.order_key};
}

}  // namespace hookline::delivery

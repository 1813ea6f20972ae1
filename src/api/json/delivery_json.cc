#include "api/json/delivery_json.h"

#include <boost/json/parse.hpp>

#include "core/json_depth.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

// Stored JSON text back to a value; text that is not JSON (it never should be) stays text.
json::value stored_json(const std::string& text) {
  if (text.empty()) return json::object();
  boost::system::error_code ec;
  json::value value = parse_stored_json(text, ec);
  return ec ? json::value(text) : value;
}

}  // namespace

json::object delivery_to_json(const Delivery& d) {
  const bool scheduled =
      d.status == DeliveryStatus::kPending || d.status == DeliveryStatus::kRetrying;
  return {{"id", d.id},
          {"webhook_id", d.webhook_id},
          {"event_id", d.event_id},
          {"event", d.event_name},
          {"status", delivery_status_name(d.status)},
          {"attempt_count", d.attempts},
          {"next_attempt_at", scheduled ? json::value(d.next_attempt_at) : json::value(nullptr)},
          {"last_status", d.last_status ? json::value(*d.last_status) : json::value(nullptr)},
          {"last_error", d.last_error.empty() ? json::value(nullptr) : json::value(d.last_error)},
          {"last_duration_ms", d.last_duration_ms},
          {"created_at", d.created_at},
          {"updated_at", d.updated_at}};
}

json::object attempt_to_json(const Attempt& a) {
  json::object out{{"number", a.number},
                   {"started_at", a.started_at},
                   {"duration_ms", a.duration_ms},
                   {"request", json::object{{"method", a.request_method},
                                            {"url", a.request_url},
                                            {"headers", stored_json(a.request_headers)}}}};
  if (a.response_status) {
    out["response"] = json::object{{"status", *a.response_status},
                                   {"headers", stored_json(a.response_headers)},
                                   {"body", a.response_body}};
  } else {
    out["response"] = nullptr;
  }
  out["error"] =
      a.error_code.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"code", a.error_code}, {"message", a.error_message}});
  // What Hookline noted on a try that did not fail: a journey could not map its answer.
  out["note"] = a.error_code.empty() && !a.error_message.empty() ? json::value(a.error_message)
                                                                 : json::value(nullptr);
  return out;
}

}  // namespace hookline::api

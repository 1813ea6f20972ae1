// /v1/deliveries: the delivery log, each delivery's attempts, and retrying by hand.
#include <boost/json/parse.hpp>
#include <charconv>

#include "api/audit.h"
#include "api/handlers/routes.h"
#include "api/json/delivery_json.h"
#include "api/responses.h"
#include "core/json_depth.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

Result<std::optional<int64_t>> time_param(const ApiRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  if (it == request.query.end() || it->second.empty()) return std::optional<int64_t>();
  int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    return std::unexpected(Error::validation(name, name + " must be milliseconds since the epoch"));
  }
  return std::optional<int64_t>(value);
}

Result<store::DeliveryFilter> read_filter(const ApiRequest& request) {
  store::DeliveryFilter filter;
  auto text = [&](const char* name) { return request.query_value(name); };
  filter.webhook_id = text("webhook_id");
  filter.event_name = text("event");
  if (const std::string status = text("status"); !status.empty()) {
    filter.status = parse_delivery_status(status);
    if (!filter.status) {
      return std::unexpected(Error::validation(
          "status", "status must be pending, retrying, succeeded, dead or queued"));
    }
  }
  auto since = time_param(request, "since");
  if (!since) return std::unexpected(since.error());
  filter.since_ms = *since;
  auto until = time_param(request, "until");
  if (!until) return std::unexpected(until.error());
  filter.until_ms = *until;
  return filter;
}

}  // namespace

void add_delivery_routes(Router& router, Services& services) {
  router.add("GET", "/v1/deliveries", [&services](ApiRequest& request) {
    auto filter = read_filter(request);
    if (!filter) return error_response(filter.error());
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_deliveries(request.workspace_id, *filter, *page),
                        [](auto& found) { return page_response(found, delivery_to_json); });
  });

  router.add("GET", "/v1/deliveries/{id}", [&services](ApiRequest& request) {
    auto delivery = services.store.get_delivery(request.workspace_id, request.param("id"));
    if (!delivery) return error_response(delivery.error());
    auto attempts = services.store.list_attempts(request.workspace_id, delivery->id);
    if (!attempts) return error_response(attempts.error());
    json::object out = delivery_to_json(*delivery);
    boost::system::error_code ec;
    json::value payload = parse_stored_json(delivery->body, ec);
    out["payload"] = ec ? json::value(delivery->body) : std::move(payload);
    json::array log;
    for (const Attempt& attempt : *attempts) log.push_back(attempt_to_json(attempt));
    out["attempts"] = std::move(log);
    return json_response(200, out);
  });

  // Due now (requeue_now says how the schedule goes on): the dispatcher's poller picks it up
  // within its poll interval.
  router.add_async(
      "POST", "/v1/deliveries/{id}/retry", [&services](ApiRequest& request, Respond respond) {
        services.deliveries.retry(
            request.workspace_id, request.param("id"),
            [&services, respond, actor = actor_of(request)](Result<Delivery> requeued) {
              if (!requeued) return respond(error_response(requeued.error()));
              record_change(services, actor,
                            {.action = "retry",
                             .resource_type = "delivery",
                             .resource_id = requeued->id,
                             .changes = {{"webhook_id", requeued->webhook_id}}});
              respond(json_response(202, delivery_to_json(*requeued)));
            });
      });
}

}  // namespace hookline::api

// /v1/events: the host application reports what happened. 202 only once the event and the
// deliveries it causes are durable.
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/event_json.h"
#include "api/responses.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

constexpr size_t kMaxBatch = 1000;

}  // namespace

void add_event_routes(Router& router, Services& services) {
  router.add_async(
      "POST", "/v1/events",
      [&services](ApiRequest& request, Respond respond) {
        auto body = parse_object_body(request.body);
        if (!body) return respond(error_response(body.error()));
        auto event = parse_event(*body, "");
        if (!event) return respond(error_response(event.error()));
        std::vector<ingest::EventInput> events;
        events.push_back(std::move(*event));
        services.ingest.submit_events(
            request.workspace_id, std::move(events),
            [respond](Result<std::vector<std::string>> ids) {
              respond(respond_with(std::move(ids), [](auto& accepted) {
                return json_response(202, json::object{{"id", accepted.at(0)}});
              }));
            });
      },
      Access::kIngest);

  router.add_async(
      "POST", "/v1/events/batch",
      [&services](ApiRequest& request, Respond respond) {
        auto body = parse_object_body(request.body);
        if (!body) return respond(error_response(body.error()));
        auto array = FieldReader(*body).optional_array("events");
        if (!array) return respond(error_response(array.error()));
        if (*array == nullptr || (*array)->empty() || (*array)->size() > kMaxBatch) {
          return respond(error_response(Error::validation(
              "events",
              "events must be an array of 1 to " + std::to_string(kMaxBatch) + " events")));
        }
        std::vector<ingest::EventInput> events;
        events.reserve((*array)->size());
        for (size_t i = 0; i < (*array)->size(); ++i) {
          const std::string prefix = "events[" + std::to_string(i) + "]";
          const json::value& item = (**array)[i];
          if (!item.is_object()) {
            return respond(
                error_response(Error::validation(prefix, prefix + " must be an object")));
          }
          auto event = parse_event(item.get_object(), prefix);
          if (!event) return respond(error_response(event.error()));
          events.push_back(std::move(*event));
        }
        services.ingest.submit_events(
            request.workspace_id, std::move(events),
            [respond](Result<std::vector<std::string>> ids) {
              respond(respond_with(std::move(ids), [](auto& accepted) {
                json::array out;
                for (auto& id : accepted) out.emplace_back(id);
                return json_response(202, json::object{{"ids", std::move(out)}});
              }));
            });
      },
      Access::kIngest);
}

}  // namespace hookline::api

// The event catalog: /v1/event-types (the event names clients have sent, each with an example of
// its details and the keys seen in them) and /v1/contact-properties (the keys seen in contacts'
// properties), for the console's catalog and placeholder picker (store::EventCatalog).
#include <boost/json/parse.hpp>

#include "api/handlers/routes.h"
#include "api/responses.h"
#include "core/event.h"

namespace hookline::api {
namespace json = boost::json;

void add_event_type_routes(Router& router, Services& services) {
  router.add("GET", "/v1/event-types", [&services](ApiRequest& request) {
    auto types = services.store.event_types(request.workspace_id);
    if (!types) return error_response(types.error());
    json::array data;
    data.reserve(types->size());
    for (const store::EventTypeInfo& type : *types) {
      json::value example = nullptr;
      if (type.example) {
        // Stored by the writer from details it had parsed: text that does not parse is a bug.
        std::error_code ec;
        example = json::parse(*type.example, ec);
        if (ec) {
          return error_response(Error{
              ErrorCode::kInternal, "the stored example of " + type.name + " is not JSON", {}});
        }
      }
      data.push_back(json::object{{"name", type.name},
                                  {"category", event_category(type.name)},
                                  {"group", event_type(type.name)},
                                  {"first_seen_at", type.first_seen_at},
                                  {"last_seen_at", type.last_seen_at},
                                  {"example", std::move(example)},
                                  {"keys", json::array(type.keys.begin(), type.keys.end())}});
    }
    return json_response(200, json::object{{"data", std::move(data)}});
  });

  router.add("GET", "/v1/contact-properties", [&services](ApiRequest& request) {
    auto keys = services.store.contact_property_keys(request.workspace_id);
    if (!keys) return error_response(keys.error());
    return json_response(200, json::object{{"data", json::array(keys->begin(), keys->end())}});
  });
}

}  // namespace hookline::api

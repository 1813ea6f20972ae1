// Operations: liveness, readiness and the API description.
#include "api/handlers/routes.h"
#include "api/responses.h"

namespace hookline::api {

std::string_view openapi_document();  // embedded from openapi.json at build time

void add_operations_routes(Router& router, Services& services) {
  router.add("GET", "/healthz", [](ApiRequest&) {
    return json_response(200, boost::json::object{{"status", "ok"}});
  });

  // Ready when the store answers: a node that cannot reach its database should get no traffic.
  router.add("GET", "/readyz", [&services](ApiRequest&) {
    auto keys = services.store.count_api_keys();
    if (!keys) {
      return json_response(
          503, boost::json::object{{"status", "unavailable"}, {"reason", keys.error().message}});
    }
    return json_response(200, boost::json::object{{"status", "ready"}});
  });

  router.add("GET", "/openapi.json", [](ApiRequest&) {
    ApiResponse response;
    response.body = std::string(openapi_document());
    return response;
  });
}

}  // namespace hookline::api

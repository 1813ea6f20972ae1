// /v1/webhooks: create, list, read, change and delete webhooks.
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/webhook_json.h"
#include "api/responses.h"
#include "core/ids.h"
#include "delivery/signature.h"

namespace hookline::api {

void add_webhook_routes(Router& router, Services& services) {
  router.add("POST", "/v1/webhooks", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    auto spec = parse_webhook_spec(*body);
    if (!spec) return error_response(spec.error());
    Webhook webhook;
    webhook.created_at = webhook.updated_at = services.clock.now_ms();
    webhook.id = new_uuid_v7(webhook.created_at);
    webhook.workspace_id = request.workspace_id;
    webhook.spec = std::move(*spec);
    webhook.secret = delivery::new_signing_secret();
    return respond_with(services.store.insert_webhook(webhook), [&] {
      return json_response(201, webhook_to_json(webhook, /*reveal_secret=*/true));
    });
  });

  router.add("GET", "/v1/webhooks", [&services](ApiRequest& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_webhooks(request.workspace_id, *page), [](auto& found) {
      return page_response(found, [](const Webhook& w) { return webhook_to_json(w, false); });
    });
  });

  router.add("GET", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    return respond_with(
        services.store.get_webhook(request.workspace_id, request.param("id")),
        [](auto& webhook) { return json_response(200, webhook_to_json(webhook, false)); });
  });

  router.add("PATCH", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    auto patch = parse_object_body(request.body);
    if (!patch) return error_response(patch.error());
    auto stored = services.store.get_webhook(request.workspace_id, request.param("id"));
    if (!stored) return error_response(stored.error());
    auto spec = parse_webhook_spec(apply_webhook_patch(stored->spec, *patch));
    if (!spec) return error_response(spec.error());
    Webhook updated = std::move(*stored);
    updated.spec = std::move(*spec);
    updated.updated_at = services.clock.now_ms();
    return respond_with(services.store.update_webhook(updated), [&] {
      services.webhook_changed(updated.id);
      return json_response(200, webhook_to_json(updated, false));
    });
  });

  router.add("DELETE", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    return respond_with(services.store.delete_webhook(request.workspace_id, request.param("id")),
                        [&] {
                          services.webhook_changed(request.param("id"));
                          return no_content();
                        });
  });
}

}  // namespace hookline::api

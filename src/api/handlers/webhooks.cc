// /v1/webhooks: create, list, read, change and delete webhooks.
#include "api/audit.h"
#include "api/handlers/journey_references.h"
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/webhook_json.h"
#include "api/responses.h"
#include "core/ids.h"
#include "core/logger.h"
#include "outbound/signature.h"
#include "templates/template.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

// Saving a webhook that aims at an address the guard refuses is a clear 422 now, rather than a
// blocked_target on every call later.
Result<void> check_target(const WebhookSpec& spec, const delivery::TargetGuard& guard) {
  templates::Warnings ignored;
  auto url_template = templates::Template::parse(spec.url);
  if (!url_template) return {};  // parse_webhook_spec has reported it
  auto rendered = templates::render_url(*url_template, json::object{}, ignored);
  if (!rendered) return {};
  const auto host = guard.refused_literal_host(*rendered);
  if (!host) return {};
  return std::unexpected(Error{ErrorCode::kUnprocessable,
                               "url: " + *host +
                                   " is a loopback, private or otherwise internal address; calls "
                                   "to it are refused (an operator may allow it with "
                                   "--allow-targets)",
                               "url"});
}

// The webhook as the API shows it, with its circuit breaker's state (SPEC 7).
json::object shown(const Webhook& webhook, Services& services, bool reveal_secret = false) {
  json::object out = webhook_to_json(webhook, reveal_secret);
  const auto breaker = services.breaker_state(webhook.id);
  out["breaker"] = json::object{
      {"state", breaker ? breaker->state : "closed"},
      {"consecutive_failures", breaker ? breaker->consecutive_failures : 0},
      {"open_until", breaker && breaker->open_until_ms > 0 ? json::value(breaker->open_until_ms)
                                                           : json::value(nullptr)},
      {"opened_at", breaker && breaker->opened_at_ms > 0 ? json::value(breaker->opened_at_ms)
                                                         : json::value(nullptr)}};
  return out;
}

}  // namespace

void add_webhook_routes(Router& router, Services& services) {
  router.add("POST", "/v1/webhooks", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    auto spec = parse_webhook_spec(*body);
    if (!spec) return error_response(spec.error());
    if (auto target = check_target(*spec, services.guard); !target) {
      return error_response(target.error());
    }
    Webhook webhook;
    webhook.created_at = webhook.updated_at = services.clock.now_ms();
    webhook.id = new_uuid_v7(webhook.created_at);
    webhook.workspace_id = request.workspace_id;
    webhook.spec = std::move(*spec);
    webhook.secret = outbound::new_signing_secret();
    return respond_with(services.store.insert_webhook(webhook), [&] {
      record_change(services, request,
                    {.action = "create",
                     .resource_type = "webhook",
                     .resource_id = webhook.id,
                     .changes = webhook_to_json(webhook, /*reveal_secret=*/false)});
      return json_response(201, shown(webhook, services, /*reveal_secret=*/true));
    });
  });

  router.add("GET", "/v1/webhooks", [&services](ApiRequest& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(
        services.store.list_webhooks(request.workspace_id, *page), [&services](auto& found) {
          return page_response(found, [&services](const Webhook& w) { return shown(w, services); });
        });
  });

  router.add("GET", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    return respond_with(
        services.store.get_webhook(request.workspace_id, request.param("id")),
        [&services](auto& webhook) { return json_response(200, shown(webhook, services)); });
  });

  router.add("PATCH", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    auto patch = parse_object_body(request.body);
    if (!patch) return error_response(patch.error());
    auto stored = services.store.get_webhook(request.workspace_id, request.param("id"));
    if (!stored) return error_response(stored.error());
    auto spec = parse_webhook_spec(apply_webhook_patch(stored->spec, *patch));
    if (!spec) return error_response(spec.error());
    if (auto target = check_target(*spec, services.guard); !target) {
      return error_response(target.error());
    }
    const bool enabled_again = !stored->spec.enabled && spec->enabled;
    json::object before = webhook_to_json(*stored, /*reveal_secret=*/false);
    before.erase("updated_at");
    Webhook updated = std::move(*stored);
    updated.spec = std::move(*spec);
    updated.updated_at = services.clock.now_ms();
    if (updated.spec.enabled) {  // as the store does: why Hookline disabled it no longer holds
      updated.disabled_reason.clear();
      updated.disabled_at = 0;
    }
    if (auto saved = services.store.update_webhook(updated); !saved)
      return error_response(saved.error());
    services.deliveries.webhook_changed(updated.id, enabled_again);
    json::object after = webhook_to_json(updated, /*reveal_secret=*/false);
    after.erase("updated_at");
    record_change(services, request,
                  {.action = "update",
                   .resource_type = "webhook",
                   .resource_id = updated.id,
                   .changes = changed_fields(before, after)});
    return json_response(200, shown(updated, services));
  });

  // A new signing secret; the old one keeps signing beside it for the overlap (24 h), so
  // receivers can switch without losing a call.
  router.add("POST", "/v1/webhooks/{id}/rotate-secret", [&services](ApiRequest& request) {
    const int64_t now = services.clock.now_ms();
    auto webhook = services.store.rotate_webhook_secret(
        request.workspace_id, request.param("id"), outbound::new_signing_secret(),
        now + services.rotation_overlap.count(), now);
    if (!webhook) return error_response(webhook.error());
    services.deliveries.webhook_changed(webhook->id);
    record_change(
        services, request,
        {.action = "rotate_secret",
         .resource_type = "webhook",
         .resource_id = webhook->id,
         .changes = {{"previous_secret_expires_at", webhook->previous_secret_expires_at}}});
    return json_response(
        200, json::object{{"secret", webhook->secret},
                          {"previous_secret_expires_at", webhook->previous_secret_expires_at}});
  });

  // Re-queues the deliveries that failed or died in a time range, typically after fixing the
  // receiver: each gets a fresh round of tries.
  router.add_async(
      "POST", "/v1/webhooks/{id}/recover", [&services](ApiRequest& request, Respond respond) {
        auto body = parse_object_body(request.body);
        if (!body) return respond(error_response(body.error()));
        FieldReader fields(*body);
        auto since = fields.optional_int("since");
        if (!since) return respond(error_response(since.error()));
        auto until = fields.optional_int("until");
        if (!until) return respond(error_response(until.error()));
        if (!since->has_value() || **since < 0) {
          return respond(error_response(
              Error::validation("since", "since is required: milliseconds since the epoch")));
        }
        const int64_t now = services.clock.now_ms();
        const int64_t to = until->value_or(now + 1);
        if (to <= **since) {
          return respond(error_response(Error::validation("until", "until must be after since")));
        }
        auto webhook = services.store.get_webhook(request.workspace_id, request.param("id"));
        if (!webhook) return respond(error_response(webhook.error()));
        services.deliveries.recover(
            request.workspace_id, webhook->id, **since, to,
            [&services, respond, actor = actor_of(request), id = webhook->id, since = **since,
             to](Result<int64_t> requeued) {
              if (!requeued) return respond(error_response(requeued.error()));
              record_change(
                  services, actor,
                  {.action = "recover",
                   .resource_type = "webhook",
                   .resource_id = id,
                   .changes = {{"since", since}, {"until", to}, {"requeued", *requeued}}});
              respond(json_response(202, json::object{{"requeued", *requeued}}));
            });
      });

  router.add("DELETE", "/v1/webhooks/{id}", [&services](ApiRequest& request) {
    const std::string& id = request.param("id");
    if (auto free = refuse_if_journeys_use(
            services, request.workspace_id, "webhook", id,
            [&](const Block& b) { return b.type == BlockType::kWebhook && b.webhook_id == id; });
        !free) {
      return error_response(free.error());
    }
    return respond_with(services.store.delete_webhook(request.workspace_id, id), [&] {
      services.deliveries.webhook_changed(id);
      record_change(services, request,
                    {.action = "delete", .resource_type = "webhook", .resource_id = id});
      return no_content();
    });
  });
}

}  // namespace hookline::api

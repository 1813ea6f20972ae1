// /v1/me, /v1/api-keys and /v1/workspaces: who is calling, the workspace's keys, and (instance
// keys) workspaces and the keys inside them.
#include "api/audit.h"
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/key_json.h"
#include "api/responses.h"
#include "core/ids.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

// Makes a key in `workspace_id` from the request's body; answers 201 with the key, shown once.
ApiResponse create_key(Services& services, const ApiRequest& request,
                       const std::string& workspace_id) {
  auto body = parse_object_body(request.body);
  if (!body) return error_response(body.error());
  const int64_t now_ms = services.clock.now_ms();
  auto asked = read_new_key(*body, now_ms);
  if (!asked) return error_response(asked.error());
  const std::string text = new_api_key_text();
  const ApiKey key = new_api_key(text, workspace_id, std::move(asked->name), asked->scope,
                                 /*instance=*/false, now_ms, asked->expires_at);
  if (auto added = services.store.add_api_key(key, sha256_hex(text)); !added) {
    return error_response(added.error());
  }
  json::object shown = key_to_json(key);
  record_change(services, request,
                {.action = "create",
                 .resource_type = "api_key",
                 .resource_id = key.id,
                 .changes = shown,
                 .workspace_id = workspace_id});
  shown["key"] = text;
  return json_response(201, shown);
}

}  // namespace

void add_key_routes(Router& router, Services& services) {
  router.add(
      "GET", "/v1/me",
      [&services](ApiRequest& request) {
        auto workspace = services.store.get_workspace(request.workspace_id);
        if (!workspace) return error_response(workspace.error());
        json::object me = key_to_json(request.caller);
        me["workspace_name"] = workspace->name;
        return json_response(200, me);
      },
      Access::kSelf);

  router.add(
      "POST", "/v1/api-keys",
      [&services](ApiRequest& request) {
        return create_key(services, request, request.workspace_id);
      },
      Access::kAdmin);

  router.add(
      "GET", "/v1/api-keys",
      [&services](ApiRequest& request) {
        auto page = page_request(request);
        if (!page) return error_response(page.error());
        return respond_with(services.store.list_api_keys(request.workspace_id, *page),
                            [](auto& found) { return page_response(found, key_to_json); });
      },
      Access::kAdmin);

  router.add(
      "DELETE", "/v1/api-keys/{id}",
      [&services](ApiRequest& request) {
        const std::string& id = request.param("id");
        // A browser signed in with this key would lock itself out mid-click.
        if (id == request.caller.id) {
          return error_response({ErrorCode::kConflict,
                                 "a key cannot revoke itself: revoke it with another admin key",
                                 {}});
        }
        // Only an instance key revokes an instance key: a workspace's admin does not rule the
        // instance.
        auto revoked = services.store.revoke_api_key(
            request.workspace_id, id, request.caller.instance, services.clock.now_ms());
        if (!revoked) return error_response(revoked.error());
        services.forget_key(revoked->key_hash);
        record_change(services, request,
                      {.action = "revoke",
                       .resource_type = "api_key",
                       .resource_id = id,
                       .changes = {{"name", revoked->name}}});
        return no_content();
      },
      Access::kAdmin);

  router.add(
      "POST", "/v1/workspaces",
      [&services](ApiRequest& request) {
        auto body = parse_object_body(request.body);
        if (!body) return error_response(body.error());
        auto name = FieldReader(*body).required_string("name", 200);
        if (!name) return error_response(name.error());
        const int64_t now_ms = services.clock.now_ms();
        const Workspace workspace{new_uuid_v7(now_ms), std::move(*name), now_ms};
        if (auto inserted = services.store.insert_workspace(workspace); !inserted) {
          return error_response(inserted.error());
        }
        record_change(services, request,
                      {.action = "create",
                       .resource_type = "workspace",
                       .resource_id = workspace.id,
                       .changes = workspace_to_json(workspace),
                       // Kept in the new workspace: its own history starts with it, and the
                       // instance's other workspaces do not see it.
                       .workspace_id = workspace.id});
        return json_response(201, workspace_to_json(workspace));
      },
      Access::kInstance);

  router.add(
      "GET", "/v1/workspaces",
      [&services](ApiRequest& request) {
        auto page = page_request(request);
        if (!page) return error_response(page.error());
        return respond_with(services.store.list_workspaces(*page),
                            [](auto& found) { return page_response(found, workspace_to_json); });
      },
      Access::kInstance);

  router.add(
      "GET", "/v1/workspaces/{id}",
      [&services](ApiRequest& request) {
        return respond_with(services.store.get_workspace(request.param("id")),
                            [](Workspace& w) { return json_response(200, workspace_to_json(w)); });
      },
      Access::kInstance);

  router.add(
      "POST", "/v1/workspaces/{id}/api-keys",
      [&services](ApiRequest& request) {
        auto workspace = services.store.get_workspace(request.param("id"));
        if (!workspace) return error_response(workspace.error());
        return create_key(services, request, workspace->id);
      },
      Access::kInstance);
}

}  // namespace hookline::api

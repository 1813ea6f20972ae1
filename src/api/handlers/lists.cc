// /v1/lists: lists and their members.
#include "api/audit.h"
#include "api/handlers/journey_references.h"
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/contact_json.h"
#include "api/responses.h"
#include "core/ids.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

struct Members {
  std::vector<std::string> contact_ids;
  std::vector<std::string> emails;
};

// Who a membership request names: "contact_ids", or "emails" (made contacts when unknown, as a
// list sign-up form would).
Result<Members> read_members(const json::object& body) {
  FieldReader fields(body);
  auto ids = fields.optional_array("contact_ids");
  if (!ids) return std::unexpected(ids.error());
  auto emails = fields.optional_array("emails");
  if (!emails) return std::unexpected(emails.error());
  if ((*ids == nullptr) == (*emails == nullptr)) {
    return std::unexpected(Error::validation("contact_ids", "give either contact_ids or emails"));
  }
  const json::array& items = *ids != nullptr ? **ids : **emails;
  const std::string field = *ids != nullptr ? "contact_ids" : "emails";
  if (items.empty() || items.size() > 1000) {
    return std::unexpected(Error::validation(field, field + " must hold 1 to 1000 entries"));
  }
  Members members;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_field = field + "[" + std::to_string(i) + "]";
    if (!items[i].is_string()) {
      return std::unexpected(Error::validation(item_field, item_field + " must be a string"));
    }
    if (*ids != nullptr) {
      members.contact_ids.emplace_back(items[i].get_string());
      continue;
    }
    auto email = normalize_email(items[i].get_string(), item_field);
    if (!email) return std::unexpected(email.error());
    members.emails.push_back(std::move(*email));
  }
  return members;
}

}  // namespace

void add_list_routes(Router& router, Services& services) {
  router.add("POST", "/v1/lists", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    auto name = FieldReader(*body).required_string("name", 200);
    if (!name) return error_response(name.error());
    ContactList list;
    list.created_at = services.clock.now_ms();
    list.id = new_uuid_v7(list.created_at);
    list.workspace_id = request.workspace_id;
    list.name = std::move(*name);
    return respond_with(services.store.insert_list(list), [&] {
      record_change(services, request,
                    {.action = "create",
                     .resource_type = "list",
                     .resource_id = list.id,
                     .changes = {{"name", list.name}}});
      return json_response(201, list_to_json(list));
    });
  });

  router.add("GET", "/v1/lists", [&services](ApiRequest& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_lists(request.workspace_id, *page),
                        [](auto& found) { return page_response(found, list_to_json); });
  });

  router.add("GET", "/v1/lists/{id}", [&services](ApiRequest& request) {
    return respond_with(services.store.get_list(request.workspace_id, request.param("id")),
                        [](ContactList& list) { return json_response(200, list_to_json(list)); });
  });

  router.add("DELETE", "/v1/lists/{id}", [&services](ApiRequest& request) {
    const std::string& id = request.param("id");
    // A condition on membership, or a block that adds or removes members.
    if (auto free = refuse_if_journeys_use(services, request.workspace_id, "list", id,
                                           [&](const Block& b) { return b.list_id == id; });
        !free) {
      return error_response(free.error());
    }
    return respond_with(services.store.delete_list(request.workspace_id, id), [&] {
      record_change(services, request,
                    {.action = "delete", .resource_type = "list", .resource_id = id});
      return no_content();
    });
  });

  router.add("GET", "/v1/lists/{id}/contacts", [&services](ApiRequest& request) {
    auto list = services.store.get_list(request.workspace_id, request.param("id"));
    if (!list) return error_response(list.error());
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_members(request.workspace_id, list->id, *page),
                        [](auto& found) { return page_response(found, contact_to_json); });
  });

  router.add_async(
      "POST", "/v1/lists/{id}/contacts", [&services](ApiRequest& request, Respond respond) {
        auto body = parse_object_body(request.body);
        if (!body) return respond(error_response(body.error()));
        auto list = services.store.get_list(request.workspace_id, request.param("id"));
        if (!list) return respond(error_response(list.error()));
        auto members = read_members(*body);
        if (!members) return respond(error_response(members.error()));
        services.ingest.add_to_list(
            request.workspace_id, *list, std::move(members->contact_ids),
            std::move(members->emails),
            [&services, respond, actor = actor_of(request),
             id = list->id](Result<std::vector<std::string>> result) {
              respond(respond_with(std::move(result), [&](std::vector<std::string>& added) {
                json::array added_ids;
                for (auto& contact_id : added) added_ids.emplace_back(contact_id);
                if (!added_ids.empty()) {
                  record_change(services, actor,
                                {.action = "add_members",
                                 .resource_type = "list",
                                 .resource_id = id,
                                 .changes = {{"added", added_ids}}});
                }
                return json_response(200, json::object{{"added", std::move(added_ids)}});
              }));
            });
      });

  router.add_async("DELETE", "/v1/lists/{id}/contacts/{contact_id}",
                   [&services](ApiRequest& request, Respond respond) {
                     auto list = services.store.get_list(request.workspace_id, request.param("id"));
                     if (!list) return respond(error_response(list.error()));
                     services.ingest.remove_from_list(
                         request.workspace_id, *list, request.param("contact_id"),
                         [&services, respond, actor = actor_of(request), id = list->id,
                          contact_id = request.param("contact_id")](Result<bool> removed) {
                           if (!removed) return respond(error_response(removed.error()));
                           if (!*removed) {
                             return respond(error_response(
                                 Error::not_found("the contact is not a member of the list")));
                           }
                           record_change(services, actor,
                                         {.action = "remove_member",
                                          .resource_type = "list",
                                          .resource_id = id,
                                          .changes = {{"removed", contact_id}}});
                           respond(no_content());
                         });
                   });
}

}  // namespace hookline::api

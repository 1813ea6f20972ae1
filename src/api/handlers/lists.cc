// /v1/lists: lists and their members.
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/contact_json.h"
#include "api/responses.h"
#include "core/ids.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

// The contact ids a membership request names: "contact_ids" as they are, or "emails", each made a
// contact if it is not one yet (a list sign-up creates the contact, as marketing tools do).
Result<std::vector<std::string>> member_ids(const json::object& body, Services& services,
                                            const std::string& workspace_id) {
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
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_field = field + "[" + std::to_string(i) + "]";
    if (!items[i].is_string()) {
      return std::unexpected(Error::validation(item_field, item_field + " must be a string"));
    }
    if (*ids != nullptr) {
      out.emplace_back(items[i].get_string());
      continue;
    }
    auto email = normalize_email(items[i].get_string(), item_field);
    if (!email) return std::unexpected(email.error());
    Contact contact;
    contact.created_at = contact.updated_at = services.clock.now_ms();
    contact.id = new_uuid_v7(contact.created_at);
    contact.workspace_id = workspace_id;
    contact.email = std::move(*email);
    auto upserted = services.store.upsert_contact(contact);
    if (!upserted) return std::unexpected(upserted.error());
    out.push_back(upserted->contact.id);
  }
  return out;
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
    return respond_with(services.store.insert_list(list),
                        [&] { return json_response(201, list_to_json(list)); });
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
    return respond_with(services.store.delete_list(request.workspace_id, request.param("id")),
                        [] { return no_content(); });
  });

  router.add("GET", "/v1/lists/{id}/contacts", [&services](ApiRequest& request) {
    auto list = services.store.get_list(request.workspace_id, request.param("id"));
    if (!list) return error_response(list.error());
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_members(request.workspace_id, list->id, *page),
                        [](auto& found) { return page_response(found, contact_to_json); });
  });

  router.add("POST", "/v1/lists/{id}/contacts", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    auto list = services.store.get_list(request.workspace_id, request.param("id"));
    if (!list) return error_response(list.error());
    auto ids = member_ids(*body, services, request.workspace_id);
    if (!ids) return error_response(ids.error());
    return respond_with(
        services.store.add_list_members(request.workspace_id, list->id, *ids, services.clock.now_ms()),
        [](std::vector<std::string>& added) {
          json::array added_ids;
          for (auto& id : added) added_ids.emplace_back(id);
          return json_response(200, json::object{{"added", std::move(added_ids)}});
        });
  });

  router.add("DELETE", "/v1/lists/{id}/contacts/{contact_id}", [&services](ApiRequest& request) {
    auto list = services.store.get_list(request.workspace_id, request.param("id"));
    if (!list) return error_response(list.error());
    auto removed = services.store.remove_list_member(request.workspace_id, list->id,
                                                     request.param("contact_id"));
    if (!removed) return error_response(removed.error());
    if (!*removed) return error_response(Error::not_found("the contact is not a member of the list"));
    return no_content();
  });
}

}  // namespace hookline::api

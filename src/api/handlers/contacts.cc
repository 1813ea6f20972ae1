// /v1/contacts: contacts, upserted by email.
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/contact_json.h"
#include "api/responses.h"
#include "core/ids.h"

namespace hookline::api {

void add_contact_routes(Router& router, Services& services) {
  router.add("POST", "/v1/contacts", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    Contact contact;
    if (auto read = read_contact_fields(*body, contact, /*email_optional=*/false); !read) {
      return error_response(read.error());
    }
    contact.created_at = contact.updated_at = services.clock.now_ms();
    contact.id = new_uuid_v7(contact.created_at);
    contact.workspace_id = request.workspace_id;
    return respond_with(services.store.upsert_contact(contact), [](store::ContactUpsert& result) {
      return json_response(result.created ? 201 : 200, contact_to_json(result.contact));
    });
  });

  router.add("GET", "/v1/contacts", [&services](ApiRequest& request) {
    if (auto email = request.query.find("email"); email != request.query.end()) {
      auto normalized = normalize_email(email->second, "email");
      if (!normalized) return error_response(normalized.error());
      return respond_with(services.store.find_contact_by_email(request.workspace_id, *normalized),
                          [](std::optional<Contact>& found) {
                            store::Page<Contact> page;
                            if (found) page.items.push_back(std::move(*found));
                            return page_response(page, contact_to_json);
                          });
    }
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    return respond_with(services.store.list_contacts(request.workspace_id, *page),
                        [](auto& found) { return page_response(found, contact_to_json); });
  });

  router.add("GET", "/v1/contacts/{id}", [&services](ApiRequest& request) {
    return respond_with(services.store.get_contact(request.workspace_id, request.param("id")),
                        [](Contact& contact) { return json_response(200, contact_to_json(contact)); });
  });

  router.add("PATCH", "/v1/contacts/{id}", [&services](ApiRequest& request) {
    auto body = parse_object_body(request.body);
    if (!body) return error_response(body.error());
    auto contact = services.store.get_contact(request.workspace_id, request.param("id"));
    if (!contact) return error_response(contact.error());
    if (auto read = read_contact_fields(*body, *contact, /*email_optional=*/true); !read) {
      return error_response(read.error());
    }
    contact->updated_at = services.clock.now_ms();
    return respond_with(services.store.update_contact(*contact),
                        [&] { return json_response(200, contact_to_json(*contact)); });
  });

  router.add("DELETE", "/v1/contacts/{id}", [&services](ApiRequest& request) {
    return respond_with(services.store.delete_contact(request.workspace_id, request.param("id")),
                        [] { return no_content(); });
  });
}

}  // namespace hookline::api

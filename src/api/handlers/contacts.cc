// /v1/contacts: contacts, upserted by email. Changes go through ingest, which emits their events.
#include "api/audit.h"
#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/contact_json.h"
#include "api/responses.h"
#include "core/ids.h"

namespace hookline::api {
namespace json = boost::json;
namespace {

// A search box's text: longer is not a search.
constexpr size_t kMaxSearchBytes = 200;

// Spaces around a search are not part of it: " " would match the space between every contact's
// first and last name.
std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

void add_contact_routes(Router& router, Services& services) {
  router.add_async("POST", "/v1/contacts", [&services](ApiRequest& request, Respond respond) {
    auto body = parse_object_body(request.body);
    if (!body) return respond(error_response(body.error()));
    Contact contact;
    if (auto read = read_contact_fields(*body, contact, /*email_optional=*/false); !read) {
      return respond(error_response(read.error()));
    }
    contact.created_at = contact.updated_at = services.clock.now_ms();
    contact.id = new_uuid_v7(contact.created_at);
    contact.workspace_id = request.workspace_id;
    services.ingest.upsert_contact(
        request.workspace_id, std::move(contact),
        [&services, respond, actor = actor_of(request),
         asked = std::move(*body)](Result<store::ContactUpsert> result) {
          respond(respond_with(std::move(result), [&](store::ContactUpsert& upsert) {
            if (upsert.changed) {
              record_change(services, actor,
                            {.action = upsert.created ? "create" : "update",
                             .resource_type = "contact",
                             .resource_id = upsert.contact.id,
                             .changes = asked});
            }
            return json_response(upsert.created ? 201 : 200, contact_to_json(upsert.contact));
          }));
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
    const std::string search = trimmed(request.query_value("q"));
    if (search.size() > kMaxSearchBytes) {
      return error_response(
          Error::validation("q", "the search must be at most " + std::to_string(kMaxSearchBytes) +
                                     " bytes (fewer letters with accents or emoji)"));
    }
    return respond_with(services.store.list_contacts(request.workspace_id, *page, search),
                        [](auto& found) { return page_response(found, contact_to_json); });
  });

  router.add("GET", "/v1/contacts/{id}", [&services](ApiRequest& request) {
    return respond_with(
        services.store.get_contact(request.workspace_id, request.param("id")),
        [](Contact& contact) { return json_response(200, contact_to_json(contact)); });
  });

  router.add_async("PATCH", "/v1/contacts/{id}", [&services](ApiRequest& request, Respond respond) {
    auto body = parse_object_body(request.body);
    if (!body) return respond(error_response(body.error()));
    json::object asked = *body;  // for the audit log: the body is read on the writer's thread
    services.ingest.update_contact(
        request.workspace_id, request.param("id"),
        [body = std::move(*body)](Contact& contact) {
          return read_contact_fields(body, contact, /*email_optional=*/true);
        },
        [&services, respond, actor = actor_of(request),
         asked = std::move(asked)](Result<Contact> result) {
          respond(respond_with(std::move(result), [&](Contact& contact) {
            record_change(services, actor,
                          {.action = "update",
                           .resource_type = "contact",
                           .resource_id = contact.id,
                           .changes = asked});
            return json_response(200, contact_to_json(contact));
          }));
        });
  });

  router.add_async(
      "DELETE", "/v1/contacts/{id}", [&services](ApiRequest& request, Respond respond) {
        services.ingest.delete_contact(
            request.workspace_id, request.param("id"),
            [&services, respond, actor = actor_of(request),
             id = request.param("id")](Result<void> result) {
              respond(respond_with(std::move(result), [&] {
                record_change(services, actor,
                              {.action = "delete", .resource_type = "contact", .resource_id = id});
                return no_content();
              }));
            });
      });
}

}  // namespace hookline::api

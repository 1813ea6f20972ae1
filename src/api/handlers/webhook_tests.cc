// The Test button (SPEC 6): one real call with sample data, answered with exactly what was sent and
// what came back. A test is never retried; success means the receiver answered 200.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/handlers/routes.h"
#include "api/json/body_reader.h"
#include "api/json/webhook_json.h"
#include "api/responses.h"
#include "core/header_rules.h"
#include "core/ids.h"
#include "delivery/attempt.h"
#include "delivery/lifecycle.h"
#include "journeys/filters.h"
#include "outbound/payload.h"
#include "outbound/signature.h"

namespace hookline::api {
namespace json = boost::json;

namespace {

// An error about a field of an object nested under `key`: the field's path starts there.
Error inside(std::string_view key, Error error) {
  if (!error.field.empty()) error.field = std::string(key) + "." + error.field;
  return error;
}

// "https://host:port" of a URL template, lower-cased, placeholders as written.
std::string origin_of(std::string_view url) {
  const size_t scheme_end = url.find("://");
  const size_t start = scheme_end == url.npos ? 0 : scheme_end + 3;
  std::string origin(url.substr(0, std::min(url.find_first_of("/?#", start), url.size())));
  std::ranges::transform(origin, origin.begin(),
                         [](char c) { return std::tolower(static_cast<unsigned char>(c)); });
  return origin;
}

// Empties the credentials of `edited` that it carries over from `stored` (a password, a token or
// a credential header's value the edits left as they were, or sent back masked): what proves the
// saved webhook to its receiver. Credentials the edits typed anew stay.
void drop_stored_credentials(WebhookSpec& edited, const WebhookSpec& stored) {
  const auto* stored_basic = std::get_if<BasicAuth>(&stored.auth);
  if (auto* basic = std::get_if<BasicAuth>(&edited.auth);
      basic && stored_basic && basic->password == stored_basic->password) {
    basic->password.clear();
  }
  const auto* stored_token = std::get_if<TokenAuth>(&stored.auth);
  if (auto* token = std::get_if<TokenAuth>(&edited.auth);
      token && stored_token && token->token == stored_token->token) {
    token->token.clear();
  }
  for (HeaderTemplate& header : edited.headers) {
    if (!is_credential_header(header.name)) continue;
    const bool carried = std::ranges::any_of(stored.headers, [&](const HeaderTemplate& s) {
      return iequals(s.name, header.name) && s.value == header.value;
    });
    if (carried) header.value.clear();
  }
}

using Sample = delivery::TestSample;

// Details for a test event of `name`: the example the catalog keeps of the workspace's real
// events of that name (store::EventCatalog) when there is one, else details of its kind.
Result<json::object> details_for(Services& services, const std::string& workspace_id,
                                 std::string_view name) {
  auto types = services.store.event_types(workspace_id);
  if (!types) return std::unexpected(types.error());
  for (const store::EventTypeInfo& type : *types) {
    if (type.name != name || !type.example) continue;
    std::error_code ec;
    json::value example = json::parse(*type.example, ec);
    if (!ec && example.is_object()) return std::move(example.get_object());
  }
  return delivery::sample_details(name);
}

// What the test sends unless the request's "sample" says otherwise: the first event the webhook
// subscribes to (list.add_contact, the source document's sample, when none), with details as the
// workspace's events of that name have them (details_for), the sample contact, and a sample
// journey when the templates use one.
Result<Sample> read_sample(const json::object& body, Services& services,
                           const std::string& workspace_id, const WebhookSpec& spec) {
  auto details = details_for(services, workspace_id, delivery::default_sample_event(spec));
  if (!details) return std::unexpected(details.error());
  Sample sample = delivery::default_test_sample(spec, std::move(*details), services.clock.now_ms());
  FieldReader fields(body);
  auto object = fields.optional_object("sample");
  if (!object) return std::unexpected(object.error());
  if (*object == nullptr) return sample;

  FieldReader sample_fields(**object, "sample");
  auto contact_id = sample_fields.optional_string("contact_id");
  if (!contact_id) return std::unexpected(contact_id.error());
  auto contact = sample_fields.optional_object("contact");
  if (!contact) return std::unexpected(contact.error());
  if (contact_id->has_value()) {
    auto stored = services.store.get_contact(workspace_id, **contact_id);
    if (!stored) {
      Error error = stored.error();
      if (error.code == ErrorCode::kNotFound) {
        error = {ErrorCode::kUnprocessable, error.message, "sample.contact_id"};
      }
      return std::unexpected(std::move(error));
    }
    sample.contact = outbound::contact_to_payload(*stored);
  } else if (*contact != nullptr) {
    sample.contact = **contact;
  }

  auto event = sample_fields.optional_object("event");
  if (!event) return std::unexpected(event.error());
  if (*event != nullptr) {
    FieldReader event_fields(**event, "sample.event");
    auto name = event_fields.optional_string("event", 100);
    if (!name) return std::unexpected(name.error());
    if (name->has_value()) {
      if (!is_event_name(**name)) {
        return std::unexpected(Error::validation("sample.event.event", "not a valid event name"));
      }
      sample.event.name = **name;
    }
    auto given = event_fields.optional_object("event_details");
    if (!given) return std::unexpected(given.error());
    if (*given != nullptr) {
      sample.event.details = **given;
    } else if (name->has_value()) {
      auto chosen = details_for(services, workspace_id, sample.event.name);
      if (!chosen) return std::unexpected(chosen.error());
      sample.event.details = std::move(*chosen);
    }
  }
  return sample;
}

json::array warnings_to_json(const templates::Warnings& warnings) {
  json::array out;
  for (const auto& warning : warnings) out.emplace_back(warning);
  return out;
}

// The report of SPEC 6: what was sent, what came back (or why nothing did), and the warnings.
json::object report_json(const delivery::TestReport& report) {
  const outbound::OutboundRequest& sent = report.request;
  const outbound::OutboundResult& result = report.result;
  json::object out{{"request", json::object{{"method", sent.method},
                                            {"url", sent.url},
                                            {"headers", delivery::headers_object(sent.headers)},
                                            {"body", sent.body}}},
                   {"warnings", warnings_to_json(report.warnings)}};
  out["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(result.duration).count();
  if (result.response) {
    const auto& response = *result.response;
    out["success"] = response.status == 200;
    out["status"] = response.status;
    out["response"] =
        json::object{{"status", response.status},
                     {"headers", delivery::headers_object(response.headers)},
                     {"body", delivery::truncated(response.body, delivery::kAttemptBodyLimit)},
                     {"body_truncated", response.body_truncated ||
                                            response.body.size() > delivery::kAttemptBodyLimit}};
    out["error"] = nullptr;
  } else {
    out["success"] = false;
    out["status"] = nullptr;
    out["response"] = nullptr;
    out["error"] = json::object{
        {"code",
         outbound::transport_error_name(result.error.value_or(outbound::TransportError::kOther))},
        {"message", result.error_message}};
  }
  return out;
}

// Whether the sample would make a delivery through the webhook's subscription: null without
// filters, else {"passed", "failing": [the filters that do not hold]}. The call is sent either
// way: Test checks the receiver, and says what the filters would do.
json::value filters_json(const WebhookSpec& spec, const Sample& sample) {
  if (spec.filters.empty()) return nullptr;
  const json::object context{{"event", json::object{{"id", sample.event.id},
                                                    {"name", sample.event.name},
                                                    {"time", sample.event.time_ms}}},
                             {"event_details", sample.event.details},
                             {"contact", sample.contact}};
  journeys::ObjectFields fields(context);
  json::array failing;
  for (const Filter& filter : spec.filters) {
    if (!journeys::filter_holds(filter, fields)) failing.push_back(filter_to_json(filter));
  }
  return json::object{{"passed", failing.empty()}, {"failing", std::move(failing)}};
}

// Sends the call and answers with its report.
void run_test(Services& services, const Webhook& webhook, const Sample& sample, Respond respond) {
  services.deliveries.test_call(
      webhook, sample,
      [webhook_name = webhook.spec.name, respond,
       filters = filters_json(webhook.spec, sample)](Result<delivery::TestReport> report) {
        if (!report) return respond(error_response(report.error()));
        json::object out = report_json(*report);
        out["filters"] = filters;
        spdlog::get("api")->info("webhook test name={} success={} status={} duration_ms={}",
                                 webhook_name, out["success"].as_bool(),
                                 json::serialize(out["status"]), out["duration_ms"].as_int64());
        respond(json_response(200, out));
      });
}

}  // namespace

void add_webhook_test_routes(Router& router, Services& services) {
  // An unsaved webhook, straight from the form.
  router.add_async("POST", "/v1/webhooks/test", [&services](ApiRequest& request, Respond respond) {
    auto body = parse_object_body(request.body);
    if (!body) return respond(error_response(body.error()));
    auto spec = parse_webhook_spec(*body);
    if (!spec) return respond(error_response(spec.error()));
    auto sample = read_sample(*body, services, request.workspace_id, *spec);
    if (!sample) return respond(error_response(sample.error()));
    Webhook webhook;
    webhook.spec = std::move(*spec);
    webhook.secret = outbound::new_signing_secret();  // unsaved: signed with a throw-away secret
    run_test(services, webhook, *sample, std::move(respond));
  });

  router.add_async(
      "POST", "/v1/webhooks/{id}/test", [&services](ApiRequest& request, Respond respond) {
        json::object body;
        if (!request.body.empty()) {
          auto parsed = parse_object_body(request.body);
          if (!parsed) return respond(error_response(parsed.error()));
          body = std::move(*parsed);
        }
        auto webhook = services.store.get_webhook(request.workspace_id, request.param("id"));
        if (!webhook) return respond(error_response(webhook.error()));
        // "webhook": the form's edits, not saved yet, laid over the stored webhook as PATCH
        // would lay them: a secret sent back masked keeps the stored one, and the stored
        // signing secret signs.
        FieldReader fields(body);
        auto edits = fields.optional_object("webhook");
        if (!edits) return respond(error_response(edits.error()));
        if (*edits != nullptr) {
          auto spec = parse_webhook_spec(apply_webhook_patch(webhook->spec, **edits));
          if (!spec) return respond(error_response(inside("webhook", spec.error())));
          // The stored credentials and signing secret go only where the saved webhook sends
          // them: else any key that may test could read a receiver's password, or get a valid
          // signature of a body of its choosing, at an address of its choosing. Edits aimed
          // at another host must give the credentials again, and are signed with a throw-away
          // secret, as an unsaved webhook is.
          if (origin_of(spec->url) != origin_of(webhook->spec.url)) {
            drop_stored_credentials(*spec, webhook->spec);
            webhook->secret = outbound::new_signing_secret();
            webhook->previous_secret.clear();
          }
          webhook->spec = std::move(*spec);
        }
        auto sample = read_sample(body, services, request.workspace_id, webhook->spec);
        if (!sample) return respond(error_response(sample.error()));
        run_test(services, *webhook, *sample, std::move(respond));
      });
}

}  // namespace hookline::api

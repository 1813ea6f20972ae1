#include "delivery/test_sample.h"

#include <utility>

#include "core/event.h"
#include "core/ids.h"

namespace hookline::delivery {
namespace json = boost::json;

namespace {

// Whether any of the webhook's templates speaks of the journey: then the call stands for a
// journey's Webhook block.
bool mentions_journey(const WebhookSpec& spec) {
  auto mentions = [](std::string_view text) { return text.find("journey.") != text.npos; };
  if (mentions(spec.url)) return true;
  for (const HeaderTemplate& header : spec.headers) {
    if (mentions(header.value)) return true;
  }
  if (!spec.custom_payload) return false;
  for (const auto& [key, value] : *spec.custom_payload) {
    if (value.is_string() && mentions(value.get_string())) return true;
  }
  return false;
}

}  // namespace

json::object default_sample_contact() {
  return {{"id", "200"},
          {"email", "testuser@example.com"},
          {"first_name", "test_contact_fname"},
          {"last_name", ""},
          {"mobile", "1234567890"}};
}

json::object sample_details(std::string_view name) {
  if (name.starts_with("list.")) return {{"list_id", "100"}, {"contact_id", "200"}};
  if (name.starts_with("email.")) {
    json::object details{{"campaign_id", "300"}, {"campaign_name", "Sample"}};
    if (name == "email.click") details["url"] = "https://example.com/";
    return details;
  }
  if (name.starts_with("form.")) return {{"form_id", "400"}, {"form_name", "Sample form"}};
  if (name.starts_with("contact.")) return {{"contact_id", "200"}};
  if (name.starts_with("webhook.")) {
    json::object details{{"webhook_id", "01900000-0000-7000-8000-000000000500"},
                         {"webhook_name", "Sample webhook"},
                         {"url", "https://example.com/hook"}};
    if (name == kWebhookDisabled) {
      details["reason"] = "gone";
      details["message"] = "its receiver answered 410 Gone";
      details["disabled_at"] = 1563186327795;
    } else {
      details["recovered_at"] = 1563186327795;
    }
    return details;
  }
  return {};
}

std::string default_sample_event(const WebhookSpec& spec) {
  return spec.events.empty() ? "list.add_contact" : spec.events.front();
}

TestSample default_test_sample(const WebhookSpec& spec, json::object details, int64_t now_ms) {
  TestSample sample{{new_uuid_v7(now_ms), default_sample_event(spec), now_ms, std::move(details)},
                    default_sample_contact()};
  if (mentions_journey(spec)) {
    sample.journey = outbound::JourneyRef{"sample", "Sample journey", "webhook"};
  }
  return sample;
}

}  // namespace hookline::delivery

#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/webhook.h"
#include "outbound/payload.h"

namespace hookline::delivery {

// What a test call sends (the Test button, a self-healing probe): an event and the contact as
// the receiver sees it, and the journey when the call stands for a journey's Webhook block.
struct TestSample {
  Event event;
  boost::json::object contact;
  std::optional<outbound::JourneyRef> journey = std::nullopt;
};

// The source document's sample contact: what a receiver gets when no contact is chosen.
boost::json::object default_sample_contact();

// Sample details of the kind of event `name` is, so that the placeholders a user writes for it
// (event.campaign_name on email.click) render. A custom event has none to guess.
boost::json::object sample_details(std::string_view name);

// The event a test of `spec` samples unless told otherwise: the first it subscribes to, else
// list.add_contact (the source document's sample).
std::string default_sample_event(const WebhookSpec& spec);

// A test of `spec` with nothing chosen: default_sample_event with `details`, at `now_ms`, the
// sample contact, and a sample journey when its templates speak of one.
TestSample default_test_sample(const WebhookSpec& spec, boost::json::object details,
                               int64_t now_ms);

}  // namespace hookline::delivery

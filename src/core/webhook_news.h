#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace hookline {

// What Hookline did to a webhook by itself: disabled it (its receiver answered 410 Gone, or failed
// for days) or, probing it, enabled it again. Told to the webhooks subscribed to the
// webhook.disabled and webhook.recovered events (ingest::Ingest::emit_webhook_news), so a team can
// be alerted where it works (a chat, an incident tool) without watching the console.
struct WebhookNews {
  std::string workspace_id;
  std::string webhook_id;
  std::string webhook_name;
  std::string url;
  bool recovered = false;  // false: disabled
  std::string reason;      // disabled: "gone" or "failing"
  std::string message;     // disabled: why, as the log says it
  int64_t at_ms = 0;
};

// Called on the thread that made the change; must not block. May be empty: nobody is told.
using OnWebhookNews = std::function<void(WebhookNews)>;

}  // namespace hookline

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <stop_token>
#include <thread>

#include "core/clock.h"
#include "core/webhook_news.h"
#include "delivery/lifecycle.h"
#include "store/repositories.h"

namespace hookline::delivery {

struct HealerOptions {
  // The first probe of a webhook Hookline disabled comes this long after it was disabled; each
  // later one twice as long after the one before, up to max_interval.
  std::chrono::milliseconds first_probe = std::chrono::minutes(1);
  std::chrono::milliseconds max_interval = std::chrono::hours(1);
  int batch = 20;  // probes started at once, at most
  // Told when a probe enables a webhook again (the webhook.recovered event); may be empty.
  OnWebhookNews on_webhook_news{};
};

// Self-healing, which the usual webhook tools do not do (they disable and wait for a person): a
// webhook Hookline disabled itself (410 Gone, or failing for days) and that self-heals
// (WebhookSpec::self_heal) is probed on a slow backoff with the request the Test button sends.
// When its receiver answers 200 it is enabled again, and the deliveries it held are sent at a
// rate that ramps up (delivery/ramp.h), not all at once onto a receiver that just came back.
//
// One thread asks the store for due probes; each is claimed in the store first, so with several
// nodes only one probes each time, and the backoff outlives restarts. A probe is never stored as
// a delivery or an attempt.
class Healer {
 public:
  struct Stats {
    int64_t probes = 0;  // probes sent
    int64_t healed = 0;  // webhooks enabled again
  };

  // All must outlive the healer.
  Healer(HealerOptions options, store::Webhooks& webhooks, Lifecycle& lifecycle,
         const Clock& clock);
  ~Healer();
  Healer(const Healer&) = delete;
  Healer& operator=(const Healer&) = delete;

  void start();
  // Ends the wait and the thread, after the probes out are answered; safe to call twice.
  void stop();
  Stats stats() const { return {probes_.load(), healed_.load()}; }

  // When the probe after `probes_made` probes is due, the last made at `now_ms`.
  static int64_t next_probe_at(const HealerOptions& options, int probes_made, int64_t now_ms);

 private:
  void run(const std::stop_token& stop);
  // Claims and sends the probes due now, waits for their answers, and heals whom they say.
  void probe_due();

  const HealerOptions options_;
  store::Webhooks& webhooks_;
  Lifecycle& lifecycle_;
  const Clock& clock_;

  std::atomic<int64_t> probes_{0};
  std::atomic<int64_t> healed_{0};

  std::jthread thread_;  // last: stops (and joins) first
};

}  // namespace hookline::delivery

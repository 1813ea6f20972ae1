#include "delivery/healer.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/logger.h"
#include "core/thread_name.h"
#include "delivery/test_sample.h"

namespace hookline::delivery {

namespace {

// The store is asked this often at most, and at least this often.
constexpr std::chrono::milliseconds kMinPoll{200};
constexpr std::chrono::milliseconds kMaxPoll{5000};
// A probe's answer comes within its webhook's timeout; this much more is left for the rest.
constexpr std::chrono::milliseconds kAnswerMargin{10000};

struct ProbeOut {
  store::ProbeDue due;
  std::future<Result<TestReport>> answer;
};

std::string outcome(const Result<TestReport>& report) {
  if (!report) return report.error().message;
  const outbound::OutboundResult& result = report->result;
  if (result.response) return "answered " + std::to_string(result.response->status);
  return result.error_message.empty() ? "no answer" : result.error_message;
}

}  // namespace

Healer::Healer(HealerOptions options, store::Webhooks& webhooks, Lifecycle& lifecycle,
               const Clock& clock)
    : options_(options), webhooks_(webhooks), lifecycle_(lifecycle), clock_(clock) {}

Healer::~Healer() { stop(); }

void Healer::start() {
  thread_ = std::jthread([this](const std::stop_token& stop) {
    name_this_thread("hl-healer");
    run(stop);
  });
}

void Healer::stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

int64_t Healer::next_probe_at(const HealerOptions& options, int probes_made, int64_t now_ms) {
  const int64_t max = options.max_interval.count();
  int64_t interval = options.first_probe.count();
  for (int i = 0; i < probes_made && interval < max; ++i) interval *= 2;
  return now_ms + std::min(interval, max);
}

void Healer::run(const std::stop_token& stop) {
  const auto poll = std::clamp(options_.first_probe / 2, kMinPoll, kMaxPoll);
  std::mutex mutex;  // the wait's own: nothing else is guarded
  std::condition_variable_any wake;
  while (true) {
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, poll, [] { return false; });  // a stop request ends it early
    if (stop.stop_requested()) return;
    lock.unlock();
    probe_due();
  }
}

void Healer::probe_due() {
  const int64_t now = clock_.now_ms();
  auto due = webhooks_.webhooks_to_probe(now, options_.first_probe.count(), options_.batch);
  if (!due) {
    module_logger("delivery")
        ->error("self-healing: reading the webhooks due for a probe failed: {}",
                due.error().message);
    return;
  }
  std::vector<ProbeOut> out;
  for (store::ProbeDue& webhook : *due) {
    const int64_t next = next_probe_at(options_, webhook.probes + 1, now);
    auto claimed = webhooks_.claim_probe(webhook, next);
    if (!claimed) {
      module_logger("delivery")
          ->error("self-healing: claiming the probe of webhook {} failed: {}", webhook.webhook.id,
                  claimed.error().message);
      continue;
    }
    if (!*claimed) continue;  // another node probes it this time
    const WebhookSpec& spec = webhook.webhook.spec;
    const TestSample sample =
        default_test_sample(spec, sample_details(default_sample_event(spec)), now);
    auto answer = std::make_shared<std::promise<Result<TestReport>>>();
    ProbeOut probe{std::move(webhook), answer->get_future()};
    lifecycle_.test_call(probe.due.webhook, sample, [answer](Result<TestReport> report) {
      answer->set_value(std::move(report));
    });
    ++probes_;
    out.push_back(std::move(probe));
  }

  for (ProbeOut& probe : out) {
    const Webhook& webhook = probe.due.webhook;
    const auto limit = std::chrono::milliseconds(webhook.spec.timeout_ms) + kAnswerMargin;
    if (probe.answer.wait_for(limit) != std::future_status::ready) {
      module_logger("delivery")
          ->error("self-healing: the probe of webhook {} got no result in time", webhook.id);
      continue;  // the promise outlives this wait; its next probe comes as claimed
    }
    const Result<TestReport> report = probe.answer.get();
    const bool answered_200 =
        report && report->result.response && report->result.response->status == 200;
    if (!answered_200) {
      module_logger("delivery")
          ->info("webhook {}: self-healing probe {} {}; the next in {} s", webhook.id,
                 probe.due.probes + 1, outcome(report),
                 (next_probe_at(options_, probe.due.probes + 1, 0)) / 1000);
      continue;
    }
    const int64_t healed_at = clock_.now_ms();
    auto healed = webhooks_.heal_webhook(webhook.workspace_id, webhook.id, healed_at);
    if (!healed) {
      module_logger("delivery")
          ->error("self-healing: enabling webhook {} again failed: {}", webhook.id,
                  healed.error().message);
      continue;
    }
    if (!*healed) continue;  // a user changed it meanwhile: theirs to decide
    ++healed_;
    module_logger("delivery")
        ->info(
            "webhook {}: its receiver answered a probe with 200; enabled again, its held "
            "deliveries are sent at a rate that ramps up",
            webhook.id);
    lifecycle_.webhook_changed(webhook.id, /*enabled_again=*/true);
    if (options_.on_webhook_news) {
      options_.on_webhook_news(WebhookNews{webhook.workspace_id, webhook.id, webhook.spec.name,
                                           webhook.spec.url, true, "", "", healed_at});
    }
  }
}

}  // namespace hookline::delivery

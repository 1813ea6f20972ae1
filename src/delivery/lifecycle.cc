#include "delivery/lifecycle.h"

#include <optional>
#include <utility>

#include "core/event.h"
#include "core/logger.h"
#include "outbound/payload.h"
#include "outbound/request_builder.h"

namespace hookline::delivery {

Lifecycle::Lifecycle(store::DeliveryQueue& queue, Dispatcher& dispatcher, HttpClient& http,
                     const Clock& clock, std::string node_id)
    : queue_(queue),
      dispatcher_(dispatcher),
      http_(http),
      clock_(clock),
      node_id_(std::move(node_id)) {}

Result<int64_t> Lifecycle::recover_at_start() {
  return queue_.release_leases_of(node_id_, clock_.now_ms());
}

void Lifecycle::retry(const std::string& workspace_id, const std::string& delivery_id,
                      std::function<void(Result<Delivery>)> done) {
  // The dispatcher's poller claims it within its poll interval.
  queue_.requeue(workspace_id, delivery_id, clock_.now_ms(), std::move(done));
}

void Lifecycle::recover(const std::string& workspace_id, const std::string& webhook_id,
                        int64_t since_ms, int64_t until_ms,
                        std::function<void(Result<int64_t>)> done) {
  queue_.requeue_failed(workspace_id, webhook_id, since_ms, until_ms, clock_.now_ms(),
                        std::move(done));
}

void Lifecycle::webhook_changed(const std::string& webhook_id, bool enabled_again) {
  // First, so that the deliveries released below are not claimed with the old (disabled) copy.
  dispatcher_.webhook_changed(webhook_id);
  if (!enabled_again) return;
  // What the dispatcher held while the webhook was disabled is due again now. A failure leaves
  // them leased: they come back when their leases end.
  queue_.release_webhook(webhook_id, clock_.now_ms(), [webhook_id](Result<int64_t> released) {
    if (!released) {
      module_logger("delivery")
          ->error("releasing the held deliveries of webhook {} failed: {}", webhook_id,
                  released.error().message);
    }
  });
}

void Lifecycle::test_call(const Webhook& webhook, const TestSample& sample,
                          std::function<void(Result<TestReport>)> done) {
  TestReport report;
  const boost::json::object context =
      outbound::template_context(sample.event, sample.contact, webhook.spec.name, sample.journey);
  // An event about no contact (webhook.disabled) is sent as it really would be: contact null.
  const boost::json::object* contact =
      is_about_contact(sample.event.name) ? &sample.contact : nullptr;
  std::string body = outbound::build_body(sample.event, contact, webhook.spec.custom_payload,
                                          sample.journey, context, report.warnings);
  // The message id is a fresh UUID, as a real delivery's id is.
  auto request = outbound::build_request(webhook, sample.event.id, clock_.now_ms() / 1000,
                                         std::move(body), context, report.warnings);
  if (!request) return done(std::unexpected(request.error()));
  report.request = outbound::masked_for_display(*request, webhook);
  http_.send(std::move(*request), [report = std::move(report), done = std::move(done)](
                                      outbound::OutboundResult result) mutable {
    report.result = std::move(result);
    done(std::move(report));
  });
}

}  // namespace hookline::delivery

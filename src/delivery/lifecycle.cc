#include "delivery/lifecycle.h"

#include <memory>
#include <optional>
#include <utility>

#include "core/logger.h"
#include "outbound/payload.h"
#include "outbound/request_builder.h"

namespace hookline::delivery {

Lifecycle::Lifecycle(store::Store& store, Dispatcher& dispatcher, HttpClient& http,
                     const Clock& clock, std::string node_id)
    : store_(store),
      dispatcher_(dispatcher),
      http_(http),
      clock_(clock),
      node_id_(std::move(node_id)) {}

Result<int64_t> Lifecycle::recover_at_start() {
  return store_.release_leases_of(node_id_, clock_.now_ms());
}

void Lifecycle::retry(const std::string& workspace_id, const std::string& delivery_id,
                      std::function<void(Result<Delivery>)> done) {
  // Filled by the job on the writer's thread, read by `done` after it, on the same thread.
  auto requeued = std::make_shared<std::optional<Result<Delivery>>>();
  store_.write(
      [requeued, workspace_id, delivery_id,
       now = clock_.now_ms()](store::WriteTxn& txn) -> Result<void> {
        *requeued = txn.requeue_delivery(workspace_id, delivery_id, now);
        if (!**requeued) return std::unexpected((*requeued)->error());
        return {};
      },
      [requeued, done = std::move(done)](Result<void> committed) {
        if (!committed) return done(std::unexpected(committed.error()));
        // The dispatcher's poller claims it within its poll interval.
        done(std::move(**requeued));
      });
}

void Lifecycle::recover(const std::string& workspace_id, const std::string& webhook_id,
                        int64_t since_ms, int64_t until_ms,
                        std::function<void(Result<int64_t>)> done) {
  auto count = std::make_shared<int64_t>(0);
  store_.write(
      [count, workspace_id, webhook_id, since_ms, until_ms,
       now = clock_.now_ms()](store::WriteTxn& txn) -> Result<void> {
        auto requeued = txn.requeue_failed(workspace_id, webhook_id, since_ms, until_ms, now);
        if (!requeued) return std::unexpected(requeued.error());
        *count = *requeued;
        return {};
      },
      [count, done = std::move(done)](Result<void> committed) {
        if (!committed) return done(std::unexpected(committed.error()));
        done(*count);
      });
}

void Lifecycle::webhook_changed(const std::string& webhook_id, bool enabled_again) {
  // First, so that the deliveries released below are not claimed with the old (disabled) copy.
  dispatcher_.webhook_changed(webhook_id);
  if (!enabled_again) return;
  // What the dispatcher held while the webhook was disabled is due again now. A failure leaves
  // them leased: they come back when their leases end.
  store_.write(
      [webhook_id, now = clock_.now_ms()](store::WriteTxn& txn) -> Result<void> {
        auto released = txn.release_webhook_deliveries(webhook_id, now);
        if (!released) return std::unexpected(released.error());
        return {};
      },
      [webhook_id](Result<void> committed) {
        if (!committed) {
          module_logger("delivery")
              ->error("releasing the held deliveries of webhook {} failed: {}", webhook_id,
                      committed.error().message);
        }
      });
}

void Lifecycle::test_call(const Webhook& webhook, const TestSample& sample,
                          std::function<void(Result<TestReport>)> done) {
  TestReport report;
  const boost::json::object context =
      outbound::template_context(sample.event, sample.contact, webhook.spec.name, std::nullopt);
  std::string body = outbound::build_body(sample.event, sample.contact, webhook.spec.custom_payload,
                                          std::nullopt, context, report.warnings);
  auto request = outbound::build_request(webhook, "msg_" + sample.event.id, clock_.now_ms() / 1000,
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

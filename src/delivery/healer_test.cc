#include "delivery/healer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher_fixture.h"

namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

TEST(HealerBackoffTest, EachProbeWaitsTwiceAsLongUpToTheLongestInterval) {
  const HealerOptions options{.first_probe = milliseconds(1000),
                              .max_interval = milliseconds(10'000)};
  EXPECT_EQ(Healer::next_probe_at(options, 0, 5000), 6000);
  EXPECT_EQ(Healer::next_probe_at(options, 1, 5000), 7000);
  EXPECT_EQ(Healer::next_probe_at(options, 3, 5000), 13'000);
  EXPECT_EQ(Healer::next_probe_at(options, 4, 5000), 15'000);
  EXPECT_EQ(Healer::next_probe_at(options, 60, 5000), 15'000) << "capped, never overflowing";
}

// A webhook Hookline disabled, its receiver down and then back; the healer probes it with the
// Test request, leaves it disabled while the probes fail, then enables it again, and the
// dispatcher sends what it held.
class HealerTest : public DispatcherTest {
 protected:
  Webhook disabled(const std::string& id, const std::string& url, bool self_heal = true) {
    Webhook webhook = make_webhook(id, url);
    webhook.spec.enabled = false;
    webhook.spec.self_heal = self_heal;
    webhook.disabled_reason = "gone";
    webhook.disabled_at = clock_.now_ms() - 1000;
    store_.put_webhook(webhook);
    return webhook;
  }
};

TEST_F(HealerTest, AProbeAnswered200EnablesTheWebhookAndSendsWhatItHeld) {
  std::atomic<int> status{410};
  TestReceiver receiver([&status](const std::string&) { return respond(status.load()); });
  const Webhook webhook = disabled("wh_back", receiver.url());
  const Delivery held = committed(webhook);  // leased while the webhook was disabled
  auto dispatcher = start(options());
  Lifecycle lifecycle(store_, *dispatcher, http_, clock_, std::string(kTestNode));
  std::mutex news_mutex;
  std::vector<WebhookNews> news;
  Healer healer({.first_probe = milliseconds(100),
                 .max_interval = milliseconds(200),
                 .on_webhook_news =
                     [&](WebhookNews told) {
                       std::lock_guard lock(news_mutex);
                       news.push_back(std::move(told));
                     }},
                store_, lifecycle, clock_);
  healer.start();

  ASSERT_TRUE(eventually([&] { return healer.stats().probes >= 2; }));
  EXPECT_FALSE(store_.get_webhook(webhook.workspace_id, webhook.id)->spec.enabled);
  EXPECT_EQ(status_of(held), DeliveryStatus::kPending);
  const std::string probe = receiver.requests().front();
  EXPECT_NE(probe.find("testuser@example.com"), std::string::npos) << "the Test request's sample";

  status = 200;
  ASSERT_TRUE(reaches(held, DeliveryStatus::kSucceeded));
  const Webhook healed = store_.get_webhook(webhook.workspace_id, webhook.id).value();
  EXPECT_TRUE(healed.spec.enabled);
  EXPECT_EQ(healed.disabled_reason, "");
  EXPECT_GT(healed.healed_at, 0);
  EXPECT_EQ(healer.stats().healed, 1);
  healer.stop();
  std::lock_guard lock(news_mutex);
  ASSERT_EQ(news.size(), 1u) << "told once, when enabled again";
  EXPECT_TRUE(news[0].recovered);
  EXPECT_EQ(news[0].webhook_id, webhook.id);
  EXPECT_EQ(news[0].workspace_id, webhook.workspace_id);
  EXPECT_EQ(news[0].url, webhook.spec.url);
  EXPECT_EQ(news[0].at_ms, healed.healed_at);
}

TEST_F(HealerTest, AWebhookThatDoesNotSelfHealIsNeverProbed) {
  TestReceiver receiver(always(200));
  const Webhook webhook = disabled("wh_manual", receiver.url(), /*self_heal=*/false);
  auto dispatcher = start(options());
  Lifecycle lifecycle(store_, *dispatcher, http_, clock_, std::string(kTestNode));
  Healer healer({.first_probe = milliseconds(50)}, store_, lifecycle, clock_);
  healer.start();
  std::this_thread::sleep_for(milliseconds(400));
  healer.stop();
  EXPECT_EQ(healer.stats().probes, 0);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_FALSE(store_.get_webhook(webhook.workspace_id, webhook.id)->spec.enabled);
}

}  // namespace
}  // namespace hookline::delivery

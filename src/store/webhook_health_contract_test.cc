#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/ids.h"
#include "store/store_contract_fixture.h"

// The Store contract for what Hookline decides about a webhook's health, on both backends: the
// failing spell kept beside it (DeliveryQueue::share_breaker) and disabling it itself.
namespace hookline::store {
namespace {

using WebhookHealthContractTest = StoreContractTest;

class WebhookHealth : public WebhookHealthContractTest {
 protected:
  Webhook inserted(int64_t now_ms) {
    Webhook webhook;
    webhook.id = new_uuid_v7(now_ms);
    webhook.workspace_id = workspace_;
    webhook.secret = "whsec_abc";
    webhook.spec.name = "CRM";
    webhook.spec.url = "https://crm.example.com/hook";
    EXPECT_TRUE(store_->insert_webhook(webhook));
    return webhook;
  }
  // The spell as the store answers a breaker's news: opened at `opened_at`, or closed.
  int64_t breaker_news(const std::string& webhook_id, std::optional<int64_t> opened_at) {
    BreakerNews news{.node_id = "node-a", .webhook_id = webhook_id};
    if (opened_at) {
      news.open = true;
      news.interval_ms = 5000;
      news.open_until_ms = *opened_at + 5000;
      news.consecutive_failures = 5;
    }
    auto since = write<int64_t>([&](WriteTxn& txn) { return txn.share_breaker(news); });
    EXPECT_TRUE(since) << since.error().message;
    return since.value_or(-1);
  }
};

TEST_P(WebhookHealth, AFailingSpellStartsAtTheFirstOpeningAndEndsAtAClose) {
  const Webhook webhook = inserted(1000);
  EXPECT_EQ(breaker_news(webhook.id, 10'000), 10'000);
  EXPECT_EQ(breaker_news(webhook.id, 70'000), 10'000) << "a reopening keeps the spell's start";
  EXPECT_EQ(breaker_news(webhook.id, std::nullopt), 0);
  EXPECT_EQ(breaker_news(webhook.id, 90'000), 90'000) << "a new spell after a close";
  // Another store on the database (a restart, another node) reads the same spell.
  store_.reset();
  store_ = open_again(test_secret_box());
  EXPECT_EQ(breaker_news(webhook.id, 150'000), 90'000);
}

TEST_P(WebhookHealth, AUserSavingTheWebhookEnabledEndsTheSpell) {
  Webhook webhook = inserted(1000);
  ASSERT_EQ(breaker_news(webhook.id, 10'000), 10'000);
  webhook.spec.name = "CRM (fixed)";
  ASSERT_TRUE(store_->update_webhook(webhook));
  EXPECT_EQ(breaker_news(webhook.id, 40'000), 40'000);
}

TEST_P(WebhookHealth, ADeletedWebhookHasNoSpell) {
  const Webhook webhook = inserted(1000);
  ASSERT_EQ(breaker_news(webhook.id, 10'000), 10'000);
  ASSERT_TRUE(store_->delete_webhook(workspace_, webhook.id));
  EXPECT_EQ(breaker_news(webhook.id, 20'000), 0);
  EXPECT_EQ(breaker_news("no-such-webhook", 20'000), 0);
}

TEST_P(WebhookHealth, DisablingKeepsTheReasonUntilAUserEnablesItAgain) {
  const Webhook webhook = inserted(1000);
  auto disabled = store_->disable_webhook(workspace_, webhook.id, "failing", 50'000);
  ASSERT_TRUE(disabled);
  EXPECT_TRUE(*disabled);
  auto again = store_->disable_webhook(workspace_, webhook.id, "gone", 60'000);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "disabled already: the first reason stays";
  EXPECT_FALSE(*store_->disable_webhook("other-workspace", webhook.id, "gone", 60'000));

  Webhook stored = store_->get_webhook(workspace_, webhook.id).value();
  EXPECT_FALSE(stored.spec.enabled);
  EXPECT_EQ(stored.disabled_reason, "failing");
  EXPECT_EQ(stored.disabled_at, 50'000);

  stored.spec.name = "Renamed while off";  // saved disabled: the reason stays
  ASSERT_TRUE(store_->update_webhook(stored));
  EXPECT_EQ(store_->get_webhook(workspace_, webhook.id)->disabled_reason, "failing");
  stored.spec.enabled = true;
  ASSERT_TRUE(store_->update_webhook(stored));
  const Webhook enabled = store_->get_webhook(workspace_, webhook.id).value();
  EXPECT_TRUE(enabled.spec.enabled);
  EXPECT_EQ(enabled.disabled_reason, "");
  EXPECT_EQ(enabled.disabled_at, 0);
}

TEST_P(WebhookHealth, OnlyWebhooksHooklineDisabledThatSelfHealAreProbedWhenDue) {
  const Webhook gone = inserted(1000);
  const Webhook failing = inserted(2000);
  Webhook by_hand = inserted(3000);
  Webhook no_healing = inserted(4000);
  no_healing.spec.self_heal = false;
  ASSERT_TRUE(store_->update_webhook(no_healing));
  ASSERT_TRUE(*store_->disable_webhook(workspace_, gone.id, "gone", 100'000));
  ASSERT_TRUE(*store_->disable_webhook(workspace_, failing.id, "failing", 130'000));
  ASSERT_TRUE(*store_->disable_webhook(workspace_, no_healing.id, "gone", 100'000));
  by_hand.spec.enabled = false;  // a user's choice: never probed
  ASSERT_TRUE(store_->update_webhook(by_hand));

  // The first probe of each comes 60 s after it was disabled.
  EXPECT_TRUE(store_->webhooks_to_probe(159'999, 60'000, 10)->empty());
  auto due = store_->webhooks_to_probe(190'000, 60'000, 10);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].webhook.id, gone.id) << "the longest due first";
  EXPECT_EQ((*due)[0].probes, 0);
  EXPECT_EQ((*due)[0].next_probe_at, 0);
  EXPECT_EQ((*due)[0].webhook.secret, gone.secret) << "read whole, to send the probe";
  EXPECT_EQ((*due)[1].webhook.id, failing.id);
  EXPECT_EQ(store_->webhooks_to_probe(190'000, 60'000, 1)->size(), 1u);

  // Claimed once: a second claim of the same read (another node) is refused; the next probe is
  // due when the claim said.
  const store::ProbeDue first = (*due)[0];
  EXPECT_TRUE(*store_->claim_probe(first, 310'000));
  EXPECT_FALSE(*store_->claim_probe(first, 310'000));
  auto later = store_->webhooks_to_probe(300'000, 60'000, 10);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ((*later)[0].webhook.id, failing.id);
  auto again = store_->webhooks_to_probe(310'000, 60'000, 10);
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ((*again)[1].webhook.id, gone.id);
  EXPECT_EQ((*again)[1].probes, 1);
  EXPECT_EQ((*again)[1].next_probe_at, 310'000);
  EXPECT_TRUE(*store_->claim_probe((*again)[1], 550'000));
  EXPECT_EQ(store_->webhooks_to_probe(400'000, 60'000, 10)->size(), 1u);
}

TEST_P(WebhookHealth, HealingEnablesTheWebhookAndStartsItsHealthAfresh) {
  const Webhook webhook = inserted(1000);
  ASSERT_EQ(breaker_news(webhook.id, 10'000), 10'000);
  ASSERT_TRUE(*store_->disable_webhook(workspace_, webhook.id, "failing", 50'000));
  auto due = store_->webhooks_to_probe(200'000, 60'000, 10);
  ASSERT_EQ(due->size(), 1u);
  ASSERT_TRUE(*store_->claim_probe(due->front(), 400'000));

  auto healed = store_->heal_webhook(workspace_, webhook.id, 250'000);
  ASSERT_TRUE(healed) << healed.error().message;
  EXPECT_TRUE(*healed);
  const Webhook stored = store_->get_webhook(workspace_, webhook.id).value();
  EXPECT_TRUE(stored.spec.enabled);
  EXPECT_EQ(stored.disabled_reason, "");
  EXPECT_EQ(stored.healed_at, 250'000);
  EXPECT_FALSE(*store_->heal_webhook(workspace_, webhook.id, 260'000)) << "enabled already";
  EXPECT_EQ(breaker_news(webhook.id, 300'000), 300'000) << "the old spell ended";

  // Disabled again later: probed from its new start, the count from zero.
  ASSERT_TRUE(*store_->disable_webhook(workspace_, webhook.id, "gone", 500'000));
  EXPECT_TRUE(store_->webhooks_to_probe(559'999, 60'000, 10)->empty());
  auto next = store_->webhooks_to_probe(560'000, 60'000, 10);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ(next->front().probes, 0);
}

TEST_P(WebhookHealth, AUserChangeMeanwhileWinsOverHealing) {
  Webhook webhook = inserted(1000);
  ASSERT_TRUE(*store_->disable_webhook(workspace_, webhook.id, "gone", 50'000));
  Webhook stored = store_->get_webhook(workspace_, webhook.id).value();
  stored.spec.self_heal = false;  // the user turned self-healing off while a probe was out
  ASSERT_TRUE(store_->update_webhook(stored));
  EXPECT_FALSE(*store_->heal_webhook(workspace_, webhook.id, 60'000));
  EXPECT_FALSE(store_->get_webhook(workspace_, webhook.id)->spec.enabled);
}

INSTANTIATE_STORE_CONTRACT(WebhookHealth);

}  // namespace
}  // namespace hookline::store

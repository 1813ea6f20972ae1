#include <gtest/gtest.h>

#include <future>

#include "core/ids.h"
#include "store/store_contract_fixture.h"

// Webhook secrets at rest (store/webhook_secrets.h), on both backends: sealed in the row, plain
// to every reader, sealed in place at start when found in plaintext, refused under another key,
// and re-sealed by a rotation that can be run again.
namespace hookline::store {
namespace {

using SecretsContractTest = StoreContractTest;
INSTANTIATE_STORE_CONTRACT(SecretsContractTest);

std::shared_ptr<const SecretBox> box_of(const std::string& key,
                                        std::vector<std::string> others = {}) {
  return std::make_shared<const SecretBox>(*SecretBox::make(key, std::move(others)));
}

const std::string kOtherKey(SecretBox::kKeyBytes, 'o');

// The secrets a webhook of `index` holds: distinct per webhook, easy to search for.
std::string signing(int index) { return "whsec_signing-" + std::to_string(index); }
std::string password(int index) { return "password-" + std::to_string(index); }
std::string header_key(int index) { return "header-key-" + std::to_string(index); }

Webhook basic_webhook(const std::string& workspace, int index) {
  Webhook webhook;
  webhook.id = new_uuid_v7(3000 + index);
  webhook.workspace_id = workspace;
  webhook.secret = signing(index);
  webhook.spec.name = "Sealed " + std::to_string(index);
  webhook.spec.url = "https://example.com/hook";
  webhook.spec.auth = BasicAuth{"ana", password(index)};
  webhook.spec.headers = {{"X-Api-Key", header_key(index)}, {"X-Shop", "loja-1"}};
  webhook.spec.events = {"order.paid"};
  webhook.created_at = webhook.updated_at = 3000;
  return webhook;
}

void expect_plain(const Webhook& read, const Webhook& given) {
  EXPECT_EQ(read.secret, given.secret);
  EXPECT_EQ(read.previous_secret, given.previous_secret);
  if (const auto* basic = std::get_if<BasicAuth>(&given.spec.auth)) {
    ASSERT_TRUE(std::holds_alternative<BasicAuth>(read.spec.auth));
    EXPECT_EQ(std::get<BasicAuth>(read.spec.auth).password, basic->password);
    EXPECT_EQ(std::get<BasicAuth>(read.spec.auth).username, basic->username);
  }
  if (const auto* token = std::get_if<TokenAuth>(&given.spec.auth)) {
    ASSERT_TRUE(std::holds_alternative<TokenAuth>(read.spec.auth));
    EXPECT_EQ(std::get<TokenAuth>(read.spec.auth).token, token->token);
    EXPECT_EQ(std::get<TokenAuth>(read.spec.auth).header, token->header);
  }
  ASSERT_EQ(read.spec.headers.size(), given.spec.headers.size());
  for (size_t i = 0; i < given.spec.headers.size(); ++i) {
    EXPECT_EQ(read.spec.headers[i].name, given.spec.headers[i].name);
    EXPECT_EQ(read.spec.headers[i].value, given.spec.headers[i].value);
  }
}

std::string row_sql(const std::string& id) {
  return "SELECT auth || headers || secret || previous_secret FROM webhooks WHERE id = '" + id +
         "'";
}

TEST_P(SecretsContractTest, EveryReaderGetsTheSecretsAsTheyWereGiven) {
  Webhook basic = basic_webhook(workspace_, 1);
  ASSERT_TRUE(store_->insert_webhook(basic));
  auto rotated =
      store_->rotate_webhook_secret(workspace_, basic.id, "whsec_rotated-1", 9'000, 4000);
  ASSERT_TRUE(rotated) << rotated.error().message;
  basic.previous_secret = basic.secret;
  basic.secret = "whsec_rotated-1";
  expect_plain(*rotated, basic);

  Webhook token = basic_webhook(workspace_, 2);
  token.spec.auth = TokenAuth{"token-2", "X-Auth-Token", ""};
  ASSERT_TRUE(store_->insert_webhook(token));
  token.spec.headers.push_back({"Cookie", "session=cookie-2"});
  ASSERT_TRUE(store_->update_webhook(token));

  auto got = store_->get_webhook(workspace_, basic.id);
  ASSERT_TRUE(got) << got.error().message;
  expect_plain(*got, basic);
  auto listed = store_->list_webhooks(workspace_, {.limit = 10, .cursor = ""});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 2u);
  expect_plain(listed->items[0], basic);
  expect_plain(listed->items[1], token);
  auto found = write<std::optional<Webhook>>(
      [&](WriteTxn& txn) { return txn.find_webhook(workspace_, token.id); });
  ASSERT_TRUE(found && *found);
  expect_plain(**found, token);
  auto subscribed = write<std::shared_ptr<const std::vector<Webhook>>>(
      [&](WriteTxn& txn) { return txn.subscribed_webhooks(workspace_, "order.paid"); });
  ASSERT_TRUE(subscribed);
  ASSERT_EQ((*subscribed)->size(), 2u);
  expect_plain((**subscribed)[0], basic);
}

TEST_P(SecretsContractTest, TheRowHoldsNoSecretInPlaintext) {
  Webhook webhook = basic_webhook(workspace_, 1);
  ASSERT_TRUE(store_->insert_webhook(webhook));
  ASSERT_TRUE(
      store_->rotate_webhook_secret(workspace_, webhook.id, "whsec_rotated-1", 9'000, 4000));
  Webhook token = basic_webhook(workspace_, 2);
  token.spec.auth = TokenAuth{"token-2", "Authorization", "Bearer"};
  ASSERT_TRUE(store_->insert_webhook(token));

  const auto row = raw(row_sql(webhook.id));
  ASSERT_EQ(row.size(), 1u);
  for (const std::string& secret :
       {signing(1), std::string("whsec_rotated-1"), password(1), header_key(1)}) {
    EXPECT_EQ(row[0].find(secret), std::string::npos) << secret << " in " << row[0];
  }
  // What is not a secret stays readable: the username, an ordinary header.
  EXPECT_NE(row[0].find("\"ana\""), std::string::npos);
  EXPECT_NE(row[0].find("loja-1"), std::string::npos);
  const auto secret = raw("SELECT secret FROM webhooks WHERE id = '" + webhook.id + "'");
  EXPECT_TRUE(secret.at(0).starts_with("sealed:v1:" + test_secret_box()->current_key_id() + ":"))
      << secret.at(0);
  EXPECT_EQ(raw(row_sql(token.id)).at(0).find("token-2"), std::string::npos);
}

TEST_P(SecretsContractTest, APlaintextRowIsSealedAtStartAndReadsTheSame) {
  Webhook webhook = basic_webhook(workspace_, 1);
  webhook.previous_secret = "whsec_previous-1";
  ASSERT_TRUE(store_->insert_webhook(webhook));
  // As a database from before sealing holds it.
  raw("UPDATE webhooks SET auth = '{\"type\":\"basic\",\"username\":\"ana\",\"password\":\"" +
      password(1) + "\"}', headers = '[{\"name\":\"X-Api-Key\",\"value\":\"" + header_key(1) +
      "\"},{\"name\":\"X-Shop\",\"value\":\"loja-1\"}]', secret = '" + signing(1) +
      "', previous_secret = 'whsec_previous-1' WHERE id = '" + webhook.id + "'");
  ASSERT_NE(raw(row_sql(webhook.id)).at(0).find(password(1)), std::string::npos);
  // Read before the pass, plaintext is taken as it is (a node not upgraded yet wrote it).
  expect_plain(*store_->get_webhook(workspace_, webhook.id), webhook);

  auto report = store_->seal_secrets(SealMode::kAtStart);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->webhooks, 1);
  EXPECT_EQ(report->plaintext, 4);  // secret, previous secret, password, X-Api-Key
  EXPECT_EQ(report->resealed, 0);
  const std::string row = raw(row_sql(webhook.id)).at(0);
  for (const std::string& secret :
       {signing(1), std::string("whsec_previous-1"), password(1), header_key(1)}) {
    EXPECT_EQ(row.find(secret), std::string::npos) << secret << " in " << row;
  }
  expect_plain(*store_->get_webhook(workspace_, webhook.id), webhook);

  auto again = store_->seal_secrets(SealMode::kAtStart);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->plaintext, 0);
  EXPECT_EQ(again->values, 4);
}

TEST_P(SecretsContractTest, AnotherKeyFailsTheStartCheckAndEveryReadAndChangesNothing) {
  Webhook sealed = basic_webhook(workspace_, 1);
  ASSERT_TRUE(store_->insert_webhook(sealed));
  Webhook plain = basic_webhook(workspace_, 2);
  ASSERT_TRUE(store_->insert_webhook(plain));
  raw("UPDATE webhooks SET secret = '" + signing(2) + "' WHERE id = '" + plain.id + "'");

  auto other_box = box_of(kOtherKey);
  auto other = open_again(other_box);
  auto checked = other->seal_secrets(SealMode::kAtStart);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            "the secrets key does not open the stored webhook secrets (key id " +
                other_box->current_key_id() + ", stored with " +
                test_secret_box()->current_key_id() +
                "): start with the key they were sealed with");
  // The plaintext found in the same pass was not sealed with the wrong key.
  EXPECT_EQ(raw("SELECT secret FROM webhooks WHERE id = '" + plain.id + "'").at(0), signing(2));
  auto read = other->get_webhook(workspace_, sealed.id);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInternal);
  auto listed = other->list_webhooks(workspace_, {.limit = 10, .cursor = ""});
  EXPECT_FALSE(listed);
  auto subscribed = [&] {
    std::promise<Result<void>> done;
    other->write(
        [&](WriteTxn& txn) -> Result<void> {
          auto webhooks = txn.subscribed_webhooks(workspace_, "order.paid");
          if (!webhooks) return std::unexpected(webhooks.error());
          return {};
        },
        [&](Result<void> result) { done.set_value(std::move(result)); });
    return done.get_future().get();
  }();
  EXPECT_FALSE(subscribed);
  // The right key still opens everything.
  expect_plain(*store_->get_webhook(workspace_, sealed.id), sealed);
}

TEST_P(SecretsContractTest, ASealedValueCopiedToAnotherRowDoesNotOpenThere) {
  Webhook first = basic_webhook(workspace_, 1);
  Webhook second = basic_webhook(workspace_, 2);
  ASSERT_TRUE(store_->insert_webhook(first));
  ASSERT_TRUE(store_->insert_webhook(second));
  raw("UPDATE webhooks SET secret = (SELECT secret FROM webhooks WHERE id = '" + first.id +
      "') WHERE id = '" + second.id + "'");
  auto read = store_->get_webhook(workspace_, second.id);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInternal);
  EXPECT_NE(read.error().message.find(second.id), std::string::npos) << read.error().message;
  EXPECT_FALSE(store_->seal_secrets(SealMode::kAtStart));
  expect_plain(*store_->get_webhook(workspace_, first.id), first);
}

TEST_P(SecretsContractTest, ARotationResealsEverythingAndRunsAgainAfterAnInterruption) {
  // More rows than one rotation transaction takes.
  constexpr int kWebhooks = kRotateRowsPerCommit + 20;
  std::vector<Webhook> webhooks;
  for (int i = 0; i < kWebhooks; ++i) {
    webhooks.push_back(basic_webhook(workspace_, i));
    ASSERT_TRUE(store_->insert_webhook(webhooks.back()));
  }
  const std::string old_key = test_secrets_key();
  const std::string new_key(SecretBox::kKeyBytes, 'n');
  auto rotating = open_again(box_of(new_key, {old_key}));
  // An interrupted rotation: some rows sealed with the new key, the others with the old one.
  // Each opens while both keys are held.
  ASSERT_TRUE(rotating->update_webhook(webhooks[3]));
  ASSERT_TRUE(rotating->seal_secrets(SealMode::kAtStart));
  expect_plain(*rotating->get_webhook(workspace_, webhooks[3].id), webhooks[3]);
  expect_plain(*rotating->get_webhook(workspace_, webhooks[4].id), webhooks[4]);

  auto report = rotating->seal_secrets(SealMode::kRotate);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->webhooks, kWebhooks);
  EXPECT_EQ(report->values, 3 * kWebhooks);
  // All but the auth and headers update_webhook sealed with the new key.
  EXPECT_EQ(report->resealed, 3 * kWebhooks - 2);
  auto again = rotating->seal_secrets(SealMode::kRotate);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->resealed, 0);
  rotating.reset();

  auto after = open_again(box_of(new_key));
  ASSERT_TRUE(after->seal_secrets(SealMode::kAtStart));
  for (const Webhook& webhook : webhooks) {
    auto read = after->get_webhook(workspace_, webhook.id);
    ASSERT_TRUE(read) << read.error().message;
    expect_plain(*read, webhook);
  }
  auto with_old = store_->seal_secrets(SealMode::kAtStart);
  ASSERT_FALSE(with_old);
  EXPECT_NE(with_old.error().message.find("stored with " + SecretBox::key_id(new_key)),
            std::string::npos)
      << with_old.error().message;
}

}  // namespace
}  // namespace hookline::store

#include "store/webhook_secrets.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/webhook_codec.h"
#include "store/test_secrets.h"

namespace hookline::store {
namespace {

Webhook webhook_with_secrets() {
  Webhook webhook;
  webhook.id = "wh-1";
  webhook.secret = "whsec_current";
  webhook.spec.auth = BasicAuth{"ana", "s3cret"};
  webhook.spec.headers = {{"Authorization", "Bearer abc"},
                          {"X-Hub-Signature", "sha1=fixed"},
                          {"X-Shop", "loja-1"},
                          {"X-Empty-Token", ""}};
  return webhook;
}

TEST(WebhookSecretsTest, SealsExactlyTheSecretsAndOpensThemBack) {
  auto box = test_secret_box();
  const Webhook given = webhook_with_secrets();
  auto columns = sealed_columns(*box, given);
  ASSERT_TRUE(columns);
  EXPECT_TRUE(SecretBox::is_sealed(columns->secret));
  EXPECT_EQ(columns->previous_secret, "");  // none: stays empty
  for (const char* secret : {"s3cret", "Bearer abc", "sha1=fixed", "whsec_current"}) {
    EXPECT_EQ(columns->auth.find(secret), std::string::npos) << secret;
    EXPECT_EQ(columns->headers.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(columns->auth.find("\"ana\""), std::string::npos);
  EXPECT_NE(columns->headers.find("\"loja-1\""), std::string::npos);

  Webhook read;
  read.id = given.id;
  read.secret = columns->secret;
  read.spec.auth = auth_from_json(boost::json::parse(columns->auth));
  read.spec.headers = headers_from_json(boost::json::parse(columns->headers));
  ASSERT_TRUE(open_secrets(*box, read));
  EXPECT_EQ(read.secret, "whsec_current");
  EXPECT_EQ(std::get<BasicAuth>(read.spec.auth).password, "s3cret");
  EXPECT_EQ(read.spec.headers[0].value, "Bearer abc");
  EXPECT_EQ(read.spec.headers[1].value, "sha1=fixed");
  EXPECT_EQ(read.spec.headers[3].value, "");
}

TEST(WebhookSecretsTest, AValueSealedForAnotherRowIsAnErrorNotAnEmptySecret) {
  auto box = test_secret_box();
  Webhook read = webhook_with_secrets();
  read.secret = *sealed_value(*box, "wh-2", "whsec_current");
  auto opened = open_secrets(*box, read);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInternal);
  EXPECT_NE(opened.error().message.find("wh-1"), std::string::npos) << opened.error().message;
}

TEST(WebhookSecretsTest, AtStartPlaintextIsSealedAndSealedValuesAreOnlyChecked) {
  auto box = test_secret_box();
  const Webhook given = webhook_with_secrets();
  const SecretColumns sealed = *sealed_columns(*box, given);
  SealReport report;
  auto unchanged = resealed_columns(*box, given.id, sealed, SealMode::kAtStart, report);
  ASSERT_TRUE(unchanged);
  EXPECT_FALSE(*unchanged);
  EXPECT_EQ(report.values, 4);

  SecretColumns plain = sealed;
  plain.secret = "whsec_current";
  auto changed = resealed_columns(*box, given.id, plain, SealMode::kAtStart, report);
  ASSERT_TRUE(changed && *changed);
  EXPECT_EQ(report.plaintext, 1);
  EXPECT_TRUE(SecretBox::is_sealed((*changed)->secret));
  EXPECT_EQ((*changed)->auth, sealed.auth);  // what was sealed is kept as it was
}

TEST(WebhookSecretsTest, ARotationResealsOnlyWhatAnotherKeySealed) {
  auto old_box = test_secret_box();
  const std::string new_key(SecretBox::kKeyBytes, 'n');
  const SecretBox both = *SecretBox::make(new_key, {test_secrets_key()});
  const Webhook given = webhook_with_secrets();
  SealReport report;
  auto resealed =
      resealed_columns(both, given.id, *sealed_columns(*old_box, given), SealMode::kRotate, report);
  ASSERT_TRUE(resealed && *resealed);
  EXPECT_EQ(report.resealed, 4);
  EXPECT_EQ(SecretBox::key_id_of((*resealed)->secret), SecretBox::key_id(new_key));
  SealReport second;
  auto again = resealed_columns(both, given.id, **resealed, SealMode::kRotate, second);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(second.resealed, 0);
}

}  // namespace
}  // namespace hookline::store

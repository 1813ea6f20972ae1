#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"

namespace hookline::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hookline-store-" + random_token(6));
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<SqliteStore>((dir_ / "test.db").string());
    ASSERT_TRUE(store_->migrate());
    auto workspace = store_->default_workspace_id(1000);
    ASSERT_TRUE(workspace);
    workspace_ = *workspace;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Contact contact(std::string email) {
    Contact c;
    c.id = new_uuid_v7(2000);
    c.workspace_id = workspace_;
    c.email = std::move(email);
    c.created_at = c.updated_at = 2000;
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::string workspace_;
};

TEST_F(SqliteStoreTest, MigrateTwiceAppliesNothingTheSecondTime) {
  auto again = store_->migrate();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

TEST_F(SqliteStoreTest, DefaultWorkspaceIsStable) {
  EXPECT_EQ(*store_->default_workspace_id(5000), workspace_);
}

TEST_F(SqliteStoreTest, WebhookRoundTripsEveryField) {
  Webhook webhook;
  webhook.id = new_uuid_v7(3000);
  webhook.workspace_id = workspace_;
  webhook.secret = "whsec_abc";
  webhook.spec.name = "Billing";
  webhook.spec.url = "https://billing.example.com/{{contact.id}}";
  webhook.spec.method = "PUT";
  webhook.spec.auth = TokenAuth{"t0k", "X-Api-Key", ""};
  webhook.spec.headers = {{"X-Shop", "loja-1"}};
  webhook.spec.custom_payload = boost::json::object{{"salário", "{{contact.salary}}"}};
  webhook.spec.events = {"list.add_contact", "contact.create"};
  webhook.spec.timeout_ms = 2000;
  ASSERT_TRUE(store_->insert_webhook(webhook));

  auto stored = store_->get_webhook(workspace_, webhook.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->spec.method, "PUT");
  const auto& token = std::get<TokenAuth>(stored->spec.auth);
  EXPECT_EQ(token.header, "X-Api-Key");
  EXPECT_EQ(token.prefix, "");
  EXPECT_EQ(stored->spec.headers.at(0).value, "loja-1");
  EXPECT_EQ(stored->spec.custom_payload->at("salário").as_string(), "{{contact.salary}}");
  EXPECT_EQ(stored->spec.events, webhook.spec.events);
  EXPECT_EQ(stored->spec.timeout_ms, 2000);
}

TEST_F(SqliteStoreTest, WebhookOfAnotherWorkspaceIsNotFound) {
  auto missing = store_->get_webhook("other", "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(SqliteStoreTest, UpsertByEmailMergesProperties) {
  Contact first = contact("maria@example.com");
  first.first_name = "Maria";
  first.properties = {{"salário", "123"}};
  auto created = store_->upsert_contact(first);
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->created);

  Contact second = contact("maria@example.com");
  second.properties = {{"idade", 12}};
  auto updated = store_->upsert_contact(second);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(updated->contact.id, first.id);
  EXPECT_EQ(updated->contact.first_name, "Maria");
  EXPECT_EQ(updated->contact.properties.at("salário").as_string(), "123");
  EXPECT_EQ(updated->contact.properties.at("idade").as_int64(), 12);
}

TEST_F(SqliteStoreTest, AddingAnUnknownContactAddsNobody) {
  auto maria = store_->upsert_contact(contact("maria@example.com"));
  ASSERT_TRUE(maria);
  ContactList list{new_uuid_v7(4000), workspace_, "Test", 0, 4000};
  ASSERT_TRUE(store_->insert_list(list));

  auto added = store_->add_list_members(workspace_, list.id, {maria->contact.id, "ghost"}, 4000);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(store_->get_list(workspace_, list.id)->member_count, 0);

  added = store_->add_list_members(workspace_, list.id, {maria->contact.id, maria->contact.id}, 4000);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->size(), 1u);
  EXPECT_EQ(store_->get_list(workspace_, list.id)->member_count, 1);
}

TEST_F(SqliteStoreTest, PagesFollowTheCursor) {
  for (int i = 0; i < 5; ++i) {
    Contact c = contact("c" + std::to_string(i) + "@example.com");
    c.id = new_uuid_v7(2000 + i);
    ASSERT_TRUE(store_->upsert_contact(c));
  }
  auto first = store_->list_contacts(workspace_, {2, ""});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].email, "c0@example.com");
  auto last = store_->list_contacts(workspace_, {3, first->next_cursor});
  ASSERT_TRUE(last);
  EXPECT_EQ(last->items.size(), 3u);
  EXPECT_EQ(last->items[0].email, "c2@example.com");
  EXPECT_TRUE(last->next_cursor.empty());
}

}  // namespace
}  // namespace hookline::store::sqlite

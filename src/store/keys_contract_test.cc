#include <gtest/gtest.h>

#include "core/api_key.h"
#include "core/ids.h"
#include "store/store_contract_fixture.h"

// The Store contract for workspaces, API keys and the audit log, on both backends.
namespace hookline::store {
namespace {

using KeysContractTest = StoreContractTest;

ApiKey key_of(const std::string& workspace, std::string name, KeyScope scope, int64_t now_ms,
              std::optional<int64_t> expires_at = std::nullopt) {
  return new_api_key(new_api_key_text(), workspace, std::move(name), scope, false, now_ms,
                     expires_at);
}

TEST_P(KeysContractTest, AKeyReadsBackByItsHashWithEveryField) {
  const std::string text = new_api_key_text();
  const ApiKey key = new_api_key(text, workspace_, "ci", KeyScope::kIngest, false, 5000, 90000);
  ASSERT_TRUE(store_->add_api_key(key, sha256_hex(text)));

  auto found = store_->find_api_key(sha256_hex(text));
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  const ApiKey& stored = **found;
  EXPECT_EQ(stored.id, key.id);
  EXPECT_EQ(stored.workspace_id, workspace_);
  EXPECT_EQ(stored.name, "ci");
  EXPECT_EQ(stored.scope, KeyScope::kIngest);
  EXPECT_FALSE(stored.instance);
  EXPECT_EQ(stored.prefix, text.substr(0, kApiKeyPrefixSize));
  EXPECT_EQ(stored.created_at, 5000);
  EXPECT_EQ(stored.expires_at, 90000);
  EXPECT_FALSE(stored.last_used_at.has_value());
  EXPECT_FALSE(stored.revoked_at.has_value());

  EXPECT_FALSE(store_->find_api_key(sha256_hex("hk_unknown"))->has_value());
}

TEST_P(KeysContractTest, AKeyGivenAgainIsKeptAsItWas) {
  const ApiKey first =
      new_api_key("operator-key", workspace_, "--api-key", KeyScope::kAdmin, true, 1000);
  ASSERT_TRUE(store_->add_api_key(first, sha256_hex("operator-key")));
  const ApiKey again =
      new_api_key("operator-key", workspace_, "--api-key", KeyScope::kAdmin, true, 2000);
  ASSERT_TRUE(store_->add_api_key(again, sha256_hex("operator-key")));
  auto stored = store_->find_api_key(sha256_hex("operator-key"));
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->id, first.id);
  EXPECT_TRUE((*stored)->instance);
  EXPECT_EQ((*stored)->prefix, "");  // too short a key to show a part of
}

TEST_P(KeysContractTest, RevokedKeysLeaveTheListButStillReadBack) {
  const std::string text = new_api_key_text();
  const ApiKey gone = new_api_key(text, workspace_, "old", KeyScope::kWrite, false, 1000);
  ASSERT_TRUE(store_->add_api_key(gone, sha256_hex(text)));
  const ApiKey kept = key_of(workspace_, "new", KeyScope::kRead, 1000);
  ASSERT_TRUE(store_->add_api_key(kept, sha256_hex("kept-key-text-long-enough-to-show")));

  auto revoked = store_->revoke_api_key(workspace_, gone.id, false, 7000);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->key_hash, sha256_hex(text));
  EXPECT_EQ(revoked->name, "old");
  auto again = store_->revoke_api_key(workspace_, gone.id, false, 8000);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);

  auto listed = store_->list_api_keys(workspace_, {});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].id, kept.id);
  auto stored = store_->find_api_key(sha256_hex(text));
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->revoked_at, 7000);
}

TEST_P(KeysContractTest, OnlyAnInstanceKeyRevokesAnInstanceKey) {
  const ApiKey instance =
      new_api_key(new_api_key_text(), workspace_, "root", KeyScope::kAdmin, true, 1000);
  ASSERT_TRUE(store_->add_api_key(instance, sha256_hex("root-key")));
  auto refused = store_->revoke_api_key(workspace_, instance.id, false, 2000);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->revoke_api_key(workspace_, instance.id, true, 2000));
}

TEST_P(KeysContractTest, KeysAndWorkspacesStayInTheirWorkspace) {
  const Workspace other{new_uuid_v7(2000), "Loja 2", 2000};
  ASSERT_TRUE(store_->insert_workspace(other));
  auto got = store_->get_workspace(other.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "Loja 2");
  EXPECT_EQ(store_->get_workspace("nope").error().code, ErrorCode::kNotFound);
  auto workspaces = store_->list_workspaces({});
  ASSERT_TRUE(workspaces);
  EXPECT_EQ(workspaces->items.size(), 2u);
  // The default stays the oldest.
  EXPECT_EQ(*store_->default_workspace_id(9000), workspace_);

  const ApiKey theirs = key_of(other.id, "theirs", KeyScope::kAdmin, 3000);
  ASSERT_TRUE(store_->add_api_key(theirs, sha256_hex("their-key-text-long-enough")));
  EXPECT_TRUE(store_->list_api_keys(workspace_, {})->items.empty());
  EXPECT_EQ(store_->list_api_keys(other.id, {})->items.size(), 1u);
  auto revoked = store_->revoke_api_key(workspace_, theirs.id, true, 4000);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, ErrorCode::kNotFound);
}

TEST_P(KeysContractTest, ALastUseIsRecorded) {
  const ApiKey key = key_of(workspace_, "app", KeyScope::kIngest, 1000);
  ASSERT_TRUE(store_->add_api_key(key, sha256_hex("app-key-text-long-enough-here")));
  ASSERT_TRUE(store_->record_api_key_use(key.id, 65000));
  auto listed = store_->list_api_keys(workspace_, {});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].last_used_at, 65000);
}

TEST_P(KeysContractTest, TheAuditLogIsNewestFirstFilteredAndPagedPerWorkspace) {
  auto entry = [&](int64_t time, std::string action, std::string type, std::string id,
                   std::string workspace) {
    return AuditEntry{
        new_uuid_v7(time), std::move(workspace), time,          "key-1",          "admin",
        std::move(action), std::move(type),      std::move(id), R"({"name":"x"})"};
  };
  ASSERT_TRUE(store_->append_audit(entry(1000, "create", "webhook", "w1", workspace_)));
  ASSERT_TRUE(store_->append_audit(entry(2000, "update", "webhook", "w1", workspace_)));
  ASSERT_TRUE(store_->append_audit(entry(3000, "create", "list", "l1", workspace_)));
  ASSERT_TRUE(store_->append_audit(entry(4000, "create", "webhook", "w9", "other-workspace")));

  auto all = store_->list_audit(workspace_, {}, {.limit = 2, .cursor = ""});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->items.size(), 2u);
  EXPECT_EQ(all->items[0].time, 3000);
  EXPECT_EQ(all->items[1].time, 2000);
  EXPECT_EQ(all->items[1].changes, R"({"name":"x"})");
  auto rest = store_->list_audit(workspace_, {}, {.limit = 2, .cursor = all->next_cursor});
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].time, 1000);
  EXPECT_TRUE(rest->next_cursor.empty());

  AuditFilter by_type;
  by_type.resource_type = "webhook";
  auto webhooks = store_->list_audit(workspace_, by_type, {});
  ASSERT_TRUE(webhooks);
  EXPECT_EQ(webhooks->items.size(), 2u);
  AuditFilter by_action_and_id;
  by_action_and_id.action = "create";
  by_action_and_id.resource_id = "w1";
  auto creates = store_->list_audit(workspace_, by_action_and_id, {});
  ASSERT_TRUE(creates);
  ASSERT_EQ(creates->items.size(), 1u);
  EXPECT_EQ(creates->items[0].time, 1000);
}

INSTANTIATE_STORE_CONTRACT(KeysContractTest);

}  // namespace
}  // namespace hookline::store

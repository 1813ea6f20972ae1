#include "store/webhook_secrets.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <variant>

#include "core/header_rules.h"
#include "core/webhook_codec.h"

namespace hookline::store {
namespace json = boost::json;

namespace {

using Visit = std::function<Result<void>(std::string& value)>;

// Calls `visit` on every secret of `webhook` that is not empty. The one list of what is sealed.
Result<void> for_each_secret(Webhook& webhook, const Visit& visit) {
  std::vector<std::string*> values = {&webhook.secret, &webhook.previous_secret};
  if (auto* basic = std::get_if<BasicAuth>(&webhook.spec.auth)) values.push_back(&basic->password);
  if (auto* token = std::get_if<TokenAuth>(&webhook.spec.auth)) values.push_back(&token->token);
  for (HeaderTemplate& header : webhook.spec.headers) {
    if (is_credential_header(header.name)) values.push_back(&header.value);
  }
  for (std::string* value : values) {
    if (value->empty()) continue;
    if (auto r = visit(*value); !r) return r;
  }
  return {};
}

Error unopened(const SecretBox& box, const std::string& webhook_id, const std::string& value,
               const Error& why) {
  const std::string stored_with = SecretBox::key_id_of(value);
  if (stored_with.empty()) {
    return {ErrorCode::kInternal,
            "a stored secret of webhook " + webhook_id + " starts with \"" +
                std::string(SecretBox::kPrefix) + "\" but is not a sealed value",
            {}};
  }
  if (!box.holds(stored_with)) {
    return {ErrorCode::kInternal,
            "the secrets key does not open the stored webhook secrets (key id " +
                box.current_key_id() + ", stored with " + stored_with +
                "): start with the key they were sealed with",
            {}};
  }
  return {ErrorCode::kInternal,
          "a stored secret of webhook " + webhook_id + " (key id " + stored_with +
              ") does not open: " + why.message,
          {}};
}

Result<std::string> open_value(const SecretBox& box, const std::string& webhook_id,
                               const std::string& value) {
  auto opened = box.open(value, webhook_id);
  if (!opened) return std::unexpected(unopened(box, webhook_id, value, opened.error()));
  return opened;
}

// The webhook a row's secret columns describe, enough for for_each_secret.
Webhook from_columns(const std::string& webhook_id, const SecretColumns& columns) {
  Webhook webhook;
  webhook.id = webhook_id;
  webhook.spec.auth = auth_from_json(json::parse(columns.auth));
  webhook.spec.headers = headers_from_json(json::parse(columns.headers));
  webhook.secret = columns.secret;
  webhook.previous_secret = columns.previous_secret;
  return webhook;
}

SecretColumns to_columns(const Webhook& webhook) {
  return {json::serialize(auth_to_json(webhook.spec.auth)),
          json::serialize(headers_to_json(webhook.spec.headers)), webhook.secret,
          webhook.previous_secret};
}

}  // namespace

Result<SecretColumns> sealed_columns(const SecretBox& box, const Webhook& webhook) {
  Webhook sealed = webhook;
  auto done = for_each_secret(sealed, [&](std::string& value) -> Result<void> {
    auto s = box.seal(value, webhook.id);
    if (!s) return std::unexpected(s.error());
    value = std::move(*s);
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return to_columns(sealed);
}

Result<std::string> sealed_value(const SecretBox& box, const std::string& webhook_id,
                                 const std::string& value) {
  if (value.empty()) return value;
  return box.seal(value, webhook_id);
}

Result<void> open_secrets(const SecretBox& box, Webhook& webhook) {
  return for_each_secret(webhook, [&](std::string& value) -> Result<void> {
    if (!SecretBox::is_sealed(value)) return {};
    auto opened = open_value(box, webhook.id, value);
    if (!opened) return std::unexpected(opened.error());
    value = std::move(*opened);
    return {};
  });
}

Result<std::optional<SecretColumns>> resealed_columns(const SecretBox& box,
                                                      const std::string& webhook_id,
                                                      const SecretColumns& stored, SealMode mode,
                                                      SealReport& report) {
  ++report.webhooks;
  Webhook webhook = from_columns(webhook_id, stored);
  bool changed = false;
  auto done = for_each_secret(webhook, [&](std::string& value) -> Result<void> {
    ++report.values;
    const bool sealed = SecretBox::is_sealed(value);
    std::string plain = value;
    if (sealed) {
      // Every sealed value is opened, whether or not it is sealed again: this is the start-up
      // check that the key is the right one.
      auto opened = open_value(box, webhook_id, value);
      if (!opened) return std::unexpected(opened.error());
      if (mode == SealMode::kAtStart || SecretBox::key_id_of(value) == box.current_key_id()) {
        return {};
      }
      plain = std::move(*opened);
    }
    auto resealed = box.seal(plain, webhook_id);
    if (!resealed) return std::unexpected(resealed.error());
    value = std::move(*resealed);
    ++(sealed ? report.resealed : report.plaintext);
    changed = true;
    return {};
  });
  if (!done) return std::unexpected(done.error());
  if (!changed) return std::nullopt;
  return to_columns(webhook);
}

}  // namespace hookline::store

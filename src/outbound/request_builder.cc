#include "outbound/request_builder.h"

#include <algorithm>

#include "core/base64.h"
#include "core/header_rules.h"
#include "outbound/signature.h"

namespace hookline::outbound {
namespace {

// Where the authentication goes, and the value it puts there; empty name when there is none.
std::pair<std::string, std::string> auth_header(const WebhookAuth& auth) {
  if (const auto* basic = std::get_if<BasicAuth>(&auth)) {
    return {"Authorization", "Basic " + base64_encode(basic->username + ":" + basic->password)};
  }
  if (const auto* token = std::get_if<TokenAuth>(&auth)) {
    return {token->header,
            token->prefix.empty() ? token->token : token->prefix + " " + token->token};
  }
  return {};
}

}  // namespace

Result<OutboundRequest> build_request(const Webhook& webhook, std::string_view message_id,
                                      int64_t timestamp_s, std::string body,
                                      const boost::json::object& context,
                                      templates::Warnings& warnings) {
  const WebhookSpec& spec = webhook.spec;
  OutboundRequest request;
  request.method = spec.method;
  request.total_timeout = std::chrono::milliseconds(spec.timeout_ms);

  auto url_template = templates::Template::parse(spec.url);
  if (!url_template) {
    return std::unexpected(
        Error{ErrorCode::kUnprocessable, "url: " + url_template.error().message, "url"});
  }
  auto url = templates::render_url(*url_template, context, warnings);
  if (!url) return std::unexpected(Error{ErrorCode::kUnprocessable, "url: " + url.error(), "url"});
  request.url = std::move(*url);

  auto& headers = request.headers;
  // A custom Content-Type or User-Agent replaces the default rather than being sent beside it.
  auto custom = [&spec](std::string_view name) {
    return std::ranges::any_of(spec.headers, [&](const auto& h) { return iequals(h.name, name); });
  };
  if (!custom("Content-Type"))
    headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  if (!custom("User-Agent")) headers.emplace_back("User-Agent", std::string(kUserAgent));
  if (auto [name, value] = auth_header(spec.auth); !name.empty()) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  for (const HeaderTemplate& header : spec.headers) {
    auto value_template = templates::Template::parse(header.value);
    std::string value =
        value_template ? value_template->render_text(context, warnings) : header.value;
    // A substituted value could carry a line break that the saved template did not.
    if (has_line_break(value)) {
      warnings.push_back("header " + header.name + " had a line break and was not sent");
      continue;
    }
    headers.emplace_back(header.name, std::move(value));
  }

  auto signature = sign(webhook.secret, message_id, timestamp_s, body);
  if (!signature) {
    return std::unexpected(Error{ErrorCode::kInternal, "cannot sign: " + signature.error(), {}});
  }
  // During a rotation receivers may still hold the old secret: both signatures, space-separated.
  if (!webhook.previous_secret.empty() && timestamp_s * 1000 < webhook.previous_secret_expires_at) {
    auto previous = sign(webhook.previous_secret, message_id, timestamp_s, body);
    if (!previous) {
      return std::unexpected(Error{ErrorCode::kInternal, "cannot sign: " + previous.error(), {}});
    }
    *signature += " " + *previous;
  }
  headers.emplace_back("webhook-id", std::string(message_id));
  headers.emplace_back("webhook-timestamp", std::to_string(timestamp_s));
  headers.emplace_back("webhook-signature", std::move(*signature));
  request.body = std::move(body);
  return request;
}

OutboundRequest masked_for_display(const OutboundRequest& request, const Webhook& webhook) {
  OutboundRequest masked = request;
  const std::string auth_name = auth_header(webhook.spec.auth).first;
  // Keep only the scheme ("Basic", "Bearer"): a bare token shows nothing of itself.
  std::string scheme = "Basic ";
  if (const auto* token = std::get_if<TokenAuth>(&webhook.spec.auth)) {
    scheme = token->prefix.empty() ? "" : token->prefix + " ";
  }
  for (auto& [name, value] : masked.headers) {
    if (!auth_name.empty() && iequals(name, auth_name)) {
      value = scheme + "****";
    } else if (is_credential_header(name)) {
      value = "****";
    }
  }
  return masked;
}

}  // namespace hookline::outbound

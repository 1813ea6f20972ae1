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

// HTTP header values are ASCII: a receiver reads other bytes as Latin-1 at best, so "→" in a
// journey's name would arrive as "â\u0086\u0092". Each byte of a non-ASCII character is sent as
// %XX instead (the UTF-8 bytes, as in a URL), and "%" itself as %25 so that the value decodes
// back exactly. A value that is all ASCII goes as it is. True when it changed anything.
bool percent_encode_non_ascii(std::string& value) {
  if (std::ranges::all_of(value, [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return false;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(value.size() * 3);
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && c != '%') {
      encoded += c;
      continue;
    }
    encoded += '%';
    encoded += kHex[byte >> 4];
    encoded += kHex[byte & 0x0F];
  }
  value = std::move(encoded);
  return true;
}

}  // namespace

CompiledWebhook CompiledWebhook::compile(Webhook webhook) {
  auto url = templates::Template::parse(webhook.spec.url);
  auto signer = Signer::create(webhook.secret);
  std::optional<std::expected<Signer, std::string>> previous;
  if (!webhook.previous_secret.empty()) previous = Signer::create(webhook.previous_secret);
  CompiledWebhook compiled(std::move(webhook), std::move(url), std::move(signer),
                           std::move(previous));
  const WebhookSpec& spec = compiled.webhook_.spec;
  const auto has_placeholder = [](std::string_view text) {
    return text.find("{{") != std::string_view::npos;
  };
  compiled.needs_context_ = has_placeholder(spec.url);
  if (compiled.url_ && !compiled.url_->has_placeholders()) {
    templates::Warnings none;  // only placeholders warn
    compiled.fixed_url_ = templates::render_url(*compiled.url_, {}, none);
  }

  // A custom Content-Type or User-Agent replaces the default rather than being sent beside it.
  auto custom = [&spec](std::string_view name) {
    return std::ranges::any_of(spec.headers, [&](const auto& h) { return iequals(h.name, name); });
  };
  auto& fixed = compiled.fixed_headers_;
  if (!custom("Content-Type")) fixed.emplace_back("Content-Type", "application/json;charset=UTF-8");
  if (!custom("User-Agent")) fixed.emplace_back("User-Agent", std::string(kUserAgent));
  if (auto [name, value] = auth_header(spec.auth); !name.empty()) {
    fixed.emplace_back(std::move(name), std::move(value));
  }
  for (const HeaderTemplate& header : spec.headers) {
    compiled.needs_context_ = compiled.needs_context_ || has_placeholder(header.value);
    compiled.headers_.push_back(
        {header.name, templates::Template::parse(header.value), header.value});
  }
  return compiled;
}

Result<OutboundRequest> CompiledWebhook::request(std::string_view message_id, int64_t timestamp_s,
                                                 std::string body,
                                                 const boost::json::object& context,
                                                 templates::Warnings& warnings) const {
  const WebhookSpec& spec = webhook_.spec;
  OutboundRequest request;
  request.method = spec.method;
  request.total_timeout = std::chrono::milliseconds(spec.timeout_ms);

  if (!url_) {
    return std::unexpected(Error{ErrorCode::kUnprocessable, "url: " + url_.error().message, "url"});
  }
  auto url = fixed_url_ ? *fixed_url_ : templates::render_url(*url_, context, warnings);
  if (!url) return std::unexpected(Error{ErrorCode::kUnprocessable, "url: " + url.error(), "url"});
  request.url = std::move(*url);

  auto& headers = request.headers;
  headers = fixed_headers_;
  for (const Header& header : headers_) {
    std::string value = header.value ? header.value->render_text(context, warnings) : header.text;
    // A substituted value could carry a line break that the saved template did not.
    if (has_line_break(value)) {
      warnings.push_back("header " + header.name + " had a line break and was not sent");
      continue;
    }
    if (percent_encode_non_ascii(value)) {
      warnings.push_back("header " + header.name +
                         " had characters outside ASCII, sent percent-encoded (UTF-8)");
    }
    headers.emplace_back(header.name, std::move(value));
  }

  if (!signer_)
    return std::unexpected(Error{ErrorCode::kInternal, "cannot sign: " + signer_.error(), {}});
  auto signature = signer_->sign(message_id, timestamp_s, body);
  if (!signature) {
    return std::unexpected(Error{ErrorCode::kInternal, "cannot sign: " + signature.error(), {}});
  }
  // During a rotation receivers may still hold the old secret: both signatures, space-separated.
  if (previous_signer_ && timestamp_s * 1000 < webhook_.previous_secret_expires_at) {
    if (!*previous_signer_) {
      return std::unexpected(
          Error{ErrorCode::kInternal, "cannot sign: " + previous_signer_->error(), {}});
    }
    auto previous = (*previous_signer_)->sign(message_id, timestamp_s, body);
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

Result<OutboundRequest> build_request(const Webhook& webhook, std::string_view message_id,
                                      int64_t timestamp_s, std::string body,
                                      const boost::json::object& context,
                                      templates::Warnings& warnings) {
  return CompiledWebhook::compile(webhook).request(message_id, timestamp_s, std::move(body),
                                                   context, warnings);
}

OutboundRequest masked_for_display(const OutboundRequest& request, const Webhook& webhook) {
  OutboundRequest masked = request;
  masked.headers = masked_headers(request.headers, webhook);
  return masked;
}

std::vector<std::pair<std::string, std::string>> masked_headers(
    const std::vector<std::pair<std::string, std::string>>& headers, const Webhook& webhook) {
  std::vector<std::pair<std::string, std::string>> masked = headers;
  const std::string auth_name = auth_header(webhook.spec.auth).first;
  // Keep only the scheme ("Basic", "Bearer"): a bare token shows nothing of itself.
  std::string scheme = "Basic ";
  if (const auto* token = std::get_if<TokenAuth>(&webhook.spec.auth)) {
    scheme = token->prefix.empty() ? "" : token->prefix + " ";
  }
  for (auto& [name, value] : masked) {
    if (!auth_name.empty() && iequals(name, auth_name)) {
      value = scheme + "****";
    } else if (is_credential_header(name)) {
      value = "****";
    }
  }
  return masked;
}

}  // namespace hookline::outbound

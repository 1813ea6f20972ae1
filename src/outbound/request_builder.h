#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/webhook.h"
#include "outbound/call.h"
#include "outbound/signature.h"
#include "templates/template.h"

namespace hookline::outbound {

// A webhook made ready to be called many times: its URL and header templates parsed, its fixed
// headers (Content-Type, User-Agent, authentication) built and its signing keys set up once. The
// dispatcher keeps one per webhook while it caches the webhook's configuration, so a try only
// renders and signs. Immutable once made: share it freely between threads.
class CompiledWebhook {
 public:
  // Never fails: what cannot be used (a URL template that does not parse, a malformed secret) is
  // reported by every request() instead, as a call that cannot be made.
  static CompiledWebhook compile(Webhook webhook);

  const Webhook& webhook() const { return webhook_; }

  // Whether the URL or a header has a placeholder, so that rendering them reads the context:
  // most webhooks' do not, and a try then need not rebuild the context from the stored body.
  bool needs_context() const { return needs_context_; }

  // The request of one call (SPEC 3): the URL rendered with each value percent-encoded for its
  // part, Content-Type, User-Agent, authentication, the custom headers rendered against `context`,
  // and the Standard Webhooks headers signing `body` as message `message_id` at `timestamp_s`
  // (during a secret's rotation, signed with both secrets). A URL that does not render to an
  // absolute http/https URL is kUnprocessable on field "url"; missing values add warnings.
  Result<OutboundRequest> request(std::string_view message_id, int64_t timestamp_s,
                                  std::string body, const boost::json::object& context,
                                  templates::Warnings& warnings) const;

 private:
  // A custom header; `value` is what is sent as written when its text is not a valid template.
  struct Header {
    std::string name;
    std::expected<templates::Template, templates::SyntaxError> value;
    std::string text;
  };

  CompiledWebhook(Webhook webhook, std::expected<templates::Template, templates::SyntaxError> url,
                  std::expected<Signer, std::string> signer,
                  std::optional<std::expected<Signer, std::string>> previous_signer)
      : webhook_(std::move(webhook)),
        url_(std::move(url)),
        signer_(std::move(signer)),
        previous_signer_(std::move(previous_signer)) {}

  Webhook webhook_;
  std::expected<templates::Template, templates::SyntaxError> url_;
  // A URL without placeholders renders the same every time: rendered and checked once.
  std::optional<std::expected<std::string, std::string>> fixed_url_;
  std::vector<std::pair<std::string, std::string>> fixed_headers_;
  std::vector<Header> headers_;
  std::expected<Signer, std::string> signer_;
  std::optional<std::expected<Signer, std::string>> previous_signer_;  // during a rotation
  bool needs_context_ = false;
};

// One call's request for a webhook called once (the Test button): the webhook compiled and its
// request() made.
Result<OutboundRequest> build_request(const Webhook& webhook, std::string_view message_id,
                                      int64_t timestamp_s, std::string body,
                                      const boost::json::object& context,
                                      templates::Warnings& warnings);

// The same request with credentials hidden, to show or log: the authentication header's value
// keeps only its scheme ("Basic ****"), other credential headers become "****".
OutboundRequest masked_for_display(const OutboundRequest& request, const Webhook& webhook);
// Only its headers, so masked: what a delivery's attempt records, without copying the body.
std::vector<std::pair<std::string, std::string>> masked_headers(
    const std::vector<std::pair<std::string, std::string>>& headers, const Webhook& webhook);

inline constexpr std::string_view kUserAgent = "Hookline/0.1.0";

}  // namespace hookline::outbound

#pragma once

#include <boost/json/object.hpp>

#include "core/error.h"
#include "core/webhook.h"

namespace hookline::api {

// Reads and validates a webhook as the API takes it (SPEC 9), with the rules of SPEC 4: a URL
// template that renders to an absolute http/https URL, templates that parse, header names that are
// tokens and not reserved, no CR/LF in values, event names of the right shape. Errors name the
// field.
Result<WebhookSpec> parse_webhook_spec(const boost::json::object& body);

// The webhook as the API gives it. Secrets (password, token, signing secret) are masked unless
// reveal_secret, which only the answer to a create uses, and then only for the signing secret.
boost::json::object webhook_to_json(const Webhook& webhook, bool reveal_secret);

// PATCH: the stored spec in API form with the patch's top-level fields laid over it. An auth object
// of the same type without its password or token keeps the stored one, so a form that never saw
// the secret can still change the username.
boost::json::object apply_webhook_patch(const WebhookSpec& stored,
                                        const boost::json::object& patch);

// "****" and the last four characters, or only "****" for short secrets.
std::string mask_secret(std::string_view secret);

}  // namespace hookline::api

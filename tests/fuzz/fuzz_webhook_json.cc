// Webhooks as POST /v1/webhooks reads them: templates, auth, headers, custom payload and the URL
// checks; a spec that is accepted must also come back out as JSON and read back the same.
#include <boost/json/serialize.hpp>
#include <cstdlib>

#include "api/json/webhook_json.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hookline;
  auto body = fuzz::as_body(data, size);
  if (!body) return 0;
  auto spec = api::parse_webhook_spec(*body);
  if (!spec) return 0;
  Webhook webhook;
  webhook.id = "w1";
  webhook.spec = *spec;
  const boost::json::object shown = api::webhook_to_json(webhook, false);
  auto again = api::parse_webhook_spec(shown);
  if (!again) std::abort();  // what the API shows, it must take back
  return 0;
}

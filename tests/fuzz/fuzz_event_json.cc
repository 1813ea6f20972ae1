// Events as POST /v1/events and /v1/events/batch read them.
#include "api/json/event_json.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hookline;
  auto body = fuzz::as_body(data, size);
  if (!body) return 0;
  (void)api::parse_event(*body, "");
  (void)api::parse_event(*body, "events[0]");
  return 0;
}

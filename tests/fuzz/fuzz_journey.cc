// Journeys as POST /v1/journeys reads them: the graph's shape, each block's config and the
// references it makes. A journey that is accepted must come back out as JSON and read back.
#include <cstdlib>

#include "fuzz_input.h"
#include "journeys/journey_json.h"
#include "journeys/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hookline;
  auto body = fuzz::as_body(data, size);
  if (!body) return 0;
  auto journey = journeys::journey_from_json(*body);
  if (!journey) return 0;
  // Webhooks and lists exist when their id starts with "w" and "l": both answers get explored.
  const journeys::References references{
      [](const std::string& id) -> Result<bool> { return id.starts_with('w'); },
      [](const std::string& id) -> Result<bool> { return id.starts_with('l'); }};
  if (!journeys::validate_journey(*journey, references)) return 0;
  boost::json::object shown = journeys::journey_to_json(*journey);
  shown["name"] = journey->name;
  if (!journeys::journey_from_json(shown)) std::abort();
  return 0;
}

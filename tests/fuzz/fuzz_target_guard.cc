// The target guard's address parsing: the operator's --allow-targets list (first line of the
// input) and the host of a webhook's URL (the rest).
#include "delivery/target_guard.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hookline;
  const std::string_view text = fuzz::as_text(data, size);
  const size_t line = text.find('\n');
  const std::string_view allowed = text.substr(0, line);
  const std::string_view url = line == std::string_view::npos ? text : text.substr(line + 1);
  (void)delivery::TargetGuard::is_ip_literal(url);
  delivery::TargetGuard guard;
  (void)guard.allows_literal(url);
  (void)guard.refused_literal_host(url);
  auto configured = delivery::TargetGuard::with_allowed(allowed);
  if (!configured) return 0;
  (void)configured->allows_literal(url);
  (void)configured->refused_literal_host(url);
  return 0;
}

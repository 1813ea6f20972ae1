#include "app/allocator.h"

#ifdef HOOKLINE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace hookline::app {

std::string allocator_name() {
#ifdef HOOKLINE_JEMALLOC
  // The library actually loaded, which may differ from the header built against.
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (mallctl("version", static_cast<void*>(&version), &size, nullptr, 0) != 0 ||
      version == nullptr) {
    return "jemalloc";
  }
  const std::string full(version);  // "5.3.0-0-g<commit>"
  return "jemalloc " + full.substr(0, full.find('-'));
#else
  return "system";
#endif
}

}  // namespace hookline::app

#pragma once

#include <string>

namespace hookline::app {

// The memory allocator this binary runs on, with its version when known: "jemalloc 5.3.0" in a
// release build (HOOKLINE_JEMALLOC), "system" otherwise. The startup log and /metrics show it,
// since the allocator is a large share of what a delivery costs (bench/RESULTS.md).
std::string allocator_name();

}  // namespace hookline::app

#pragma once

#include <string>

namespace hookline::app {

// The memory allocator this binary runs on, with its version when known: "jemalloc 5.3.0" in a
// release build (HOOKLINE_JEMALLOC), "system" otherwise. The startup log and /metrics show it,
// since it moves the CPU cost of a delivery by a quarter (bench/RESULTS.md).
std::string allocator_name();

}  // namespace hookline::app

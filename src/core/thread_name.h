#pragma once

namespace hookline {

// Names the calling thread, so that `top -H`, `perf` and `gdb` tell Hookline's threads apart (the
// writer, the dispatcher, ...). Linux keeps 15 bytes of it. Never for the main thread: its name
// is the process's, which `ps` and `pgrep hookline` look for.
void name_this_thread(const char* name);

}  // namespace hookline

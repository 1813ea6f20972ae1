#pragma once

namespace hookline::app {

// One logger per module ("app", "api", "store", "delivery", "ingest"), each writing JSON lines to
// stderr:
// {"time": ..., "level": ..., "logger": ..., "msg": ...}.
void set_up_logging();

}  // namespace hookline::app

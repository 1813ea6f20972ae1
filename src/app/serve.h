#pragma once

#include "app/settings.h"

namespace hookline::app {

// `hookline serve`: the API, the UI and outbound calls in one process, until SIGTERM. Returns the
// exit code.
int serve(const Settings& settings);

}  // namespace hookline::app

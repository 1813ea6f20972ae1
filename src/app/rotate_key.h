#pragma once

#include <string>

#include "app/settings.h"

namespace hookline::app {

// `hookline secrets rotate-key --new-key-file FILE`: makes FILE with a fresh key unless it
// exists, then seals every webhook secret again with that key, a few rows per transaction.
// While it runs (and after an interruption) a value sealed with either key opens; running it
// again finishes the job. The nodes sharing the store should be stopped meanwhile: a node still
// holding only the old key fails to open what was re-sealed. Prints what to do next; returns
// the exit code.
int rotate_secrets_key(const Settings& settings, const std::string& new_key_file);

}  // namespace hookline::app

#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace hookline::app {

// Opens the store a URL names and applies pending migrations: sqlite://PATH (one node), or a
// libpq URI postgresql://... or postgres://... (nodes sharing one database). Throws with a
// message fit for the operator when it cannot: start-up stops there.
std::unique_ptr<store::Store> open_store(const std::string& url);

// The URL as logs and errors may show it: a password in it is replaced by ***.
std::string store_for_display(const std::string& url);

}  // namespace hookline::app

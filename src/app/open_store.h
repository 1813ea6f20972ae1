#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace hookline::app {

// Opens the store a URL names (sqlite://PATH) and applies pending migrations. Throws with a message
// fit for the operator when it cannot: start-up stops there.
std::unique_ptr<store::Store> open_store(const std::string& url);

}  // namespace hookline::app

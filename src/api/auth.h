#pragma once

#include <string>

#include "core/error.h"
#include "store/store.h"

namespace hookline::api {

// "Bearer <key>" -> the key's workspace. Keys are stored as SHA-256 hashes only.
Result<std::string> authenticate_bearer(store::Store& store, const std::string& authorization);

}  // namespace hookline::api

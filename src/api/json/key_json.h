#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/api_key.h"
#include "core/error.h"

namespace hookline::api {

// What a request to make a key asks for.
struct NewKey {
  std::string name;
  KeyScope scope = KeyScope::kRead;
  std::optional<int64_t> expires_at;
};

// {name, scope, expires_at?}: expires_at, Unix ms, must be after now_ms.
Result<NewKey> read_new_key(const boost::json::object& body, int64_t now_ms);

// A key as the API shows it: never the key, never its hash.
boost::json::object key_to_json(const ApiKey& key);
boost::json::object workspace_to_json(const Workspace& workspace);

}  // namespace hookline::api

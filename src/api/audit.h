#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "api/api_types.h"
#include "api/services.h"

namespace hookline::api {

// What one change made through the API was.
struct Change {
  std::string_view action;  // "create", "update", "delete", "activate", "rotate_secret", ...
  std::string_view resource_type;
  std::string resource_id;
  boost::json::object changes = {};  // secrets already masked
  // Where the entry is kept: the caller's workspace unless the change was made in another one
  // (an instance key making a key inside a workspace).
  std::string workspace_id = {};
};

// Who made a change: what a handler that answers later (after the writer) keeps of its request.
struct Actor {
  Caller caller;
  std::string workspace_id;
  std::string request_id;
};
Actor actor_of(const ApiRequest& request);

// Records a change the caller made, after it was made. The change stands whether or not it could
// be recorded: a record that fails is logged as an error, and the answer to the request is the
// change's own.
void record_change(Services& services, const Actor& actor, Change change);
inline void record_change(Services& services, const ApiRequest& request, Change change) {
  record_change(services, actor_of(request), std::move(change));
}

// {"field": {"from": before, "to": after}} for each top-level field that differs between two
// versions of a resource as the API shows it (fields only one side has included).
boost::json::object changed_fields(const boost::json::object& before,
                                   const boost::json::object& after);

}  // namespace hookline::api

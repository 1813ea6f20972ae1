#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "api/services.h"
#include "core/error.h"
#include "core/journey.h"
#include "store/store_types.h"

namespace hookline::api {

// A journey's graph as this API stored it: one that does not read back is a bug (logic_error).
boost::json::object stored_graph(const store::JourneyRow& row);

// What a running journey needs cannot be deleted from under it: kConflict naming the active or
// paused journeys of the workspace with a block that `uses` it (the thing being deleted, `what`
// with `id`, for the message); nothing when none does. Drafts do not count: activating one checks
// its references again. Nor do earlier versions that no contact is on any more.
Result<void> refuse_if_journeys_use(Services& services, const std::string& workspace_id,
                                    std::string_view what, const std::string& id,
                                    const std::function<bool(const Block&)>& uses);

}  // namespace hookline::api

#pragma once

#include <string>

#include "api/router.h"
#include "api/services.h"

namespace hookline::api {

// Each resource registers its own routes; app/ calls these once at start-up.
void add_webhook_routes(Router& router, Services& services);
void add_webhook_test_routes(Router& router, Services& services);
void add_contact_routes(Router& router, Services& services);
void add_contact_activity_routes(Router& router, Services& services);
void add_list_routes(Router& router, Services& services);
void add_operations_routes(Router& router, Services& services);
void add_event_routes(Router& router, Services& services);
void add_delivery_routes(Router& router, Services& services);
void add_journey_routes(Router& router, Services& services);
void add_key_routes(Router& router, Services& services);
void add_audit_routes(Router& router, Services& services);
void add_stats_routes(Router& router, Services& services);
void add_event_type_routes(Router& router, Services& services);
// The built web UI from web_root, as the router's fallback for GETs outside /v1.
void add_static_files(Router& router, const std::string& web_root);

}  // namespace hookline::api

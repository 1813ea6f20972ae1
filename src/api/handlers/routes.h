#pragma once

#include "api/router.h"
#include "api/services.h"

namespace hookline::api {

// Each resource registers its own routes; app/ calls these once at start-up.
void add_webhook_routes(Router& router, Services& services);
void add_webhook_test_routes(Router& router, Services& services);
void add_contact_routes(Router& router, Services& services);
void add_list_routes(Router& router, Services& services);
void add_operations_routes(Router& router, Services& services);
void add_event_routes(Router& router, Services& services);
void add_delivery_routes(Router& router, Services& services);

}  // namespace hookline::api

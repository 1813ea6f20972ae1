#pragma once

#include <string>

#include "core/clock.h"
#include "delivery/http_client.h"
#include "store/store.h"

namespace hookline::api {

// What handlers work with. Owned by app/, which outlives the server.
struct Services {
  store::Store& store;
  const Clock& clock;
  delivery::HttpClient& http;
};

}  // namespace hookline::api

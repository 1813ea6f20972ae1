#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "delivery/http_client.h"
#include "ingest/ingest.h"
#include "store/store.h"

namespace hookline::api {

// What handlers work with. Owned by app/, which outlives the server.
struct Services {
  store::Store& store;
  const Clock& clock;
  delivery::HttpClient& http;
  ingest::Ingest& ingest;
  // Called after a webhook changed or was deleted, so cached copies are dropped.
  std::function<void(const std::string& webhook_id)> webhook_changed;
};

}  // namespace hookline::api

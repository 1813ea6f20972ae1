#pragma once

#include <functional>
#include <string>

#include "core/error.h"
#include "core/journey.h"

namespace hookline::journeys {

// Whether the things blocks refer to exist (in the journey's workspace).
struct References {
  std::function<Result<bool>(const std::string& webhook_id)> webhook_exists;
  std::function<Result<bool>(const std::string& list_id)> list_exists;
};

// The shape rules of SPEC 5: exactly one trigger; edges between existing blocks, "yes"/"no" only
// (and always) from conditions, one edge per branch, none into the trigger or out of an exit; no
// cycles; every block reachable from the trigger; every webhook and list it names exists.
// Errors are kUnprocessable and name the block ("blocks.w.config.webhook_id").
Result<void> validate_journey(const Journey& journey, const References& references);

}  // namespace hookline::journeys

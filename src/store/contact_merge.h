#pragma once

#include "core/contact.h"
#include "store/store_types.h"

namespace hookline::store {

// How an upsert by email merges `incoming` into the contact `stored` with that email, whichever
// backend stores it: the stored id and creation time stay, a field left empty keeps its stored
// value, and properties are added to or replaced one by one. When nothing differs, the result is
// `stored` itself and not changed: no write, and no contact.update for receivers to act on.
inline ContactUpsert merge_contact(const Contact& incoming, const Contact& stored) {
  ContactUpsert result{incoming, false, false};
  Contact& merged = result.contact;
  merged.id = stored.id;
  merged.created_at = stored.created_at;
  if (merged.first_name.empty()) merged.first_name = stored.first_name;
  if (merged.last_name.empty()) merged.last_name = stored.last_name;
  if (merged.mobile.empty()) merged.mobile = stored.mobile;
  boost::json::object properties = stored.properties;
  for (const auto& [key, value] : incoming.properties) properties[key] = value;
  merged.properties = std::move(properties);
  result.changed = merged.first_name != stored.first_name || merged.last_name != stored.last_name ||
                   merged.mobile != stored.mobile || merged.properties != stored.properties;
  if (!result.changed) result.contact = stored;
  return result;
}

}  // namespace hookline::store

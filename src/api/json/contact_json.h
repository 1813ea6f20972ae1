#pragma once

#include <boost/json/object.hpp>

#include "core/contact.h"
#include "core/error.h"

namespace hookline::api {

// Lower-cased and trimmed; an error unless it looks like local@domain.
Result<std::string> normalize_email(std::string_view email, const std::string& field);

// Reads the contact fields of a body onto `contact`: email (required unless `email_optional`),
// first_name, last_name, mobile, and properties (merged; a null property value removes the key).
Result<void> read_contact_fields(const boost::json::object& body, Contact& contact,
                                 bool email_optional);

boost::json::object contact_to_json(const Contact& contact);
boost::json::object list_to_json(const ContactList& list);

}  // namespace hookline::api

#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hookline::api {

// Parses a request body that must be a JSON object, nested at most kMaxRequestJsonDepth deep.
Result<boost::json::object> parse_object_body(std::string_view body);

// Typed access to the fields of a JSON object, with errors that name the field by its full path
// ("auth.username"). A field that is present with the wrong type is an error; an absent (or null)
// optional field is nullopt.
class FieldReader {
 public:
  FieldReader(const boost::json::object& object, std::string path_prefix = "")
      : object_(object), prefix_(std::move(path_prefix)) {}

  std::string path(std::string_view key) const;
  bool has(std::string_view key) const;

  Result<std::string> required_string(std::string_view key, size_t max_size = 1000) const;
  Result<std::optional<std::string>> optional_string(std::string_view key,
                                                     size_t max_size = 1000) const;
  Result<std::optional<bool>> optional_bool(std::string_view key) const;
  Result<std::optional<int64_t>> optional_int(std::string_view key) const;
  Result<const boost::json::object*> optional_object(std::string_view key) const;
  // An object of the user's own data (event details, contact properties, a custom payload),
  // held to kMaxUserJsonDepth (core/json_depth.h).
  Result<const boost::json::object*> optional_data(std::string_view key) const;
  Result<const boost::json::array*> optional_array(std::string_view key) const;

 private:
  const boost::json::value* find(std::string_view key) const;  // null for absent or JSON null
  Error wrong_type(std::string_view key, std::string_view expected) const;

  const boost::json::object& object_;
  std::string prefix_;
};

}  // namespace hookline::api

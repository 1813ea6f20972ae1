#include "api/json/body_reader.h"

#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <string>

#include "core/json_depth.h"

namespace hookline::api {
namespace json = boost::json;

Result<json::object> parse_object_body(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = kMaxRequestJsonDepth;
  json::value value = json::parse(body, ec, {}, options);
  if (ec == json::error::too_deep) {
    return std::unexpected(Error{ErrorCode::kInvalidJson,
                                 "the body nests objects and arrays more than " +
                                     std::to_string(kMaxRequestJsonDepth) + " levels deep",
                                 {}});
  }
  if (ec) {
    return std::unexpected(
        Error{ErrorCode::kInvalidJson, "the body is not valid JSON: " + ec.message(), {}});
  }
  if (!value.is_object()) {
    return std::unexpected(Error{ErrorCode::kInvalidJson, "the body must be a JSON object", {}});
  }
  return std::move(value.get_object());
}

std::string FieldReader::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

bool FieldReader::has(std::string_view key) const { return find(key) != nullptr; }

const json::value* FieldReader::find(std::string_view key) const {
  const json::value* value = object_.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

Error FieldReader::wrong_type(std::string_view key, std::string_view expected) const {
  return Error::validation(path(key), path(key) + " must be " + std::string(expected));
}

Result<std::string> FieldReader::required_string(std::string_view key, size_t max_size) const {
  auto value = optional_string(key, max_size);
  if (!value) return std::unexpected(value.error());
  if (!value->has_value() || (*value)->empty()) {
    return std::unexpected(Error::validation(path(key), path(key) + " is required"));
  }
  return std::move(**value);
}

Result<std::optional<std::string>> FieldReader::optional_string(std::string_view key,
                                                                size_t max_size) const {
  const json::value* value = find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return std::unexpected(wrong_type(key, "a string"));
  if (value->get_string().size() > max_size) {
    return std::unexpected(Error::validation(
        path(key), path(key) + " is longer than " + std::to_string(max_size) + " bytes"));
  }
  return std::optional<std::string>(std::string(value->get_string()));
}

Result<std::optional<bool>> FieldReader::optional_bool(std::string_view key) const {
  const json::value* value = find(key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_bool()) return std::unexpected(wrong_type(key, "true or false"));
  return std::optional<bool>(value->get_bool());
}

Result<std::optional<int64_t>> FieldReader::optional_int(std::string_view key) const {
  const json::value* value = find(key);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_int64()) return std::optional<int64_t>(value->get_int64());
  if (value->is_uint64() && value->get_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(value->get_uint64()));
  }
  return std::unexpected(wrong_type(key, "an integer"));
}

Result<const json::object*> FieldReader::optional_object(std::string_view key) const {
  const json::value* value = find(key);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) return std::unexpected(wrong_type(key, "an object"));
  return &value->get_object();
}

Result<const json::object*> FieldReader::optional_data(std::string_view key) const {
  auto object = optional_object(key);
  if (!object || *object == nullptr) return object;
  if (const int depth = json_depth(**object); depth > kMaxUserJsonDepth) {
    return std::unexpected(Error::validation(
        path(key), path(key) + " nests objects and arrays " + std::to_string(depth) +
                       " levels deep; at most " + std::to_string(kMaxUserJsonDepth)));
  }
  return object;
}

Result<const json::array*> FieldReader::optional_array(std::string_view key) const {
  const json::value* value = find(key);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) return std::unexpected(wrong_type(key, "an array"));
  return &value->get_array();
}

}  // namespace hookline::api

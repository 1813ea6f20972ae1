#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace hookline {

struct Contact {
  std::string id;
  std::string workspace_id;
  std::string email;  // unique per workspace, stored lower-cased
  std::string first_name;
  std::string last_name;
  std::string mobile;
  boost::json::object properties;  // free-form; keys may be any UTF-8 ("salário")
  int64_t created_at = 0;          // Unix ms
  int64_t updated_at = 0;
};

struct ContactList {
  std::string id;
  std::string workspace_id;
  std::string name;
  int64_t member_count = 0;
  int64_t created_at = 0;
};

}  // namespace hookline

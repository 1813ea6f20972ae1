#include "app/config_file.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <sstream>

namespace hookline::app {
namespace json = boost::json;

namespace {

std::string scalar_text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

void collect(const json::object& object, std::vector<std::string>& parents,
             std::vector<CLI::ConfigItem>& items) {
  for (const auto& [key, value] : object) {
    if (value.is_object()) {
      parents.emplace_back(key);
      collect(value.get_object(), parents, items);
      parents.pop_back();
      continue;
    }
    CLI::ConfigItem item;
    item.parents = parents;
    item.name = std::string(key);
    if (value.is_array()) {
      for (const json::value& element : value.get_array())
        item.inputs.push_back(scalar_text(element));
    } else {
      item.inputs.push_back(scalar_text(value));
    }
    items.push_back(std::move(item));
  }
}

// HOOKLINE_DATA_DIR for "data-dir": every setting's variable is named so (settings.cc).
std::string env_name(const std::string& setting) {
  std::string name = "HOOKLINE_";
  for (char c : setting) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

// CLI11 applies the file before the environment, and a value it took from the file is not
// replaced. The order here is flag, then environment, then file, so a setting whose variable is
// set is left out of the file's items.
std::vector<CLI::ConfigItem> without_environment(std::vector<CLI::ConfigItem> items) {
  std::erase_if(items, [](const CLI::ConfigItem& item) {
    return std::getenv(env_name(item.name).c_str()) != nullptr;
  });
  return items;
}

}  // namespace

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const {
  const std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    std::istringstream toml(text);
    return without_environment(CLI::ConfigTOML::from_config(toml));
  }
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    throw CLI::ConversionError("the --config file is not a JSON object: " + ec.message());
  }
  std::vector<CLI::ConfigItem> items;
  std::vector<std::string> parents;
  collect(value.get_object(), parents, items);
  return without_environment(std::move(items));
}

}  // namespace hookline::app

#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <string>
#include <vector>

namespace hookline::app {

// Reads a --config file in TOML (CLI11's own reader) or JSON, told apart by its first character.
// Both nest settings under the command they belong to:
//   [serve]                      {"serve": {"listen": "127.0.0.1:8080",
//   listen = "127.0.0.1:8080"               "allow-targets": "127.0.0.0/8"}}
class ConfigFile final : public CLI::ConfigTOML {
 public:
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
};

}  // namespace hookline::app

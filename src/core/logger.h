#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace hookline {

// The module's named logger (set up by app/logging.cc), or spdlog's default one where the app's
// loggers are not registered (unit tests).
inline std::shared_ptr<spdlog::logger> module_logger(const std::string& name) {
  auto logger = spdlog::get(name);
  return logger ? logger : spdlog::default_logger();
}

}  // namespace hookline

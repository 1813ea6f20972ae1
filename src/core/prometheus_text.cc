#include "core/prometheus_text.h"

#include <array>
#include <charconv>
#include <cmath>

namespace hookline {
namespace {

// Integers as integers ("12", not "12.000000"); fractions with enough digits to round-trip.
std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::trunc(value) && std::abs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  std::array<char, 32> buffer{};  // the shortest text that reads back as the same double
  const auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), written.ptr);
}

}  // namespace

PrometheusText& PrometheusText::family(std::string_view name, std::string_view type,
                                       std::string_view help) {
  text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  return *this;
}

void PrometheusText::labels(Labels labels, std::string_view le) {
  if (labels.size() == 0 && le.empty()) return;
  text_ += '{';
  bool first = true;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!first) text_ += ',';
    first = false;
    text_.append(key).append("=\"");
    for (char c : value) {
      if (c == '\\' || c == '"') {
        text_ += '\\';
        text_ += c;
      } else if (c == '\n') {
        text_ += "\\n";
      } else {
        text_ += c;
      }
    }
    text_ += '"';
  };
  for (const auto& [key, value] : labels) add(key, value);
  if (!le.empty()) add("le", le);
  text_ += '}';
}

PrometheusText& PrometheusText::sample(std::string_view name, Labels label_set, double value) {
  text_.append(name);
  labels(label_set);
  text_.append(" ").append(number(value)).append("\n");
  return *this;
}

PrometheusText& PrometheusText::histogram(std::string_view name, Labels label_set,
                                          const Histogram::Snapshot& snapshot) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    const std::string le = i < snapshot.bounds.size() ? number(snapshot.bounds[i]) : "+Inf";
    text_.append(bucket);
    labels(label_set, le);
    text_.append(" ").append(std::to_string(snapshot.cumulative[i])).append("\n");
  }
  sample(std::string(name) + "_sum", label_set, snapshot.sum);
  sample(std::string(name) + "_count", label_set, static_cast<double>(snapshot.count));
  return *this;
}

}  // namespace hookline

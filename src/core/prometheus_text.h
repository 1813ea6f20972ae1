#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/histogram.h"

namespace hookline {

// Writes the Prometheus text exposition format (version 0.0.4): each family's HELP and TYPE once,
// then its samples. Label values are escaped as the format says (\\, \" and \n).
class PrometheusText {
 public:
  using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // Starts a family: name, type ("counter", "gauge", "histogram") and help text.
  PrometheusText& family(std::string_view name, std::string_view type, std::string_view help);
  PrometheusText& sample(std::string_view name, Labels labels, double value);
  PrometheusText& sample(std::string_view name, double value) { return sample(name, {}, value); }
  // A histogram's _bucket, _sum and _count samples, with `labels` on each.
  PrometheusText& histogram(std::string_view name, Labels labels,
                            const Histogram::Snapshot& snapshot);
  // A family of one unlabelled sample.
  PrometheusText& single(std::string_view name, std::string_view type, std::string_view help,
                         double value) {
    return family(name, type, help).sample(name, value);
  }

  std::string take() { return std::move(text_); }

 private:
  void labels(Labels labels, std::string_view le = {});

  std::string text_;
};

}  // namespace hookline

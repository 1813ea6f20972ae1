#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/histogram.h"
#include "core/prometheus_text.h"

namespace hookline::api {

// One route's requests, by status class, and how long they took to answer: the API's series in
// /metrics. Any thread observes; a scrape reads.
class RouteMetrics {
 public:
  void observe(int status, std::chrono::steady_clock::duration took);
  uint64_t requests() const;

  // hookline_http_requests_total samples, one per status class seen.
  void write_counts(PrometheusText& text, std::string_view method, std::string_view route) const;
  // hookline_http_request_duration_seconds samples.
  void write_durations(PrometheusText& text, std::string_view method, std::string_view route) const;

 private:
  std::array<std::atomic<uint64_t>, 5> by_class_{};  // 1xx to 5xx
  Histogram duration_{kLocalBoundsSeconds};
};

}  // namespace hookline::api

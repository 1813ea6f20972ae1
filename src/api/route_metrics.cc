#include "api/route_metrics.h"

#include <algorithm>
#include <string>

namespace hookline::api {

void RouteMetrics::observe(int status, std::chrono::steady_clock::duration took) {
  const int status_class = std::clamp(status / 100, 1, 5);
  by_class_[static_cast<size_t>(status_class - 1)].fetch_add(1, std::memory_order_relaxed);
  duration_.observe_us(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
}

uint64_t RouteMetrics::requests() const {
  uint64_t total = 0;
  for (const auto& count : by_class_) total += count.load(std::memory_order_relaxed);
  return total;
}

void RouteMetrics::write_counts(PrometheusText& text, std::string_view method,
                                std::string_view route) const {
  for (size_t i = 0; i < by_class_.size(); ++i) {
    const uint64_t count = by_class_[i].load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string code = std::to_string(i + 1) + "xx";
    text.sample("hookline_http_requests_total",
                {{"method", method}, {"route", route}, {"code", code}}, static_cast<double>(count));
  }
}

void RouteMetrics::write_durations(PrometheusText& text, std::string_view method,
                                   std::string_view route) const {
  text.histogram("hookline_http_request_duration_seconds", {{"method", method}, {"route", route}},
                 duration_.snapshot());
}

}  // namespace hookline::api

#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace hookline {

// A Prometheus-style histogram, observed from any thread without a lock: a counter per bucket
// (each counts the observations up to its bound, not cumulated), and the sum. Readers see each
// counter as of some moment; /metrics needs no more.
class Histogram {
 public:
  // Upper bounds in the histogram's unit (seconds for durations), ascending; observations above
  // the last go to +Inf.
  explicit Histogram(std::span<const double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void observe(double value);
  // For a histogram in seconds.
  void observe_ms(int64_t milliseconds) { observe(static_cast<double>(milliseconds) / 1e3); }
  void observe_us(int64_t microseconds) { observe(static_cast<double>(microseconds) / 1e6); }

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // per bound, then +Inf: observations <= it
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1: the last is +Inf
  std::atomic<double> sum_{0};
};

// Seconds, for network calls and end-to-end latency: 5 ms to 5 min.
inline constexpr std::array<double, 14> kCallBoundsSeconds = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
// Seconds, for work inside the process (an API request, a commit): 0.1 ms to 5 s.
inline constexpr std::array<double, 14> kLocalBoundsSeconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

}  // namespace hookline

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace hookline {

// How long tries took, counted in buckets rather than kept one by one: the store adds a minute's
// tries of a webhook into one row, and a window's latency percentiles come from the summed
// buckets (as Prometheus histograms do), within a bucket's width.
inline constexpr std::array<int64_t, 12> kLatencyBoundsMs = {10,   25,   50,   100,   250,   500,
                                                             1000, 2500, 5000, 10000, 30000, 60000};
// One bucket per bound (tries that took at most it and more than the bound before), and one for
// tries that took longer than the last.
inline constexpr size_t kLatencyBuckets = kLatencyBoundsMs.size() + 1;

// The index of the bucket a try of this duration falls in.
size_t latency_bucket(int64_t duration_ms);

// What the tries sent to a webhook in some span of time came to. Test calls are not counted: only
// deliveries' tries.
struct AttemptCounts {
  int64_t attempts = 0;
  int64_t succeeded = 0;                           // answered 2xx: the delivery succeeded
  int64_t dead = 0;                                // failed with no try left: the delivery died
  int64_t duration_ms = 0;                         // summed over the tries
  std::array<int64_t, kLatencyBuckets> latency{};  // tries per bucket (kLatencyBoundsMs)

  void add_try(bool succeeded, bool died, int64_t duration_ms);
  AttemptCounts& operator+=(const AttemptCounts& other);
  bool operator==(const AttemptCounts&) const = default;

  int64_t failed() const { return attempts - succeeded; }
  // Share of tries answered 2xx; nullopt without tries.
  std::optional<double> success_rate() const;
  // The duration within which `quantile` (0 to 1) of the tries ended, interpolated within its
  // bucket; nullopt without tries. Tries over the last bound read as the last bound.
  std::optional<int64_t> latency_quantile(double quantile) const;
};

}  // namespace hookline

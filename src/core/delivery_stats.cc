#include "core/delivery_stats.h"

#include <algorithm>
#include <cmath>

namespace hookline {

size_t latency_bucket(int64_t duration_ms) {
  const auto* bound =
      std::lower_bound(kLatencyBoundsMs.begin(), kLatencyBoundsMs.end(), duration_ms);
  return static_cast<size_t>(bound - kLatencyBoundsMs.begin());
}

void AttemptCounts::add_try(bool succeeded_now, bool died, int64_t duration) {
  ++attempts;
  if (succeeded_now) ++succeeded;
  if (died) ++dead;
  duration_ms += duration;
  ++latency[latency_bucket(duration)];
}

AttemptCounts& AttemptCounts::operator+=(const AttemptCounts& other) {
  attempts += other.attempts;
  succeeded += other.succeeded;
  dead += other.dead;
  duration_ms += other.duration_ms;
  for (size_t i = 0; i < kLatencyBuckets; ++i) latency[i] += other.latency[i];
  return *this;
}

std::optional<double> AttemptCounts::success_rate() const {
  if (attempts == 0) return std::nullopt;
  return static_cast<double>(succeeded) / static_cast<double>(attempts);
}

std::optional<int64_t> AttemptCounts::latency_quantile(double quantile) const {
  int64_t total = 0;
  for (int64_t n : latency) total += n;
  if (total == 0) return std::nullopt;
  // The rank of the try sought, 1-based: the median of 4 tries is the 2nd.
  const double rank = std::max(1.0, std::ceil(std::clamp(quantile, 0.0, 1.0) * total));
  int64_t below = 0;
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    if (latency[i] == 0 || below + latency[i] < rank) {
      below += latency[i];
      continue;
    }
    if (i == kLatencyBuckets - 1) return kLatencyBoundsMs.back();
    const double low = i == 0 ? 0.0 : static_cast<double>(kLatencyBoundsMs[i - 1]);
    const double high = static_cast<double>(kLatencyBoundsMs[i]);
    const double within = (rank - static_cast<double>(below)) / static_cast<double>(latency[i]);
    return static_cast<int64_t>(std::llround(low + (high - low) * within));
  }
  return kLatencyBoundsMs.back();  // not reached: the ranks add up to total
}

}  // namespace hookline

#pragma once

#include <cstdint>

// The per-webhook rate limit of SPEC 7 as a pure token bucket: time is passed in (Unix ms from the
// dispatcher's Clock).
namespace hookline::delivery {

// `per_second` tokens a second, at most max(1, per_second) held: a webhook idle for a second may
// get one second's worth at once, and over any span of t ms at most burst + per_second * t / 1000
// tries start. The level is kept in thousandths of a token, so every rate up to a million a second
// refills exactly at millisecond resolution, with no rounding drift.
class RateLimiter {
 public:
  static constexpr int kMaxPerSecond = 1'000'000;

  // Starts full. Throws std::invalid_argument unless 1 <= per_second <= kMaxPerSecond.
  RateLimiter(int per_second, int64_t now_ms);

  int per_second() const { return per_second_; }

  // Takes a token if one is there at `now_ms`; false (and nothing taken) otherwise.
  bool take(int64_t now_ms);
  // The first time from `now_ms` on at which take() succeeds: `now_ms` when a token is there.
  int64_t next_allowed_at(int64_t now_ms) const;
  // Holds as many tokens as it can: forgetting it and starting a new one changes nothing.
  bool full(int64_t now_ms) const;

 private:
  static constexpr int64_t kToken = 1000;  // one token, in the units of level_

  int64_t level_at(int64_t now_ms) const;

  const int per_second_;
  const int64_t capacity_;  // units
  int64_t level_;           // units, as of updated_at_
  // A clock that steps back refills nothing for the step, and does not stall the bucket either.
  int64_t updated_at_;
};

}  // namespace hookline::delivery

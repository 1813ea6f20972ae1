#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/http_client.h"

// The retry policy of SPEC 7 as plain functions of their inputs: time and randomness are passed
// in, so every decision is reproducible in a test.
namespace hookline::delivery {

// The delays of one round of tries. delays[i] is the delay before try i + 1 of the round, so
// delays[0] belongs to the first try (always 0) and a round has delays.size() tries; after the
// last one fails the delivery is dead. A manual retry starts a new round.
struct RetrySchedule {
  std::vector<std::chrono::milliseconds> delays;

  // "0s,5s,30s,2m,10m,30m,1h,3h,6h,12h": comma-separated entries, each a whole number and a unit
  // (ms, s, m, h, d), spaces around entries allowed. At least one entry, at most kMaxTries, each at
  // most kMaxDelay, the first 0. The error names the offending entry and its position.
  static std::expected<RetrySchedule, std::string> parse(std::string_view text);

  static constexpr size_t kMaxTries = 50;
  // Longer delays are surely a typo, and keep next_attempt_at far from overflowing.
  static constexpr std::chrono::milliseconds kMaxDelay = std::chrono::days(30);
};

// What a try's outcome means for its delivery.
struct Classification {
  enum Kind { kSuccess, kRetry, kFinal };
  Kind kind = kRetry;
  // The receiver's Retry-After, when honoured (429 and 503 only), capped at kMaxRetryAfter.
  std::optional<std::chrono::milliseconds> retry_after;
};

inline constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(1);

// Any 2xx is a success. 408, 429, 3xx (redirects are not followed), 5xx and any other non-4xx
// status retry; the remaining 4xx are final. Transport errors retry, except a blocked target,
// which no retry can fix. `now_ms` (Unix ms) turns a Retry-After date into a delay.
Classification classify(const outbound::OutboundResult& result, int64_t now_ms);

// A Retry-After value (RFC 9110 10.2.3): delay-seconds, or an HTTP-date (parsed by curl_getdate)
// taken relative to `now_ms`. A date in the past is a zero delay; the result is capped at
// kMaxRetryAfter. nullopt when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, int64_t now_ms);

// When to try again after a try that did not succeed, in Unix ms; nullopt means the delivery is
// dead (a final outcome, or the round's schedule is used up). `round_attempts_done` counts the
// tries of this round including the one just made, so the next try is number
// round_attempts_done + 1 and waits delays[round_attempts_done]. That delay is spread by +-20%
// with `jitter_unit` in [0, 1) from the caller (0.5: none), so receivers that failed together do
// not get their retries together. A Retry-After replaces the schedule's delay and is only ever
// lengthened by the jitter (by up to 20%), never shortened. A success has no next attempt.
std::optional<int64_t> next_attempt_at(const RetrySchedule& schedule, int round_attempts_done,
                                       const Classification& classification, int64_t now_ms,
                                       double jitter_unit);

}  // namespace hookline::delivery

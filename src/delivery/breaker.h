#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "delivery/http_client.h"
#include "delivery/retry_policy.h"

// The circuit breaker of SPEC 7, one per webhook, as a pure state machine: time is passed in
// (Unix ms from the dispatcher's Clock), so every transition is reproducible in a test.
namespace hookline::delivery {

struct BreakerOptions {
  int failure_threshold = 5;  // consecutive failures that open the breaker
  std::chrono::milliseconds first_open{5000};
  // Each failed probe doubles the open interval, up to this.
  // A receiver back after a long outage waits at most this long for the probe that lets the
  // backlog through; a dead one costs one probe a minute.
  std::chrono::milliseconds max_open = std::chrono::minutes(1);
};

enum class BreakerState {
  kClosed,    // tries flow
  kOpen,      // no try starts until the open interval ends
  kHalfOpen,  // the interval has ended: one probe at a time may go
};

std::string_view breaker_state_name(BreakerState state);  // "closed", "open", "half_open"

// What the API shows on a webhook.
struct BreakerSnapshot {
  std::string state;  // breaker_state_name
  int consecutive_failures = 0;
  int64_t open_until_ms = 0;  // Unix ms the open interval ends (or ended); 0 when closed
  // Unix ms it opened, closed before: a failed probe that reopens it keeps this. 0 when closed.
  int64_t opened_at_ms = 0;
};

// How a try's outcome counts for its webhook's breaker. The breaker asks "does the receiver
// work?", not "did the delivery work?", so only the outcomes the retry policy retries count as
// failures (transport errors, 408, 429, 5xx, 3xx). A final 4xx (404, 410, ...) shows a receiver
// that is up and answering: a success. A blocked target never reached the receiver: neutral.
enum class BreakerVerdict { kSuccess, kFailure, kNeutral };

BreakerVerdict breaker_verdict(const outbound::OutboundResult& result,
                               const Classification& classification);

// Closed, it counts consecutive failures; the failure_threshold-th opens it for first_open. Open,
// it refuses every try until the interval ends; then it is half-open and lets one probe through at
// a time. Any success closes it and resets everything (a try started before it opened counts too:
// the receiver answered). In half-open the probe decides: its failure reopens the breaker for twice
// the last interval (capped at max_open); failures of older tries still in flight only count.
//
// Probes are told apart by the ticket attempt_started() returns, so a late result of an earlier
// probe never frees the slot of the current one.
class Breaker {
 public:
  // REQUIRES: failure_threshold >= 1, 1 ms <= first_open <= max_open.
  explicit Breaker(BreakerOptions options = {});

  BreakerState state(int64_t now_ms) const;
  // Whether a try may start now: closed, or half-open with no probe out.
  bool allows_attempt(int64_t now_ms) const;

  // A try starts. Returns its probe ticket when it is the half-open probe, else 0; the caller hands
  // the ticket back with the try's result. REQUIRES: allows_attempt(now_ms).
  uint64_t attempt_started(int64_t now_ms);

  void record_success();
  void record_failure(int64_t now_ms, uint64_t probe);
  // An outcome that says nothing about the receiver: frees the probe's slot, if it was the probe.
  void record_neutral(uint64_t probe);

  // Another node sharing the store opened the webhook's breaker (or reopened it after its probe
  // failed) for `interval`, and holds its tries back until `open_until_ms`, when it probes. This
  // one holds back at least as long (the caller adds the time that node's probe may take), so a
  // dead receiver is probed by one node, not by each. A later end already set is kept; a probe of
  // this node's still out still counts when it answers. Returns whether the end moved.
  bool opened_elsewhere(int64_t open_until_ms, std::chrono::milliseconds interval,
                        int consecutive_failures);
  // A try of another node succeeded: the receiver works, as if a try of this one had.
  void closed_elsewhere() { record_success(); }

  // Closed with no failure counted: nothing worth remembering.
  bool clean() const { return !open_ && consecutive_failures_ == 0; }
  bool probe_out() const { return probe_ != 0; }
  int consecutive_failures() const { return consecutive_failures_; }
  int64_t open_until() const { return open_ ? open_until_ : 0; }
  // The length of the current opening; 0 when closed.
  std::chrono::milliseconds interval() const {
    return open_ ? interval_ : std::chrono::milliseconds(0);
  }
  BreakerSnapshot snapshot(int64_t now_ms) const;

 private:
  void open_for(std::chrono::milliseconds interval, int64_t now_ms);

  BreakerOptions options_;
  bool open_ = false;  // open or half-open
  int consecutive_failures_ = 0;
  int64_t open_until_ = 0;
  int64_t opened_at_ = 0;                  // when it opened from closed
  std::chrono::milliseconds interval_{0};  // of the current opening
  uint64_t probe_ = 0;                     // ticket of the probe out, 0: none
  uint64_t last_ticket_ = 0;
};

}  // namespace hookline::delivery

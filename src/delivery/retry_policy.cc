#include "delivery/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>

#include "core/header_rules.h"

namespace hookline::delivery {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kSpaces = " \t";

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpaces);
  return text.substr(first, last - first + 1);
}

struct Unit {
  std::string_view name;
  int64_t ms;
};

constexpr std::array<Unit, 5> kUnits = {
    {{"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}, {"d", 24 * 60 * 60 * 1000}}};

// One entry: a whole number and a unit.
std::expected<milliseconds, std::string> parse_delay(std::string_view entry) {
  const size_t digits_end = entry.find_first_not_of("0123456789");
  if (digits_end == 0) return std::unexpected("must start with a whole number");
  if (digits_end == std::string_view::npos) {
    return std::unexpected("needs a unit: ms, s, m, h or d");
  }
  const std::string_view unit_name = entry.substr(digits_end);
  const auto unit = std::find_if(kUnits.begin(), kUnits.end(),
                                 [&](const Unit& u) { return u.name == unit_name; });
  if (unit == kUnits.end()) {
    return std::unexpected("unknown unit \"" + std::string(unit_name) +
                           "\" (use ms, s, m, h or d)");
  }
  int64_t count = 0;
  const std::string_view digits = entry.substr(0, digits_end);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  const int64_t max_count = RetrySchedule::kMaxDelay.count() / unit->ms;
  if (error != std::errc() || end != digits.data() + digits.size() || count > max_count) {
    return std::unexpected("is longer than the maximum of 30d");
  }
  return milliseconds(count * unit->ms);
}

}  // namespace

std::expected<RetrySchedule, std::string> RetrySchedule::parse(std::string_view text) {
  if (trim(text).empty()) return std::unexpected("retry schedule is empty");
  RetrySchedule schedule;
  size_t position = 1;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view entry = trim(text.substr(0, comma));
    if (entry.empty()) {
      return std::unexpected("retry schedule entry " + std::to_string(position) + " is empty");
    }
    auto delay = parse_delay(entry);
    if (!delay) {
      return std::unexpected("retry schedule entry " + std::to_string(position) + " \"" +
                             std::string(entry) + "\" " + delay.error());
    }
    if (schedule.delays.size() == kMaxTries) {
      return std::unexpected("retry schedule has more than " + std::to_string(kMaxTries) +
                             " entries");
    }
    // The first try is sent as soon as the delivery exists: a first entry other than 0 would be
    // silently ignored, and the user's schedule one try shorter than they meant.
    if (position == 1 && delay->count() != 0) {
      return std::unexpected("retry schedule entry 1 \"" + std::string(entry) +
                             "\" must be 0s: it stands for the first try, which is sent at once "
                             "(entry n is the wait before try n)");
    }
    schedule.delays.push_back(*delay);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    ++position;
  }
  return schedule;
}

std::optional<milliseconds> parse_retry_after(std::string_view value, int64_t now_ms) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    // Digits only, so the one possible error is a number too large for int64: past any cap.
    if (error != std::errc() || seconds > kMaxRetryAfter.count() / 1000) return kMaxRetryAfter;
    return milliseconds(seconds * 1000);
  }
  const std::string date(value);  // curl_getdate wants a terminated string
  const time_t at = curl_getdate(date.c_str(), nullptr);
  if (at == -1) return std::nullopt;
  const int64_t delay_ms = static_cast<int64_t>(at) * 1000 - now_ms;
  return std::clamp(milliseconds(delay_ms), milliseconds(0), kMaxRetryAfter);
}

Classification classify(const outbound::OutboundResult& result, int64_t now_ms) {
  if (!result.response) {
    const bool blocked = result.error == outbound::TransportError::kBlockedTarget;
    return {blocked ? Classification::kFinal : Classification::kRetry, std::nullopt};
  }
  const outbound::OutboundResponse& response = *result.response;
  const int status = response.status;
  if (status >= 200 && status <= 299) return {Classification::kSuccess, std::nullopt};
  if (status >= 400 && status <= 499 && status != 408 && status != 429) {
    return {Classification::kFinal, std::nullopt};
  }
  Classification retry{Classification::kRetry, std::nullopt};
  if (status == 429 || status == 503) {
    for (const auto& [name, value] : response.headers) {
      if (!iequals(name, "Retry-After")) continue;
      retry.retry_after = parse_retry_after(value, now_ms);
      break;  // only the first one counts
    }
  }
  return retry;
}

std::optional<int64_t> next_attempt_at(const RetrySchedule& schedule, int round_attempts_done,
                                       const Classification& classification, int64_t now_ms,
                                       double jitter_unit) {
  if (classification.kind != Classification::kRetry) return std::nullopt;
  if (round_attempts_done < 0 ||
      static_cast<size_t>(round_attempts_done) >= schedule.delays.size()) {
    return std::nullopt;
  }
  jitter_unit = std::isnan(jitter_unit) ? 0.5 : std::clamp(jitter_unit, 0.0, 1.0);
  double delay_ms;
  if (classification.retry_after) {
    delay_ms = static_cast<double>(classification.retry_after->count()) * (1.0 + 0.2 * jitter_unit);
  } else {
    const auto base = schedule.delays[static_cast<size_t>(round_attempts_done)];
    delay_ms = static_cast<double>(base.count()) * (0.8 + 0.4 * jitter_unit);
  }
  return now_ms + std::llround(delay_ms);
}

}  // namespace hookline::delivery

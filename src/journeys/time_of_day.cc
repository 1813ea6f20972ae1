#include "journeys/time_of_day.h"

#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <stdexcept>

namespace hookline::journeys {
namespace {

using std::chrono::milliseconds;

// The library tells an unknown name by throwing; here that is an answer, not an error.
const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    return nullptr;
  }
}

}  // namespace

bool is_time_zone(std::string_view name) { return !name.empty() && find_zone(name) != nullptr; }

int64_t next_time_of_day(int minute_of_day, std::string_view zone, int64_t now_ms) {
  const date::time_zone* tz = find_zone(zone);
  if (tz == nullptr) throw std::invalid_argument("unknown time zone");
  const date::sys_time<milliseconds> now{milliseconds(now_ms)};
  const auto local_now = tz->to_local(now);
  auto day = date::floor<date::days>(local_now);
  // Two tries cover a clock that jumps past the time, or reaches it again, on the first day.
  for (int i = 0; i < 3; ++i, day += date::days(1)) {
    const date::local_time<milliseconds> at = day + std::chrono::minutes(minute_of_day);
    if (at <= local_now) continue;
    const auto when = tz->to_sys(at, date::choose::earliest);
    if (when > now) return when.time_since_epoch().count();
  }
  // Unreachable for real zones: a day later always reads the time again.
  return now_ms + 86'400'000;
}

int parse_time_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  int hours = -1;
  int minutes = -1;
  const auto h = std::from_chars(text.data(), text.data() + 2, hours);
  const auto m = std::from_chars(text.data() + 3, text.data() + 5, minutes);
  if (h.ec != std::errc() || h.ptr != text.data() + 2 || m.ec != std::errc() ||
      m.ptr != text.data() + 5 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return -1;
  }
  return hours * 60 + minutes;
}

}  // namespace hookline::journeys

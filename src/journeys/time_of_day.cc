#include "journeys/time_of_day.h"

#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <stdexcept>  // date::locate_zone throws std::runtime_error for an unknown name

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

// "localtime" names the server's own zone in the library: it would differ between the nodes of
// a cluster, and a journey means a place, so it is not offered.
bool is_time_zone(std::string_view name) {
  return !name.empty() && name != "localtime" && find_zone(name) != nullptr;
}

int64_t next_time_of_day(int minute_of_day, std::string_view zone, int64_t now_ms) {
  const date::time_zone* tz = find_zone(zone);
  if (tz == nullptr) {
    // Without the zone (tzdata lost it since the journey was saved), UTC: a wait must still end.
    constexpr int64_t kDayMs = 86'400'000;
    const int64_t at = now_ms - now_ms % kDayMs + int64_t{minute_of_day} * 60'000;
    return at > now_ms ? at : at + kDayMs;
  }
  const date::sys_time<milliseconds> now{milliseconds(now_ms)};
  const auto local_now = tz->to_local(now);
  auto day = date::floor<date::days>(local_now);
  // Today, tomorrow and the day after: enough for any jump of the clock.
  for (int i = 0; i < 3; ++i, day += date::days(1)) {
    const date::local_time<milliseconds> at = day + std::chrono::minutes(minute_of_day);
    // A time shown twice is taken at its first showing, or its second when the first is past.
    for (const auto choose : {date::choose::earliest, date::choose::latest}) {
      const auto when = tz->to_sys(at, choose);
      if (when > now) return when.time_since_epoch().count();
    }
  }
  return now_ms + 86'400'000;  // not reached: the day after tomorrow always shows the time
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

#include "core/contact_timeline.h"

#include <algorithm>
#include <charconv>

namespace hookline {
namespace {

// The time a read stopped at, or nullopt when it read its log to the start.
std::optional<int64_t> stopped_at(const LogScan& scan) {
  if (scan.reached_start || scan.rows.empty()) return std::nullopt;
  return scan.rows.back().at_ms;
}

// How many of the rows read, from the newest, are at or after `cut`.
size_t kept_before(const LogScan& scan, std::optional<int64_t> cut) {
  if (!cut) return scan.rows.size();
  size_t kept = 0;
  while (kept < scan.rows.size() && scan.rows[kept].at_ms >= *cut) ++kept;
  return kept;
}

int64_t read_on_from(const LogScan& scan, size_t kept, int64_t from) {
  if (kept == scan.rows.size() && (scan.reached_start || scan.rows.empty())) return 0;
  return kept == 0 ? from : scan.rows[kept - 1].seq;
}

std::optional<int64_t> parse_seq(std::string_view text) {
  int64_t seq = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size() || seq < 0) return std::nullopt;
  return seq;
}

}  // namespace

std::string timeline_cursor(const TimelinePosition& position) {
  return std::to_string(position.event_seq) + "." + std::to_string(position.delivery_seq);
}

Result<TimelinePosition> parse_timeline_cursor(const std::string& cursor) {
  if (cursor.empty()) return TimelinePosition{};
  const size_t dot = cursor.find('.');
  std::optional<int64_t> events;
  std::optional<int64_t> deliveries;
  if (dot != std::string::npos) {
    events = parse_seq(std::string_view(cursor).substr(0, dot));
    deliveries = parse_seq(std::string_view(cursor).substr(dot + 1));
  }
  if (!events || !deliveries) {
    return std::unexpected(
        Error::validation("cursor", "cursor must be the next_cursor of a page of this timeline"));
  }
  return TimelinePosition{*events, *deliveries};
}

TimelineCut cut_timeline(const LogScan& events, const LogScan& deliveries,
                         const TimelinePosition& from) {
  const std::optional<int64_t> events_stop = stopped_at(events);
  const std::optional<int64_t> deliveries_stop = stopped_at(deliveries);
  std::optional<int64_t> cut;
  if (events_stop || deliveries_stop) {
    cut = std::max(events_stop.value_or(INT64_MIN), deliveries_stop.value_or(INT64_MIN));
  }
  TimelineCut result;
  result.events_kept = kept_before(events, cut);
  result.deliveries_kept = kept_before(deliveries, cut);
  if (cut && result.events_kept == 0 && result.deliveries_kept == 0) {
    // Only a row older than a later one in its own log (a clock set back) gets here.
    if (events_stop == cut) {
      result.events_kept = events.rows.size();
    } else {
      result.deliveries_kept = deliveries.rows.size();
    }
  }
  result.next = {read_on_from(events, result.events_kept, from.event_seq),
                 read_on_from(deliveries, result.deliveries_kept, from.delivery_seq)};
  if (!result.next.finished()) result.complete_since_ms = cut;
  return result;
}

}  // namespace hookline

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

// A contact's timeline: its events and the deliveries they caused, newest first.
//
// Nothing indexes events or deliveries by contact: such an index would cost every event one
// random page write (measured: a third of batch ingest, bench/RESULTS.md), for a page a marketer
// opens now and then. A timeline page is found instead by reading both logs backwards, a bounded
// number of rows at a time, keeping the contact's rows. Two logs read that way are merged in time
// order by cutting both at the same moment: of what was read, only the rows newer than the later
// of the two places where reading stopped are shown, and the next page reads on from there.
namespace hookline {

// Where a timeline page starts: in each log, the seq below which reading goes on (exclusive);
// kFromNewest reads from the newest row, 0 means that log was read to its start.
struct TimelinePosition {
  static constexpr int64_t kFromNewest = INT64_MAX;
  int64_t event_seq = kFromNewest;
  int64_t delivery_seq = kFromNewest;

  bool finished() const { return event_seq == 0 && delivery_seq == 0; }
  bool operator==(const TimelinePosition&) const = default;
};

// The cursor a page gives for the next one, "<event seq>.<delivery seq>"; empty reads from the
// newest. Anything else is kValidation on "cursor".
std::string timeline_cursor(const TimelinePosition& position);
Result<TimelinePosition> parse_timeline_cursor(const std::string& cursor);

// One row read from a log, newest first: its seq and time, and whether it is the contact's.
struct ScannedRow {
  int64_t seq = 0;
  int64_t at_ms = 0;
  bool theirs = false;
};

// What one backwards read of a log found: the rows read, in that order, and whether the read
// reached the log's start (no row below the last one read).
struct LogScan {
  std::vector<ScannedRow> rows;
  bool reached_start = false;
};

// Where to cut two reads so that the rows shown are in time order across both logs.
struct TimelineCut {
  size_t events_kept = 0;      // the first n rows of the events read are shown (theirs only)
  size_t deliveries_kept = 0;  // likewise for the deliveries read
  TimelinePosition next;       // where the next page reads on; finished() when nothing is left
  // Every row of the contact newer than this is on this page or an earlier one; nullopt once
  // both logs were read to their start.
  std::optional<int64_t> complete_since_ms;
};

// Cuts both reads at the later of the two times where they stopped (a read that reached its
// log's start stops nowhere). A read is cut before its first row older than that time, so a row
// whose clock went backwards is read again on the next page rather than skipped; and when
// neither read would move on, the one that stopped later is kept whole, so paging always ends.
TimelineCut cut_timeline(const LogScan& events, const LogScan& deliveries,
                         const TimelinePosition& from);

}  // namespace hookline

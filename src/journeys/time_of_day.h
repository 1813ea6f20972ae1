#pragma once

#include <cstdint>
#include <string_view>

// Times of day in time zones, for the Wait until block ("at 09:00 in the contact's zone"). Zones
// are read from the system's time zone database (Debian's tzdata, /usr/share/zoneinfo) by
// Howard Hinnant's date library, the one C++20's std::chrono time zones were made from.
namespace hookline::journeys {

// Whether `name` is a zone of the database: an IANA name ("America/Sao_Paulo", "UTC"); not
// "localtime", the server's own.
bool is_time_zone(std::string_view name);

// The first moment (Unix ms) after `now_ms` when the clock in `zone` reads `minute_of_day`
// (0-1439), at second 0. A time that the clock skips that day (a daylight-saving jump) is taken
// as the moment the jump happens; one it shows twice, at its first showing (its second when the
// first is past). An unknown zone is read as UTC.
int64_t next_time_of_day(int minute_of_day, std::string_view zone, int64_t now_ms);

// "HH:MM" (24-hour) as a minute of the day; -1 when it is not one.
int parse_time_of_day(std::string_view text);

}  // namespace hookline::journeys

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hookline::store {

// An attempt's request headers (JSON object text, as delivery/attempt.h makes them) as stored.
// Two of them follow from the attempt itself: webhook-id is the delivery's id, webhook-timestamp
// its start in seconds. They are left out of the stored text (about 85 of its ~230 bytes) and put
// back when it is read, so the log shows exactly what was sent.

// The text to store: `headers` without those two, when they are the derived values just before
// webhook-signature, as every signed request has them; otherwise `headers` unchanged.
std::string compact_request_headers(std::string_view headers, std::string_view delivery_id,
                                    int64_t started_at_ms);

// The headers as sent, from the stored text.
std::string expand_request_headers(std::string_view stored, std::string_view delivery_id,
                                   int64_t started_at_ms);

}  // namespace hookline::store

#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hookline::store {

// A delivery body carries its event's details (`"event_details":{...}`), and the event's row holds
// the same bytes already. A body is stored with them cut out and read back with them put back in
// at the same byte, so every try sends exactly the bytes rendered at creation while the details
// are stored once per event rather than once per delivery.

// Where `details` sit in `body` as the value of "event_details", or nullopt when they do not.
std::optional<size_t> find_details(std::string_view body, std::string_view details);

// `body` without the `size` bytes at `at`; REQUIRES: at + size <= body.size().
std::string cut(std::string_view body, size_t at, size_t size);

// The body as rendered: `details` put back at `at` of the stored text. REQUIRES: at <= stored size.
std::string join(std::string_view stored, size_t at, std::string_view details);

}  // namespace hookline::store

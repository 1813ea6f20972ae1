#pragma once

#include <string_view>

namespace hookline {

// RFC 9110 token characters: what a header name may hold.
bool is_header_name(std::string_view name);

// Headers a webhook may not set itself: framing (Host, Content-Length, Transfer-Encoding and the
// hop-by-hop ones) and the signature headers, which only the signer writes. Case-insensitive.
bool is_reserved_header(std::string_view name);

// Headers whose values are credentials: a name holding auth, token, secret, password, key, cookie
// or signature, case-insensitive (Authorization, Proxy-Authorization, X-Api-Key, X-Auth-Token,
// Cookie, X-Hub-Signature, ...), but not the webhook-* headers the signer writes. Shown masked
// wherever a webhook or a request sent is displayed, and sealed at rest by the store.
bool is_credential_header(std::string_view name);

// CR, LF or NUL would let a value start a new header or end the head early.
bool has_line_break(std::string_view value);

// Event names: [a-z0-9_]+(\.[a-z0-9_]+)*, at most 100 bytes.
bool is_event_name(std::string_view name);

bool iequals(std::string_view a, std::string_view b);

}  // namespace hookline

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hookline {

// A new UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by
// creation time, which is what keeps cursor paging ("id > cursor") in creation order.
std::string new_uuid_v7(int64_t unix_ms);

// True for the canonical 8-4-4-4-12 hexadecimal form of any UUID version.
bool is_uuid(std::string_view text);

// `size` random bytes from the OS CSPRNG (OpenSSL).
std::string random_bytes(size_t size);

// `bytes` random bytes from the OS CSPRNG (OpenSSL), encoded as URL-safe base64 without padding.
std::string random_token(size_t bytes);

// The same encoding of random bytes taken as ids' are (a block at a time): for what must be unique
// but not secret, such as a request's id, drawn once per request. Each RAND_bytes call costs a
// system call (OpenSSL's fork check calls getpid).
std::string random_id_token(size_t bytes);

// Lower-case hexadecimal SHA-256 of `text`: how API keys are stored.
std::string sha256_hex(std::string_view text);

}  // namespace hookline

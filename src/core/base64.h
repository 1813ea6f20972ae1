#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hookline {

// Standard base64 with padding (RFC 4648 section 4), through OpenSSL.
std::string base64_encode(std::string_view bytes);
// nullopt when the text is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace hookline

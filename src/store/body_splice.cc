#include "store/body_splice.h"

namespace hookline::store {

namespace {
constexpr std::string_view kKey = "\"event_details\":";
}  // namespace

std::optional<size_t> find_details(std::string_view body, std::string_view details) {
  // The key may also appear earlier, inside the contact's properties or as text; only an
  // occurrence followed by the details themselves is the one to cut. Cutting an identical copy
  // elsewhere would give back the same bytes anyway.
  for (size_t key = body.find(kKey); key != std::string_view::npos;
       key = body.find(kKey, key + 1)) {
    const size_t at = key + kKey.size();
    if (body.substr(at, details.size()) == details) return at;
  }
  return std::nullopt;
}

std::string cut(std::string_view body, size_t at, size_t size) {
  std::string out;
  out.reserve(body.size() - size);
  out.append(body.substr(0, at)).append(body.substr(at + size));
  return out;
}

std::string join(std::string_view stored, size_t at, std::string_view details) {
  std::string out;
  out.reserve(stored.size() + details.size());
  out.append(stored.substr(0, at)).append(details).append(stored.substr(at));
  return out;
}

}  // namespace hookline::store

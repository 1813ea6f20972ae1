#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/journey.h"

namespace hookline {

// One contact's way through a journey in one go, the unit in which per-block counts are stored:
// a batch of events adds one count per distinct path instead of two per block passed. Each step
// is a block the contact passed (entered and left), reached (entered: a delay now holds it) or
// left (the delay it woke up at).
//
// Text form, stored: per step a mark ('=' passed, '+' entered, '-' left), the id's length in
// bytes, ':' and the id. Any block id reads back without escaping. "=1:t=1:c+1:d" is a contact
// that went through t and c and now waits at delay d. A condition passed marks its branch instead
// of '=' ('y' yes, 'n' no), so the yes and no edges count apart even when they meet again. A path
// that ends with a pass, or with a leave, is a run that finished there (a run that goes on from
// a block it left has more steps). A split passed marks the index of the branch taken, '0' to
// '4'. A Wait until left on its "happened" output marks 'h', on "timed_out" 'o', instead of '-'.
// A Webhook block waiting for the answer, left on "succeeded" marks 's' ('u' when the answer did
// not map whole), on "failed" 'f'; passed on "failed" (no call could be made) 'F'.
// What a split's runner passes as the branch taken to JourneyPath::left: the branch's index.
inline std::string split_branch(size_t index) {
  return std::string(1, static_cast<char>('0' + index));
}

class JourneyPath {
 public:
  void entered(std::string_view block_id);
  // Leaving the block just entered makes that step a pass, on `branch` ("yes", "no") for a
  // condition, or split_branch(i) for a split; leaving a block entered before (a wait) is a leave,
  // on kHappened or kTimedOut from a Wait until.
  void left(std::string_view block_id, std::string_view branch = {});

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  void append(char mark, std::string_view block_id);

  std::string text_;
  size_t last_mark_ = std::string::npos;  // where the last step starts in text_
};

// Adds to `stats` what a stored path counted `times` times stands for. False, adding nothing,
// for text that is not a path.
bool add_path_counts(std::string_view text, int64_t times,
                     std::map<std::string, BlockStats>& stats);

}  // namespace hookline

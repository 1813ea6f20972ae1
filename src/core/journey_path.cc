#include "core/journey_path.h"

#include <charconv>

namespace hookline {

void JourneyPath::append(char mark, std::string_view block_id) {
  last_mark_ = text_.size();
  text_.push_back(mark);
  char digits[20];  // any size_t fits
  text_.append(digits, std::to_chars(digits, digits + sizeof digits, block_id.size()).ptr);
  text_.push_back(':');
  text_.append(block_id);
}

void JourneyPath::entered(std::string_view block_id) { append('+', block_id); }

namespace {

bool is_split_mark(char mark) {
  return mark >= '0' && mark < static_cast<char>('0' + kMaxSplitBranches);
}

char pass_mark(std::string_view branch) {
  if (branch == "yes") return 'y';
  if (branch == "no") return 'n';
  if (branch == kFailed) return 'F';  // a Webhook block waiting for the answer made no call
  if (branch.size() == 1 && is_split_mark(branch[0])) return branch[0];
  return '=';
}

bool is_pass(char mark) {
  return mark == '=' || mark == 'y' || mark == 'n' || mark == 'F' || is_split_mark(mark);
}

char leave_mark(std::string_view branch) {
  if (branch == kHappened) return 'h';
  if (branch == kTimedOut) return 'o';
  if (branch == kSucceeded) return 's';
  if (branch == kSucceededUnmapped) return 'u';
  if (branch == kFailed) return 'f';
  return '-';
}

bool is_leave(char mark) {
  return mark == '-' || mark == 'h' || mark == 'o' || mark == 's' || mark == 'u' || mark == 'f';
}

}  // namespace

void JourneyPath::left(std::string_view block_id, std::string_view branch) {
  if (last_mark_ != std::string::npos && text_[last_mark_] == '+') {
    // The last step is the last thing in the text: its id runs from after ':' to the end.
    const size_t colon = text_.find(':', last_mark_);
    if (std::string_view(text_).substr(colon + 1) == block_id) {
      text_[last_mark_] = pass_mark(branch);
      return;
    }
  }
  append(leave_mark(branch), block_id);
}

bool add_path_counts(std::string_view text, int64_t times,
                     std::map<std::string, BlockStats>& stats) {
  std::map<std::string, BlockStats> added;
  BlockStats* last = nullptr;
  char last_mark = 0;
  while (!text.empty()) {
    const char mark = text.front();
    if (!is_pass(mark) && mark != '+' && !is_leave(mark)) return false;
    size_t length = 0;
    const char* digits = text.data() + 1;
    auto [end, ec] = std::from_chars(digits, text.data() + text.size(), length);
    if (ec != std::errc() || end == digits || end == text.data() + text.size() || *end != ':') {
      return false;
    }
    const size_t id_at = static_cast<size_t>(end - text.data()) + 1;
    if (length == 0 || text.size() - id_at < length) return false;
    BlockStats& counts = added[std::string(text.substr(id_at, length))];
    if (!is_leave(mark)) counts.entered += times;
    if (mark != '+') counts.left += times;
    if (mark == 'y') counts.yes += times;
    if (mark == 'n') counts.no += times;
    if (is_split_mark(mark)) counts.branches[static_cast<size_t>(mark - '0')] += times;
    if (mark == 'h') counts.happened += times;
    if (mark == 'o') counts.timed_out += times;
    if (mark == 's' || mark == 'u') counts.succeeded += times;
    if (mark == 'u') counts.unmapped += times;
    if (mark == 'f' || mark == 'F') counts.failed += times;
    last = &counts;
    last_mark = mark;
    text.remove_prefix(id_at + length);
  }
  if (last != nullptr && (is_pass(last_mark) || is_leave(last_mark))) last->ended += times;
  for (const auto& [block_id, counts] : added) {
    BlockStats& into = stats[block_id];
    into.entered += counts.entered;
    into.left += counts.left;
    into.yes += counts.yes;
    into.no += counts.no;
    into.ended += counts.ended;
    into.happened += counts.happened;
    into.timed_out += counts.timed_out;
    into.succeeded += counts.succeeded;
    into.failed += counts.failed;
    into.unmapped += counts.unmapped;
    for (size_t i = 0; i < kMaxSplitBranches; ++i) into.branches[i] += counts.branches[i];
  }
  return true;
}

}  // namespace hookline

#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with Debian's clang 16, ASan and UBSan, and runs each
# for a bounded time from its committed corpus. Any crash, sanitizer report or broken invariant
# fails the run; the input that did it is kept under build/fuzz/artifacts/ (turn it into a unit
# test, and add it to the corpus). Usage: scripts/fuzz.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target fuzz_targets

artifacts=build/fuzz/artifacts
mkdir -p "$artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
for corpus in tests/fuzz/corpus/*/; do
  name=$(basename "$corpus")
  # What the run finds goes to a scratch corpus: the committed one only grows by hand.
  scratch=$(mktemp -d "/tmp/hookline-fuzz-$name.XXXXXX")
  log="$artifacts/$name.log"
  if build/fuzz/tests/fuzz/"fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
    "$scratch" "$corpus" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$name: ${runs:-?} inputs in ${seconds}s, nothing found"
  else
    echo "fuzz_$name: FAILED, see $log" >&2
    tail -n 40 "$log" >&2
    failed+=("$name")
  fi
  rm -rf "$scratch"
done
((${#failed[@]} == 0))

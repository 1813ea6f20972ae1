#!/usr/bin/env bash
# Builds Hookline with ASan+UBSan and runs every test: unit tests, integration tests against the
# real binary and receivers on loopback, browser tests in Chromium. The concurrent parts (outbound
# client, dispatcher, group-commit writer) also run under TSan, and the parsers under libFuzzer.
# The release binary (optimised, on jemalloc) is built too and driven by a few integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

cmake --preset debug >/dev/null
cmake --build --preset debug -j "$jobs"

cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs" --target delivery_test store_test store_contract_test ingest_test

# The PostgreSQL store's tests need a server: a throwaway one, each test in a database of its own.
pg_dir=$(mktemp -d /tmp/hookline-pg.XXXXXX)
trap 'scripts/pg_server.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
HOOKLINE_TEST_PG=$(scripts/pg_server.sh start "$pg_dir")
export HOOKLINE_TEST_PG

ctest --preset debug -j "$((jobs * 2))"

TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build/tsan -R '^(HttpClient|Dispatcher|Healer|SqliteStore|Ingest|Retention|Backends/StoreContract)Test\.' -j "$jobs" --output-on-failure

# The binary users run (scripts/run.sh, bench/): optimised, without sanitizers, on jemalloc.
# Built here so that a warning only the optimiser sees fails CI, and driven through delivery,
# crash recovery and the metrics that name its allocator.
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs" --target hookline
HOOKLINE_BIN="$PWD/build/release/src/app/hookline" HOOKLINE_TEST_TMP="$PWD/build/release/test-tmp" \
  HOOKLINE_TEST_ALLOCATOR=jemalloc node --test --test-reporter=spec \
  tests/integration/events_delivery.test.mjs tests/integration/crash_recovery.test.mjs \
  tests/integration/metrics.test.mjs

# The parsers that take what users and the network send, fuzzed for a bounded time.
scripts/fuzz.sh 30

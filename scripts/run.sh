#!/usr/bin/env bash
# Builds Hookline (release) and starts `hookline serve` on the embedded SQLite store in ./data.
# Extra arguments go to `hookline serve`, e.g. scripts/run.sh --listen 0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target hookline web_ui
exec build/release/src/app/hookline serve "$@"

#!/usr/bin/env bash
# Installs what building and testing Hookline needs on Debian 12: compilers and libraries from apt.
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libsqlite3-dev libssl-dev libspdlog-dev libcli11-dev libgtest-dev
  libjemalloc-dev  # the release binary's allocator (CMakeLists.txt: HOOKLINE_JEMALLOC)
  postgresql libpq-dev  # the PostgreSQL store; its tests start a throwaway server (pg_server.sh)
  libhowardhinnant-date-dev tzdata  # time zones, for the journeys' Wait until block
  chromium  # the web UI's browser tests: playwright-core drives /usr/bin/chromium
  clang-16 libclang-rt-16-dev  # libFuzzer and its sanitizers, for scripts/fuzz.sh
)
# Node.js 20 with npm ships with the machine image; Debian's own nodejs is only 18, too old for
# the UI's build tools, so it is installed from Debian only where no node is found at all.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

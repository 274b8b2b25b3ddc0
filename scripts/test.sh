#!/usr/bin/env bash
# Builds everything and runs every test: unit, integration (real chatd, real SQLite, the mock
# provider over loopback), the browser UI's unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
build_dir=${CHATD_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHATD_WERROR=ON \
  -DCHATD_BUILD_TESTS=ON >/dev/null
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" -j "$jobs" --output-on-failure --timeout 300

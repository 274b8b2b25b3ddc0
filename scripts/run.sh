#!/usr/bin/env bash
# Builds chatd, its browser UI and chatctl, then starts chatd. Without OPENAI_API_KEY or OPENAI_BASE_URL
# it answers from its built-in demo provider, so a first run works offline.
#   scripts/run.sh [chatd flags...]      e.g. scripts/run.sh --listen 0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build_dir=${CHATD_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHATD_BUILD_TESTS=OFF -DCHATD_BUILD_WEB=ON >/dev/null
cmake --build "$build_dir" --target chatd_main chatctl web_ui
export CHATD_STATIC_DIR=${CHATD_STATIC_DIR:-$PWD/web/dist}
exec "$build_dir/app/chatd" "$@"

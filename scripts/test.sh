#!/usr/bin/env bash
# Builds everything and runs every test. Three passes, each a build of its own:
#  1. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, with -Werror: unit
#     tests, the mock provider's and the load generator's tests, the provider loop, integration
#     tests (the real chatd binary over loopback against the mock provider, real SQLite files),
#     the embedding example, and the browser UI (Vitest, then Playwright in Chromium against
#     the real chatd);
#  2. the components with threads of their own under ThreadSanitizer (see README: CAF from
#     Debian is not instrumented, so actor hand-offs are invisible to it);
#  3. a short run of every libFuzzer target (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

echo "== 1/3: full suite, ASan + UBSan"
cmake -S . -B build-check -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
  -DCHATD_WERROR=ON -DCHATD_SANITIZE=address,undefined -DCHATD_BUILD_TESTS=ON -DCHATD_BUILD_WEB=ON >/dev/null
cmake --build build-check -j "$jobs"
ctest --test-dir build-check -j "$jobs" --output-on-failure --timeout 600

echo "== 2/3: threads of our own, TSan"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCHATD_WERROR=ON -DCHATD_SANITIZE=thread -DCHATD_BUILD_TESTS=ON -DCHATD_BUILD_WEB=OFF >/dev/null
cmake --build build-tsan -j "$jobs" --target http_tests mock_provider_tests
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
build-tsan/tests/http/http_tests
build-tsan/tests/tools/mock_provider_tests
unset TSAN_OPTIONS

echo "== 3/3: fuzzing"
scripts/fuzz.sh 15
echo "all tests passed"

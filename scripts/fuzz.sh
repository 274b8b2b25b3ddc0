#!/usr/bin/env bash
# Fuzzes domain/'s parsers and encoders with libFuzzer (see tests/fuzz/README.md).
#
#   scripts/fuzz.sh [seconds-per-target]     default 20
#
# Builds only the fuzz targets, with clang, in build-fuzz/; replays every file under
# tests/fuzz/regressions/<target>/; then fuzzes each target for the given time, from a copy
# of its seed corpus in build-fuzz/fuzz/<target>/corpus (so the repository stays clean and
# later runs start from what earlier ones found). Exits non-zero on any crash or broken
# invariant; the input that caused it is left in build-fuzz/fuzz/<target>/findings/.
# CHATD_FUZZ_JOBS targets run at once (default: one per core).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [seconds-per-target]" >&2
  exit 2
fi
build_dir=${CHATD_FUZZ_BUILD_DIR:-build-fuzz}
jobs=${CHATD_FUZZ_JOBS:-$(nproc)}
targets=(fuzz_responses_decoder fuzz_request_validation fuzz_sse_roundtrip fuzz_sse_parser)
# The limits a finding is judged by: a hang of 5 s or 2 GiB of memory counts as a crash.
limits=(-timeout=5 -rss_limit_mb=2048)
start=$SECONDS

scripts/setup.sh >/dev/null
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCHATD_BUILD_TESTS=OFF -DCHATD_BUILD_WEB=OFF -DCHATD_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"
echo "fuzz: built in $((SECONDS - start)) s; fuzzing each target for ${seconds} s"

# Replays the saved findings, then fuzzes (also when a finding still fails, so that an
# unfixed bug does not stop the search for others); leaves "ok" or what failed in $work/status.
fuzz_target() {
  local target=$1
  local bin="$build_dir/tests/fuzz/$target" work="$build_dir/fuzz/$target"
  mkdir -p "$work/corpus" "$work/findings"
  : >"$work/status"
  : >"$work/regressions.log"
  local seed
  for seed in "tests/fuzz/corpus/$target/"*; do
    [ -e "$work/corpus/${seed##*/}" ] || cp "$seed" "$work/corpus/"
  done
  local regressions=()
  if [ -d "tests/fuzz/regressions/$target" ]; then
    mapfile -t regressions < <(find "tests/fuzz/regressions/$target" -type f ! -name '.*' | sort)
  fi
  local regression
  for regression in "${regressions[@]}"; do
    if ! "$bin" "${limits[@]}" "$regression" >>"$work/regressions.log" 2>&1; then
      echo "a saved regression fails: $regression (see $work/regressions.log)" >>"$work/status"
    fi
  done
  if ! "$bin" "${limits[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/findings/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
    echo "found a failing input: see $work/fuzz.log and $work/findings/" >>"$work/status"
  fi
  [ -s "$work/status" ] || echo ok >"$work/status"
}

running=()
for target in "${targets[@]}"; do
  fuzz_target "$target" &
  running+=($!)
  if [ ${#running[@]} -ge "$jobs" ]; then
    wait "${running[0]}"
    running=("${running[@]:1}")
  fi
done
wait

failed=0
for target in "${targets[@]}"; do
  work="$build_dir/fuzz/$target"
  status=$(cat "$work/status" 2>/dev/null || true)
  status=${status:-did not finish}
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" 2>/dev/null || true)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/fuzz.log" 2>/dev/null || true)
  corpus=$(find "$work/corpus" -type f | wc -l)
  printf 'fuzz: %-24s %-4s %8s runs %6s exec/s %5s inputs in corpus\n' \
    "$target" "$([ "$status" = ok ] && echo ok || echo FAIL)" "${runs:-?}" "${rate:-?}" "$corpus"
  if [ "$status" != ok ]; then
    failed=1
    sed 's/^/      /' <<<"$status"
    # The sanitizer's or the invariant's report, for the CI log.
    grep -h -m 12 -E 'invariant failed|ERROR: |SUMMARY: |runtime error|^artifact_prefix|Test unit written' \
      "$work/regressions.log" "$work/fuzz.log" 2>/dev/null | sed 's/^/      /' || true
  fi
done
echo "fuzz: done in $((SECONDS - start)) s"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: to keep a finding as a regression test, copy it to tests/fuzz/regressions/<target>/" >&2
  exit 1
fi

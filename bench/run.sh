#!/usr/bin/env bash
# The chatd benchmark, in one command (see bench/README.md):
#
#   bench/run.sh           the standard matrix, about 10 minutes after the build
#   bench/run.sh --quick   S = 1 and 100 only, for a fast check (not written to latest.*)
#
# Builds the Release tree, starts the mock provider, a TCP relay in front of it (a byte pump:
# the floor under any relay), chatd and the Node peer (the original design) side by side, runs
# chatd-loadgen against each of the four for every cell of the matrix, and writes
# bench/results/<timestamp>.json, latest.json, latest.md and latest.png.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
quick=0
for arg in "$@"; do
  case "$arg" in
  --quick) quick=1 ;;
  -h | --help)
    sed -n '2,9p' "$0"
    exit 0
    ;;
  *)
    echo "bench/run.sh: unknown argument $arg" >&2
    exit 2
    ;;
  esac
done

# The matrix: "S R" per cell, answers of $deltas deltas each.
deltas=200
if [[ $quick == 1 ]]; then
  cells=("1 20" "100 20")
else
  # Many open, mostly quiet streams at R=4; one burst at R=1000 (deltas back to back).
  cells=("1 20" "100 20" "1000 20" "5000 4" "10 1000")
fi
targets=(mock tcp-relay chatd peer)

build="$root/build-bench"
peer_src="${CHATD_BENCH_PEER:-$root/../shared/peers/node-seed}"
work="$(mktemp -d "${TMPDIR:-/tmp}/chatd-bench.XXXXXX")"
pids=()
log() { printf '== %s\n' "$*" >&2; }

# True while process $1 runs (an exited child that is not reaped yet is a zombie: not running).
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# SIGTERM, then up to 15 s (chatd's drain timeout is 10 s), then SIGKILL; says how it went in
# $stopped. (Not in a $(...) subshell: only this shell can reap its children.)
stop_process() {
  local pid="$1" t0
  t0="$(date +%s%N)"
  kill -TERM "$pid" 2>/dev/null || { stopped="already gone"; return 0; }
  for _ in $(seq 1 150); do
    if ! alive "$pid"; then
      wait "$pid" 2>/dev/null || true
      stopped="stopped $((($(date +%s%N) - t0) / 1000000)) ms after SIGTERM"
      return 0
    fi
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  stopped="did not stop within 15 s of SIGTERM: killed"
}

cleanup() {
  for pid in "${pids[@]}"; do
    stop_process "$pid"
  done
  rm -rf "$work"
}
trap cleanup EXIT

# -- build ------------------------------------------------------------------------------------
log "building the Release tree in build-bench/"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCHATD_BUILD_TESTS=OFF \
  -DCHATD_BUILD_WEB=OFF >"$work/cmake.log" || { cat "$work/cmake.log" >&2; exit 1; }
ninja -C "$build" chatd_main chatd-mock-provider chatd-loadgen chatd-tcp-relay >"$work/ninja.log" ||
  { tail -50 "$work/ninja.log" >&2; exit 1; }
mock_bin="$build/tools/mock_provider/chatd-mock-provider"
chatd_bin="$build/app/chatd"
loadgen_bin="$build/tools/loadgen/chatd-loadgen"
relay_bin="$build/tools/tcp_relay/chatd-tcp-relay"

if ! command -v gnuplot >/dev/null; then
  log "installing gnuplot (Debian gnuplot-nox) for the plot"
  (apt-get install -y gnuplot-nox >"$work/apt.log" 2>&1 ||
    { apt-get update >>"$work/apt.log" 2>&1 && apt-get install -y gnuplot-nox >>"$work/apt.log" 2>&1; }) ||
    log "could not install gnuplot; the run goes on without the plot"
fi

# -- the Node peer, installed in a copy (shared/ is read-only) ----------------------------------
if [[ ! -f "$peer_src/server.mjs" ]]; then
  echo "bench/run.sh: the Node peer is not at $peer_src (set CHATD_BENCH_PEER)" >&2
  exit 1
fi
lock_sum="$(cat "$peer_src/package-lock.json" "$peer_src/server.mjs" | sha256sum | cut -c1-12)"
peer_dir="${TMPDIR:-/tmp}/chatd-bench-node-seed-$lock_sum"
if [[ ! -d "$peer_dir/node_modules" ]]; then
  log "installing the Node peer's dependencies in $peer_dir"
  rm -rf "$peer_dir" && mkdir -p "$peer_dir"
  cp "$peer_src/package.json" "$peer_src/package-lock.json" "$peer_src/server.mjs" "$peer_dir/"
  # --ignore-scripts: server.mjs uses only openai and sql.js (pure JS/wasm); the one install
  # script in the tree belongs to an unused dependency.
  (cd "$peer_dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >"$work/npm.log" 2>&1) ||
    { cat "$work/npm.log" >&2; rm -rf "$peer_dir"; exit 1; }
fi

# -- the three servers ------------------------------------------------------------------------
# The cores are shared with whatever else runs (builds, say). From here on this shell and all it
# starts (mock, chatd, peer, generator alike) run at nice -10 when allowed, so such work disturbs
# the measurement less; the load average before and after is in the results either way.
nice_level=0
if renice -n -10 -p $$ >/dev/null 2>&1; then nice_level=-10; fi
# 5 000 streams are 5 000 sockets in the generator and the mock and 10 000 in a relay.
hard="$(ulimit -Hn)"
if [[ $hard == unlimited || $hard -gt 65536 ]]; then hard=65536; fi
ulimit -n "$hard"

# Waits until file $1 has a line matching $2 (a process's "listening" line); prints the match.
wait_for_line() {
  local file="$1" pattern="$2" pid="$3"
  for _ in $(seq 1 300); do
    if grep -q "$pattern" "$file" 2>/dev/null; then
      grep -o "$pattern" "$file" | head -1
      return 0
    fi
    if ! alive "$pid"; then
      echo "bench/run.sh: a server exited; its output:" >&2
      cat "$file" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "bench/run.sh: timed out waiting for '$pattern' in $file" >&2
  return 1
}

"$mock_bin" --port 0 >"$work/mock.log" 2>&1 &
mock_pid=$!
pids+=("$mock_pid")
mock_url="$(wait_for_line "$work/mock.log" 'http://127\.0\.0\.1:[0-9]*/v1' "$mock_pid")"
mock_root="${mock_url%/v1}"

"$relay_bin" --upstream "127.0.0.1:${mock_root##*:}" >"$work/relay.log" 2>&1 &
relay_pid=$!
pids+=("$relay_pid")
relay_url="$(wait_for_line "$work/relay.log" 'http://127\.0\.0\.1:[0-9]*' "$relay_pid")"

chatd_flags=(--listen 127.0.0.1:0 --database "sqlite://$work/chatd.db"
  --max-streams-per-user 100000 --max-streams-total 100000 --log-level warn)
OPENAI_BASE_URL="$mock_url" OPENAI_API_KEY=x "$chatd_bin" "${chatd_flags[@]}" \
  >"$work/chatd.log" 2>&1 &
chatd_pid=$!
pids+=("$chatd_pid")
chatd_url="$(wait_for_line "$work/chatd.log" 'http://127\.0\.0\.1:[0-9]*' "$chatd_pid")"

peer_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
(cd "$peer_dir" && PORT="$peer_port" OPENAI_BASE_URL="$mock_url" OPENAI_API_KEY=x \
  exec node server.mjs) >"$work/peer.log" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$peer_port/healthz" >/dev/null 2>&1 && break
  alive "$peer_pid" || { cat "$work/peer.log" >&2; exit 1; }
  sleep 0.1
done
peer_url="http://127.0.0.1:$peer_port"
log "mock $mock_root (pid $mock_pid), TCP relay $relay_url (pid $relay_pid), chatd $chatd_url (pid $chatd_pid), peer $peer_url (pid $peer_pid)"

# Sets $url and $pid to where target $1 listens and which process it is; $extra to the
# generator's flags for it (a relay's mock is sampled too).
select_target() {
  extra=(--mock-pid "$mock_pid")
  case "$1" in
  mock) url="$mock_root" pid="$mock_pid" extra=() ;;
  tcp-relay) url="$relay_url" pid="$relay_pid" ;;
  chatd) url="$chatd_url" pid="$chatd_pid" ;;
  peer) url="$peer_url" pid="$peer_pid" ;;
  esac
}

# -- warm-up ----------------------------------------------------------------------------------
# Each target first serves a short run that is not recorded (20 streams of 20 deltas at 200/s),
# so that no cell measures a cold start: the Node peer's JIT, chatd's fresh database files (the
# first commits of a new WAL file grow it, and a growing file costs more to sync) and every
# relay's first connections to the mock.
for target in "${targets[@]}"; do
  select_target "$target"
  log "warm-up: $target"
  "$loadgen_bin" --target "$target" --url "$url" --streams 20 --deltas 20 --rate 200 \
    --pid "$pid" >"$work/warmup-$target.log" 2>&1 ||
    { cat "$work/warmup-$target.log" >&2; exit 1; }
done
sleep 2

# -- the matrix -------------------------------------------------------------------------------
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
n=0
for cell in "${cells[@]}"; do
  read -r streams rate <<<"$cell"
  for target in "${targets[@]}"; do
    select_target "$target"
    n=$((n + 1))
    log "run $n: $target S=$streams R=$rate"
    # A failed or incomplete stream makes the generator exit 3: it is reported, not fatal.
    "$loadgen_bin" --target "$target" --url "$url" --streams "$streams" --deltas "$deltas" \
      --rate "$rate" --pid "$pid" "${extra[@]}" --json "$work/run-$(printf %02d $n).json" ||
      [[ $? == 3 ]]
    sleep 2 # let the last streams' work (commits, closes) settle before the next run
  done
done

# -- first chunks, one stream at a time -------------------------------------------------------
# The S = 1 cell has one stream, so its first-chunk "p50" is a single sample. Here each target
# serves $series_streams short streams one after another: a real p50 of the same overhead.
series_streams=30
for target in "${targets[@]}"; do
  select_target "$target"
  log "first chunks, one at a time: $target"
  "$loadgen_bin" --target "$target" --url "$url" --streams "$series_streams" --concurrency 1 \
    --deltas 20 --rate 100 --pid "$pid" "${extra[@]}" --json "$work/series-$target.json" ||
    [[ $? == 3 ]]
  sleep 1
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
# The relays first, while the mock still answers; how chatd stops is part of the record.
stop_process "$peer_pid"
peer_stop="$stopped"
stop_process "$chatd_pid"
chatd_stop="$stopped"
stop_process "$relay_pid"
stop_process "$mock_pid"
log "chatd $chatd_stop; peer $peer_stop"

# -- results ----------------------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$root/bench/results"
mkdir -p "$results"
if [[ $quick == 1 ]]; then
  out="$results/quick-$stamp.json" # quick runs are not kept in git (bench/.gitignore)
else
  out="$results/$stamp.json"
fi
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain --untracked-files=no 2>/dev/null | wc -l)"
python3 "$root/bench/summarize.py" --out "$out" --markdown "$work/table.md" \
  --plot-data "$work/plot.dat" \
  --meta started="$started" commit="$commit" modified_files="$dirty" \
  cpus="$(nproc)" cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  load_before="$load_before" load_after="$load_after" deltas="$deltas" nice="$nice_level" \
  chatd_flags="${chatd_flags[*]}" node="$(node --version)" quick="$quick" \
  chatd_stop="$chatd_stop" peer_stop="$peer_stop" \
  -- "$work"/run-*.json "$work"/series-*.json

if [[ $quick == 0 ]]; then
  cp "$out" "$results/latest.json"
  cp "$work/table.md" "$results/latest.md"
  if command -v gnuplot >/dev/null; then
    gnuplot -e "data='$work/plot.dat'; out='$results/latest.png'" "$root/bench/plot.gp" ||
      log "gnuplot failed; no plot"
  fi
fi
cat "$work/table.md"
log "results: $out"

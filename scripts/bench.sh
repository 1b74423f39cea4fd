#!/usr/bin/env bash
# The main job: build the release preset, run the benchmark passes, and leave in results/latest/
# bench.json (Google Benchmark JSON, every pass merged), charts/ (PNG and SVG), pros_cons.md (the
# article's table rebuilt from this run) and REPORT.md (both together). Every file is written
# under a temporary name and renamed when complete, so an interrupted run (Ctrl-C) leaves no
# half-written file and the previous results stay.
#
#   ./scripts/bench.sh                 everything (under 6 minutes on 2 cores)
#   ./scripts/bench.sh --quick         small versions of every pass (a few minutes)
#   ./scripts/bench.sh --no-python     without the CPython kitchen (scripts/py_kitchen.py)
#   ./scripts/bench.sh -- FLAGS...     only the kitchen sweep, with extra bench_kitchen flags
#
# For tests: KITCHEN_RESULTS_DIR (default results/latest) and KITCHEN_BENCH_BIN (a built
# bench_kitchen to use instead of building the release preset).
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=bench.sh
source scripts/lib/setup.sh

usage() { sed -n '2,15s/^# \{0,1\}//p' "$0"; }
quick=0
python_pass=1
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --no-python) python_pass=0 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) kitchen_say "unknown argument '$1'; accepted: --quick, --no-python, --help, -- FLAGS for bench_kitchen"; exit 2 ;;
  esac
  shift
done

if [ -n "${KITCHEN_BENCH_BIN:-}" ]; then
  bench=$KITCHEN_BENCH_BIN
else
  kitchen_build release
  bench=build/release/bin/bench_kitchen
fi
out=${KITCHEN_RESULTS_DIR:-results/latest}
mkdir -p "$out"
# A run killed outright (SIGKILL, a crash) cannot clean up its staging folder: the next one does.
rm -rf "$out"/.run.*
work=$(mktemp -d "$out/.run.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'kitchen_say "interrupted: $out keeps the previous complete results"; exit 130' INT TERM
passes=()

# run_pass NAME FLAGS...: one bench_kitchen run into $work/NAME.json, rows printed as they finish.
run_pass() {
  local name=$1
  shift
  kitchen_say "pass '$name': bench_kitchen $*"
  "$bench" "$@" --benchmark_out="$work/$name.json" --benchmark_out_format=json
  passes+=("$name=$work/$name.json")
}

q() { [ $quick = 1 ] && echo "$1" || echo "$2"; }  # q QUICK FULL: the value for this run

if [ ${#extra[@]} -gt 0 ]; then
  run_pass kitchen "${extra[@]}"
else
  # Every kitchen pass repeats each row 5 times (the table and the charts read medians and their
  # spread), each repetition at least 0.03 s: a service is already a long iteration.
  reps=(--benchmark_repetitions=5 --benchmark_min_time=$(q 0.01 0.03))
  # The kitchen sweep: every executor over chefs x customers, for the io, cpu and mixed profiles.
  run_pass kitchen "${reps[@]}" $(q --quick "")
  # What the executors cost per dish when there is nothing to wait for and nothing to compute.
  run_pass overhead "${reps[@]}" --profiles=overhead \
    $(q "--chefs=1,3 --customers=2000" "--chefs=3,1000 --customers=10000")
  # CPU-bound speed-up with chefs under the emulated GIL (the table's CPU row; the same points
  # without it are in the kitchen sweep, which no pass measures twice).
  run_pass python_mode "${reps[@]}" --profiles=cpu --gil=on --chefs=1,2,4 --customers=20
  # Shared state with and without a lock (the table's complexity row).
  for pantry in locked unlocked; do
    run_pass "pantry_$pantry" "${reps[@]}" --profiles=overhead --chefs=2 \
      --customers=5000 --pantry=$pantry
  done
  # Injected failures, then fail-fast cancellation (the table's error-handling row).
  run_pass failures "${reps[@]}" --profiles=io --chefs=10 --customers=100 --fail-rate=0.05
  run_pass fail_fast "${reps[@]}" --profiles=io --chefs=10 --customers=100 --fail-rate=0.01 \
    --fail-fast
  # Real I/O: each fetch a request to the pantry server over loopback TCP (about 20 s each), on
  # Asio's epoll reactor, then on io_uring (bench_kitchen_uring, built beside bench_kitchen).
  net=(--io=net --profiles=io $(q "--chefs=1,10 --customers=10" "--chefs=1,10,100,1000 --customers=20"))
  run_pass net "${reps[@]}" "${net[@]}"
  if [ -x "${bench}_uring" ]; then
    bench_plain=$bench bench=${bench}_uring
    run_pass net_uring "${reps[@]}" "${net[@]}"
    bench=$bench_plain
  else
    kitchen_say "skipping pass 'net_uring': ${bench}_uring is not built (apt-get install liburing-dev)"
  fi
  # The mechanisms behind the table: spawn, switch, memory per task, timer accuracy.
  run_pass mechanisms --benchmark_repetitions=3 --benchmark_filter='^(spawn|switch|memory|timer)/'
  # The article's own kitchen in CPython, measured by the same rules: the real GIL beside the
  # emulation, and each executor's per-dish overhead in both languages.
  if [ $python_pass = 1 ]; then
    kitchen_say "pass 'cpython': scripts/py_kitchen.py $(q --quick '')"
    kitchen_python scripts/py_kitchen.py $(q --quick --min-time=0.03) --out="$work/cpython.json"
    passes+=("cpython=$work/cpython.json")
  fi
  # The same kitchen fetching from the pantry server over loopback sockets (--io=net), beside
  # its timer rows: blocking sockets for threads, asyncio streams, and the blocking pitfall.
  if [ $python_pass = 1 ]; then
    kitchen_say "pass 'cpython_net': scripts/py_kitchen.py --io=net"
    kitchen_python scripts/py_kitchen.py --io=net --profiles=io $(q \
      "--chefs=1,10 --customers=20 --quick" "--chefs=1,10,100 --customers=100 --min-time=0.03") \
      --pantry-server="$(dirname "$bench")/pantry_server" --out="$work/cpython_net.json"
    passes+=("cpython_net=$work/cpython_net.json")
  fi
  # Open loop: orders arrive at fractions of each point's ideal capacity, latency from each
  # arrival time (the latency-against-load chart and the sustainable-throughput table). A
  # service is long enough to be its own repetition: one service per repetition.
  run_pass load $(q "--profiles=io --chefs=10 --customers=100 --load=0.5,1.2" \
    "--profiles=io,mixed --chefs=10,100 --customers=150 --load=0.25,0.5,0.75,0.9,1,1.2") \
    --benchmark_min_time=0.01
  if [ $python_pass = 1 ]; then
    kitchen_say "pass 'cpython_load': scripts/py_kitchen.py, open loop"
    kitchen_python scripts/py_kitchen.py --profiles=io --chefs=10 $(q \
      "--customers=100 --load=0.5,1.2 --quick" "--customers=150 --load=0.25,0.5,0.75,0.9,1,1.2 --min-time=0.01") \
      --out="$work/cpython_load.json"
    passes+=("cpython_load=$work/cpython_load.json")
  fi
fi

kitchen_python scripts/merge_results.py "$work/bench.json" "${passes[@]}"

# The charts and the table, rebuilt from this run's numbers, and the report that shows both.
scripts/render.sh "$work"

# Everything is complete: put it in place, one rename per file.
rm -rf "$out/charts"
mv "$work/charts" "$out/charts"
for f in pros_cons.md REPORT.md bench.json; do mv -f "$work/$f" "$out/$f"; done
kitchen_say "wrote $out/bench.json, $out/charts/, $out/pros_cons.md and $out/REPORT.md"

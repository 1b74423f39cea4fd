#!/usr/bin/env bash
# The main job: build the release preset, run the benchmark passes, and leave in results/latest/
# bench.json (Google Benchmark JSON, every pass merged), charts/ (PNG and SVG), pros_cons.md (the
# pros/cons table rebuilt from this run) and REPORT.md (both together). Every file is written
# under a temporary name and renamed when complete, so an interrupted run (Ctrl-C) leaves no
# half-written file and the previous results stay. One run at a time per results folder: a
# second refuses at once (exit 2), naming the PID of the run that holds the folder.
#
#   ./scripts/bench.sh                 everything (7 to 9 minutes on 2 cores after the build)
#   ./scripts/bench.sh --quick         small versions of every pass (about 2 minutes)
#   ./scripts/bench.sh --no-python     without the CPython kitchen (scripts/py_kitchen.py)
#   ./scripts/bench.sh -- FLAGS...     only the kitchen sweep, with extra bench_kitchen flags
#   --max-repetitions=N                the most repetitions the rounds give a row (default 15)
#   --max-seconds=S                    the rounds' budget in seconds (default 150; 20 with --quick)
#   --advise-accuracy                  also measure the sizing model of `kitchen advise` over its
#                                      grid of workloads (at most 120 s more; REPORT.md shows it)
#
# Verdicts are decided by intervals, not by points: after the passes, rounds measure again, in
# interleaved repetitions, the rows behind every cell of the table that is still undecided,
# until each is decided or a cap is reached (scripts/lib/rounds.py). Every pass and round runs
# under a monitor that records what else used the machine (scripts/lib/pass_monitor.py): a pass
# where other processes or steal took over 5% of the machine is warned about on stderr and in
# REPORT.md.
#
# For tests: KITCHEN_RESULTS_DIR (default results/latest) and KITCHEN_BENCH_BIN (a built
# bench_kitchen to use instead of building the release preset).
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=bench.sh
source scripts/lib/setup.sh

usage() { sed -n '2,28s/^# \{0,1\}//p' "$0"; }
quick=0
advise_accuracy=0
python_pass=1
extra=()
max_repetitions=15
max_seconds=
while [ $# -gt 0 ]; do
  case $1 in
    --max-repetitions=*)
      max_repetitions=${1#*=}
      [[ $max_repetitions =~ ^[0-9]{1,4}$ ]] && [ "$max_repetitions" -ge 1 ] &&
        [ "$max_repetitions" -le 1000 ] ||
        { kitchen_say "$1: '$max_repetitions' is not a whole number from 1 to 1000"; exit 2; } ;;
    --max-seconds=*)
      max_seconds=${1#*=}
      [[ $max_seconds =~ ^[0-9]{1,5}$ ]] && [ "$max_seconds" -le 86400 ] ||
        { kitchen_say "$1: '$max_seconds' is not a whole number of seconds from 0 to 86400"; exit 2; } ;;
    --quick) quick=1 ;;
    --no-python) python_pass=0 ;;
    --advise-accuracy) advise_accuracy=1 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) kitchen_say "unknown argument '$1'; accepted: --max-repetitions=N, --max-seconds=S, --quick, --no-python, --advise-accuracy, --help, -- FLAGS for bench_kitchen"; exit 2 ;;
  esac
  shift
done

out=${KITCHEN_RESULTS_DIR:-results/latest}
mkdir -p "$out"
# One run at a time per results folder: a second run refuses at once, naming the first, rather
# than wait minutes unseen or measure beside it. The lock is held by this shell and the
# programs it starts (they inherit it), so it is free only once all of them have ended. The
# file is opened to append: opening it must not wipe the holder's PID before the lock is tried.
lock=$out/.bench.lock
exec 9>>"$lock"
if ! flock -n 9; then
  holder=
  # The holder writes its PID just after it takes the lock.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    holder=$(cat "$lock" 2>/dev/null || true)
    [ -n "$holder" ] && break
    sleep 0.1
  done
  if [ -n "$holder" ] && kill -0 "$holder" 2>/dev/null; then
    kitchen_say "another bench.sh (PID $holder) is writing $out; wait for it to end, or give this run another folder with KITCHEN_RESULTS_DIR"
  else
    kitchen_say "programs of an earlier bench.sh (PID ${holder:-unknown}, ended) still hold $out; wait for them to end, or give this run another folder with KITCHEN_RESULTS_DIR"
  fi
  exit 2
fi
echo $$ >"$lock"
# No other run holds the folder, so whatever a run left there is its own remains: the staging
# folders of runs killed outright (SIGKILL, a crash) and sets that are no longer current.
current=$(readlink "$out/current" 2>/dev/null || true)
for left in "$out"/.run.* "$out"/.set.* "$out"/.current.*; do
  [ -e "$left" ] || [ -L "$left" ] || continue
  [ "${left##*/}" = "$current" ] || rm -rf "$left"
done
work=$(mktemp -d "$out/.run.$$.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -n "${KITCHEN_BENCH_BIN:-}" ]; then
  bench=$KITCHEN_BENCH_BIN
else
  # Under the lock: a second run would otherwise rebuild the binaries the first one is running.
  kitchen_build release
  bench=build/release/bin/bench_kitchen
fi
trap 'kitchen_say "interrupted: $out keeps the previous complete results"; exit 130' INT TERM
passes=()

# monitored NAME OUTFLAG COMMAND...: runs COMMAND OUTFLAG under the pass monitor, which writes
# what else used the machine meanwhile to $work/NAME.machine.json, and keeps COMMAND (without
# its output flag) in $work/NAME.argv for the rounds that measure its rows again.
monitored() {
  local name=$1 out_flag=$2
  shift 2
  kitchen_python -c 'import json, sys; json.dump(sys.argv[2:], open(sys.argv[1], "w"))' \
    "$work/$name.argv" "$@"
  kitchen_python scripts/lib/pass_monitor.py --name="$name" --out="$work/$name.machine.json" \
    -- "$@" "$out_flag"
}

# run_pass NAME FLAGS...: one bench_kitchen run into $work/NAME.json, rows printed as they finish.
# Its repetitions run in Google Benchmark's random interleaving (every repetition of every row
# in a shuffled order), so that slow drift of the machine lands on both sides of a pair.
run_pass() {
  local name=$1
  shift
  kitchen_say "pass '$name': bench_kitchen $*"
  monitored "$name" --benchmark_out="$work/$name.json" "$bench" "$@" \
    --benchmark_enable_random_interleaving=true --benchmark_out_format=json
  passes+=("$name=$work/$name.json")
}

# run_py_pass NAME FLAGS...: one scripts/py_kitchen.py run into $work/NAME.json.
run_py_pass() {
  local name=$1
  shift
  kitchen_say "pass '$name': scripts/py_kitchen.py $*"
  monitored "$name" --out="$work/$name.json" "$(kitchen_python_path)" scripts/py_kitchen.py "$@"
  passes+=("$name=$work/$name.json")
}

q() { [ $quick = 1 ] && echo "$1" || echo "$2"; }  # q QUICK FULL: the value for this run

if [ ${#extra[@]} -gt 0 ]; then
  run_pass kitchen "${extra[@]}"
else
  # The passes the table reads repeat each row 5 times, each repetition at least 0.03 s (a
  # service is already a long iteration); the rounds add repetitions where a cell is undecided.
  # (--quick: 3 repetitions.)
  reps=(--benchmark_repetitions=$(q 3 5) --benchmark_min_time=$(q 0.01 0.03))
  # The executors that keep several dishes in preparation: a custom grid runs every executor,
  # and one that serves a dish at a time would spend seconds on each service of 200 or more.
  overlapping=threads_pool,threads_chefs,threads_per_order,asio_coro,asio_callback,asio_coro_mt,asio_offload
  # The kitchen sweep: every executor over chefs x customers, for the io, cpu and mixed profiles.
  # Most of its points only draw the charts: 3 repetitions, and the rounds add to the few that
  # the table reads where their cells are undecided.
  run_pass kitchen --benchmark_repetitions=3 --benchmark_min_time=$(q 0.01 0.03) $(q --quick "")
  # What the executors cost per dish when there is nothing to wait for and nothing to compute.
  run_pass overhead "${reps[@]}" --profiles=overhead \
    $(q "--chefs=1,3 --customers=2000" "--chefs=3,1000 --customers=10000")
  # The full run's floor rows, for the report's harness shares: each executor's strategy without
  # the harness, at 3 chefs and 10,000 customers, its services paired with the executor's own.
  # 7 repetitions: a median's 95% interval needs at least 6.
  if [ $quick = 0 ]; then
    run_pass floors --benchmark_repetitions=7 --benchmark_min_time=0.03 --profiles=overhead \
      --chefs=3 --customers=10000 --benchmark_filter=^floor/
  fi
  # CPU-bound speed-up with chefs under the emulated GIL (the table's CPU row; the same points
  # without it are in the kitchen sweep, which no pass measures twice).
  run_pass python_mode "${reps[@]}" --profiles=cpu --gil=on --chefs=1,2,4 --customers=20
  # Shared state with and without a lock (the table's complexity row), then the read-modify-write
  # with a wait inside it (read the stock, wait for the fetch, write it back): a one-thread
  # event loop races there too, and only there.
  for pantry in locked unlocked; do
    run_pass "pantry_$pantry" "${reps[@]}" --profiles=overhead --chefs=2 \
      --customers=$(q 1000 5000) --pantry=$pantry
  done
  # (The one-dish-at-a-time kitchens are left out: they cannot overlap two takes, and at 200
  # orders they would take most of the pass.)
  for pantry in unlocked unlocked_await; do
    run_pass "race_$pantry" "${reps[@]}" --profiles=io --chefs=10 --customers=$(q 50 200) \
      --pantry=$pantry --executors="$overlapping"
  done
  # Injected failures, then fail-fast cancellation (the table's error-handling row).
  # (--quick leaves out the one-dish-at-a-time kitchens here: no pair reads them.)
  run_pass failures "${reps[@]}" --profiles=io --chefs=10 --customers=100 --fail-rate=0.05 \
    $(q --executors="$overlapping" "")
  run_pass fail_fast "${reps[@]}" --profiles=io --chefs=10,100 --customers=100 --fail-rate=0.01 \
    --fail-fast
  # Real I/O: each fetch a request to the pantry server over loopback TCP, on Asio's epoll
  # reactor, then on io_uring (bench_kitchen_uring, built beside bench_kitchen). Each chefs level
  # has 10 customers per chef, so that every side can fill its chefs; 1,000 chefs would need
  # 10,000 customers per service and is left out of the budget.
  for chefs in $(q "1 10" "1 10 100"); do
    run_pass "net_$chefs" "${reps[@]}" --io=net --profiles=io --chefs="$chefs" \
      --customers=$((10 * chefs)) --executors="$overlapping"
    if [ -x "${bench}_uring" ]; then
      bench_plain=$bench bench=${bench}_uring
      run_pass "net_uring_$chefs" "${reps[@]}" --io=net --profiles=io --chefs="$chefs" \
        --customers=$((10 * chefs)) --executors="$overlapping"
      bench=$bench_plain
    else
      kitchen_say "skipping pass 'net_uring_$chefs': ${bench}_uring is not built (apt-get install liburing-dev)"
    fi
  done
  # The I/O headline point at the system's default timer slack, what real programs get (the
  # kitchen sweep has it at the suite's 1 ns): 1,000 sleeping threads let the kernel batch
  # their wake-ups there.
  run_pass slack "${reps[@]}" --profiles=io --timer-slack=default \
    $(q "--chefs=100 --customers=1000" "--chefs=1000 --customers=10000") \
    --executors=threads_pool,threads_chefs,threads_per_order,asio_coro,asio_callback
  # The mechanisms behind the table: spawn, switch, memory per task, timer accuracy.
  # --quick leaves out the memory rows above 1,000 tasks, which take most of the pass.
  run_pass mechanisms --benchmark_repetitions=$(q 1 3) \
    --benchmark_filter="$(q '^(spawn|switch|timer)/|^memory/[a-z_]+/tasks:(100|1000)/' \
      '^(spawn|switch|memory|timer)/')"
  # The same kitchen in CPython (scripts/py_kitchen.py), measured by the same rules: the real GIL
  # beside the emulation, and each executor's per-dish overhead in both languages.
  if [ $python_pass = 1 ]; then
    run_py_pass cpython $(q --quick --min-time=0.03)
  fi
  # The same kitchen fetching from the pantry server over loopback sockets (--io=net), beside
  # its timer rows: blocking sockets for threads, asyncio streams, and the blocking pitfall.
  # At the C++ net passes' levels, 10 customers per chef.
  if [ $python_pass = 1 ]; then
    for chefs in $(q "1 10" "1 10 100"); do
      run_py_pass "cpython_net_$chefs" --io=net --profiles=io --chefs="$chefs" \
        --customers=$((10 * chefs)) $(q --quick --min-time=0.03) --executors=py_threads,py_asyncio \
        --pantry-server="$(dirname "$bench")/pantry_server"
    done
    # The CPython claims about errors and shared state, measured by the same passes as C++'s:
    # failures, fail-fast, and the pantry unlocked with and without the wait inside the update.
    run_py_pass cpython_failures --profiles=io --chefs=10 --customers=100 --fail-rate=0.05 \
      $(q --quick --min-time=0.03)
    run_py_pass cpython_fail_fast --profiles=io --chefs=10 --customers=100 --fail-rate=0.01 \
      --fail-fast $(q --quick --min-time=0.03)
    for pantry in unlocked unlocked_await; do
      run_py_pass "cpython_race_$pantry" --profiles=io --chefs=10 --customers=$(q 50 200) \
        --pantry=$pantry $(q --quick --min-time=0.03) --executors=py_threads,py_asyncio
    done
  fi
  # Open loop: orders arrive at fractions of each point's ideal capacity, latency from each
  # arrival time (the latency-against-load chart and the sustainable-throughput table). A
  # service is long enough to be its own repetition: one service per repetition.
  # Poisson arrivals (fixed gaps with fixed dish times cannot queue below capacity) and 2,000
  # orders per service, so that p99 is not the second-worst order.
  run_pass load --benchmark_repetitions=3 --arrivals=poisson \
    $(q "--profiles=io --chefs=100 --customers=2000 --load=0.5,1.2" \
    "--profiles=io,mixed --chefs=100 --customers=2000 --load=0.5,0.75,0.9,1,1.2") \
    --benchmark_min_time=0.01
  if [ $python_pass = 1 ]; then
    run_py_pass cpython_load --profiles=io --chefs=10 $(q \
      "--customers=100 --load=0.5,1.2 --quick" "--customers=150 --load=0.25,0.5,0.75,0.9,1,1.2 --min-time=0.01")
  fi
fi

# The rounds: the rows behind every undecided cell, measured again until the cells are decided
# or the caps are reached; they print what stayed undecided and why.
kitchen_python scripts/lib/rounds.py --work="$work" --max-repetitions="$max_repetitions" \
  --max-seconds="${max_seconds:-$(q 20 150)}" "${passes[@]}"

# The sizing model of `kitchen advise` against measurements over its grid of workloads, with
# this run's mechanism rows (scripts/kitchen_advise/accuracy.py). It runs its own commands under
# the pass monitor; a failure leaves REPORT.md without that section, not the run without results.
if [ $advise_accuracy = 1 ]; then
  kitchen_say "pass 'advise_accuracy': scripts/advise.py accuracy (at most 120 s)"
  mechanisms=()
  [ -f "$work/mechanisms.json" ] && mechanisms=(--mechanisms="$work/mechanisms.json")
  kitchen_python scripts/advise.py accuracy --bench="$bench" "${mechanisms[@]}" --budget-s=120 \
    --json="$work/advise_accuracy.json" ||
    kitchen_say "advise accuracy failed; REPORT.md goes without it"
fi

monitor_records=()
for record in "$work"/*.machine.json; do
  [ -e "$record" ] && monitor_records+=(--interference "$record")
done
kitchen_python scripts/merge_results.py "$work/bench.json" "${passes[@]}" "${monitor_records[@]}"
rm -f "$work"/*.machine.json "$work"/*.argv

# The charts and the table, rebuilt from this run's numbers, and the report that shows both.
scripts/render.sh "$work"

# The passes' own files were the merge's input: the set keeps what the merge and render wrote.
for pass in "${passes[@]}"; do rm -f "${pass#*=}"; done

# Everything is complete: the set is put in place whole. It becomes a folder of its own,
# .set.PID.X; $out/bench.json, charts, pros_cons.md and REPORT.md are links through
# $out/current, and one rename points current at the new set, so that a reader finds the
# previous set or this one, never a mix of both.
set_name=.set.${work##*/.run.}
# mktemp made the folder for its owner alone; the set is read like any folder made here.
chmod "$(umask -S)" "$work"
mv "$work" "$out/$set_name"
work=$out/$set_name
links=(bench.json charts pros_cons.md verdicts.json REPORT.md)
[ -f "$work/advise_accuracy.json" ] && links+=(advise_accuracy.json)
for f in "${links[@]}"; do
  [ "$(readlink "$out/$f" 2>/dev/null || true)" = "current/$f" ] && continue
  # A folder of the layout before links (charts/) cannot be renamed over: it goes first.
  [ -d "$out/$f" ] && [ ! -L "$out/$f" ] && rm -rf "$out/$f"
  ln -s "current/$f" "$out/.current.$$.$f"
  mv -T "$out/.current.$$.$f" "$out/$f"
done
ln -s "$set_name" "$out/.current.$$"
mv -T "$out/.current.$$" "$out/current"
trap - EXIT
for left in "$out"/.set.*; do
  [ "${left##*/}" = "$set_name" ] || rm -rf "$left"
done
kitchen_say "wrote $out/bench.json, $out/charts/, $out/pros_cons.md, $out/verdicts.json and $out/REPORT.md (in $out/$set_name)"

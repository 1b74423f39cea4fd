#!/usr/bin/env bash
# The main job: build the release preset, run the benchmark passes, and leave in results/latest/
# bench.json (Google Benchmark JSON, every pass merged), charts/ (PNG and SVG), pros_cons.md (the
# pros/cons table rebuilt from this run), REPORT.md (both together) and logs/ (each pass's raw
# output). Every file is written under a temporary name and renamed when complete, so an
# interrupted run (Ctrl-C) leaves no half-written file and the previous results stay. One run
# at a time per results folder: a second refuses at once (exit 2), naming the PID of the run
# that holds the folder.
#
#   ./scripts/bench.sh                 everything (7 to 9 minutes on 2 cores after the build)
#   ./scripts/bench.sh --quick         small versions of the passes (a few minutes)
#   ./scripts/bench.sh --no-python     without the CPython kitchen (scripts/py_kitchen.py)
#   ./scripts/bench.sh -- FLAGS...     only the kitchen sweep, with extra bench_kitchen flags
#   --verbose                          stream each pass's raw output (always in logs/<pass>.log)
#   --max-repetitions=N                the most repetitions the rounds give a row (default 15)
#   --max-seconds=S                    the rounds' budget in seconds (default 150; 20 with --quick)
#   --disturbed-share=F                a repetition measured while others took over F of the
#                                      machine is disturbed, and measured again (default 0.05)
#   --advise-accuracy                  also measure the sizing model of `kitchen advise` over its
#                                      grid and held-out workloads (at most 240 s more; REPORT.md
#                                      shows it)
#
# The passes are a table, scripts/lib/passes.py, which scripts/lib/bench_run.py runs: a line when
# each pass starts and ends (its number, what it is for, the time elapsed and left), on a
# terminal a live count of its rows; a failed pass names its log. Verdicts are decided by
# intervals, not by points: after the passes, rounds measure again, in interleaved repetitions,
# the rows behind every cell of the table that is still undecided, until each is decided or a
# cap is reached (scripts/lib/rounds.py). Every pass and round runs under a monitor that records
# what else used the machine (scripts/lib/pass_monitor.py): a pass where other processes or
# steal took over 5% of the machine is flagged on its line, at the end, and in REPORT.md.
#
# For tests: KITCHEN_RESULTS_DIR (default results/latest) and KITCHEN_BENCH_BIN (a built
# bench_kitchen to use instead of building the release preset).
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=bench.sh
source scripts/lib/setup.sh

usage() { sed -n '2,34s/^# \{0,1\}//p' "$0"; }
driver=()
extra=()
max_repetitions=15
while [ $# -gt 0 ]; do
  case $1 in
    --max-repetitions=*)
      max_repetitions=${1#*=}
      repetitions_given=1
      [[ $max_repetitions =~ ^[0-9]{1,4}$ ]] && [ "$max_repetitions" -ge 1 ] &&
        [ "$max_repetitions" -le 1000 ] ||
        { kitchen_say "$1: '$max_repetitions' is not a whole number from 1 to 1000"; exit 2; } ;;
    --max-seconds=*)
      max_seconds=${1#*=}
      [[ $max_seconds =~ ^[0-9]{1,5}$ ]] && [ "$max_seconds" -le 86400 ] ||
        { kitchen_say "$1: '$max_seconds' is not a whole number of seconds from 0 to 86400"; exit 2; }
      driver+=("$1") ;;
    --disturbed-share=*)
      # The share of the machine that other processes or steal may take while a repetition is
      # measured before it counts as disturbed (pass_monitor.py, table/cells.py).
      [[ ${1#*=} =~ ^(0?\.[0-9]{1,4}|1)$ ]] && [[ ! ${1#*=} =~ ^0?\.0*$ ]] ||
        { kitchen_say "$1: '${1#*=}' is not a share of the machine above 0 and at most 1 (0.05 is 5%)"; exit 2; }
      driver+=("$1") ;;
    --quick | --no-python | --advise-accuracy | --verbose) driver+=("$1") ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) kitchen_say "unknown argument '$1'; accepted: --max-repetitions=N, --max-seconds=S, --disturbed-share=F, --quick, --no-python, --advise-accuracy, --verbose, --help, -- FLAGS for bench_kitchen"; exit 2 ;;
  esac
  shift
done
# A flag that would do nothing beside the others is refused, not ignored.
if [ ${#extra[@]} -gt 0 ]; then
  for flag in "${driver[@]}"; do
    case $flag in
      --quick)
        kitchen_say "--quick does nothing with -- FLAGS: only the kitchen sweep runs, with your flags; leave it out, or give bench_kitchen's own --quick after --"
        exit 2 ;;
      --no-python)
        kitchen_say "--no-python does nothing with -- FLAGS: only the kitchen sweep runs, and it is C++; leave it out"
        exit 2 ;;
    esac
  done
fi
if [ "${max_seconds:-}" = 0 ] && [ -n "${repetitions_given:-}" ]; then
  kitchen_say "--max-repetitions does nothing with --max-seconds=0: no round runs; leave one of them out"
  exit 2
fi

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

mkdir "$work/logs"
# A run that fails keeps its logs here, where the next run into the folder does not remove them.
failed_logs=$out/logs.failed

if [ -n "${KITCHEN_BENCH_BIN:-}" ]; then
  bench=$KITCHEN_BENCH_BIN
else
  # Under the lock: a second run would otherwise rebuild the binaries the first one is running.
  # The packages are checked on the terminal (a missing one prints the command to install it);
  # the build's own lines go to logs/build.log.
  [ "${KITCHEN_SKIP_PACKAGES:-0}" = 1 ] || kitchen_ensure_packages || exit 1
  kitchen_say "building preset 'release' in build/release; its log: logs/build.log"
  if ! (KITCHEN_SKIP_PACKAGES=1 kitchen_build release uring_programs) >"$work/logs/build.log" 2>&1; then
    rm -rf "$failed_logs"
    mv "$work/logs" "$failed_logs"
    kitchen_say "the build failed; its log: $failed_logs/build.log"
    exit 1
  fi
  bench=build/release/bin/bench_kitchen
fi
trap 'kitchen_say "interrupted: $out keeps the previous complete results"; exit 130' INT TERM

# The passes (scripts/lib/passes.py), the rounds, the merge and the render, into $work.
if [ ${#extra[@]} -gt 0 ]; then driver+=(--); fi
kitchen_python scripts/lib/bench_run.py run --work="$work" --out="$out" --bench="$bench" \
  --max-repetitions="$max_repetitions" "${driver[@]}" "${extra[@]}"

# Everything is complete: the set is put in place whole. It becomes a folder of its own,
# .set.PID.X; $out/bench.json, charts, pros_cons.md and REPORT.md are links through
# $out/current, and one rename points current at the new set, so that a reader finds the
# previous set or this one, never a mix of both.
set_name=.set.${work##*/.run.}
# mktemp made the folder for its owner alone; the set is read like any folder made here.
chmod "$(umask -S)" "$work"
mv "$work" "$out/$set_name"
work=$out/$set_name
links=(bench.json charts pros_cons.md verdicts.json REPORT.md logs)
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
# The logs of a failed run are older than this complete one.
rm -rf "$failed_logs"
kitchen_python scripts/lib/bench_run.py summary --out="$out"

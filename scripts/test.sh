#!/usr/bin/env bash
# Builds the suite and runs every test through ctest: in the release build, then under
# AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer. Exits non-zero on any
# failure. The sanitizer presets build and run only the tests of the code a sanitizer can find
# bugs in (labels model, executors, pantry, cli, harness); release runs the executors' tests
# against its optimised libraries and the whole-program and script tests (labels programs,
# mechanisms, scripts). ctest runs the tests of a preset in parallel (CMakePresets.json); the
# README's "Two commands" says how long it takes from a fresh clone, and docs/tests.md what
# each label tests in which preset.
#
#   ./scripts/test.sh               release, asan and tsan
#   ./scripts/test.sh release       one preset (release, debug, asan or tsan)
#
# The first preset named is built and tested in the foreground. The others are built at the
# same time at the lowest CPU priority (SCHED_IDLE), each into build/<preset>/test_build.log, so
# that they take only what the first one leaves idle (its links, the last file of its build,
# tests that wait); then their tests run in turn, and last the first preset's tests that must
# run alone (label mechanisms), once no build runs beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=test.sh
source scripts/lib/setup.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(release asan tsan)
for preset in "${presets[@]}"; do
  case $preset in
    release | debug | asan | tsan) ;;
    *) kitchen_say "unknown preset '$preset'; accepted: release, debug, asan, tsan"; exit 2 ;;
  esac
  [ "$(printf '%s\n' "${presets[@]}" | grep -cx "$preset")" = 1 ] ||
    { kitchen_say "preset '$preset' is named more than once; name each preset once"; exit 2; }
done

# Sanitizer reports fail the test that caused them, with the whole report in its output.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

[ "${KITCHEN_SKIP_PACKAGES:-0}" = 1 ] || kitchen_ensure_packages || exit 1
export KITCHEN_SKIP_PACKAGES=1

# A twin built before (by bench.sh) is rebuilt, so that its test never runs a stale one; on a
# fresh clone it is not built, and its test says it is skipped.
build() {
  local preset=$1 twins=()
  [ -x "build/$preset/bin/bench_kitchen_uring" ] && twins=(uring_programs)
  kitchen_build "$preset" "${twins[@]}"
}

# Each background build is a process group of its own (job control on while it starts), whose
# number is kept in build/<preset>/test_build.pid: a failure or an interrupt of this script stops
# it (ninja passes the signal to its compilers), and a run killed outright (SIGKILL, which no
# trap sees) has its builds stopped by the next one, before two ninjas share a build directory.
declare -A background=()
started=$SECONDS
stop_background() {
  local pid
  for pid in "${background[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for preset in "${presets[@]}"; do
  pidfile=build/$preset/test_build.pid
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  # Only a group still led by a test.sh of this checkout: the number may have been reused.
  if [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$PWD" ] &&
    ps -o args= -p "$pid" | grep -q 'scripts/test\.sh'; then
    kill -- "-$pid" 2>/dev/null &&
      kitchen_say "stopped the build of preset '$preset' an earlier run left"
  fi
  rm -f "$pidfile"
done
for preset in "${presets[@]:1}"; do
  mkdir -p "build/$preset"
  set -m
  # Two compilers each, so that once the first preset is done the two builds keep both cores
  # busy without crowding them.
  # SCHED_IDLE rather than nice 19: a nice 19 task still gets a share of a busy core (weight 15
  # against 1,024), and beside them the release build took 168 s against 159 s alone (one fresh
  # clone each, on a quiet machine).
  (chrt --idle -p 0 "$BASHPID" >/dev/null || renice -n 19 -p "$BASHPID" >/dev/null || true
   CMAKE_BUILD_PARALLEL_LEVEL=2 build "$preset") \
    </dev/null >"build/$preset/test_build.log" 2>&1 &
  background[$preset]=$!
  set +m
  echo "${background[$preset]}" >"build/$preset/test_build.pid"
  kitchen_say "building preset '$preset' beside it, at low priority: build/$preset/test_build.log"
done

# The tests labelled `alone` (RUN_SERIAL: the memory rows read figures of the whole machine,
# such as its kernel stacks) wait until no build runs beside them.
alone=mechanisms
has_alone() { ctest --preset "$1" -N -L "$alone" 2>/dev/null | grep -q '^Total Tests: [1-9]'; }
deferred=()
for preset in "${presets[@]}"; do
  if [ -n "${background[$preset]:-}" ]; then
    if ! wait "${background[$preset]}"; then
      # From ninja's first FAILED line: a template error's tail alone does not name the file.
      log=build/$preset/test_build.log
      { grep -q '^FAILED:' "$log" && sed -n '/^FAILED:/,$p' "$log" | head -n 60; } ||
        tail -n 40 "$log"
      kitchen_say "build of preset '$preset' failed: its output is in $log"
      exit 1
    fi
    unset "background[$preset]"
    rm -f "build/$preset/test_build.pid"
  else
    build "$preset"
  fi
  built=$SECONDS
  kitchen_say "running the tests of preset '$preset' (built $((built - started)) s after the start)"
  if [ ${#background[@]} -gt 0 ] && has_alone "$preset"; then
    ctest --preset "$preset" -LE "$alone"
    deferred+=("$preset")
  else
    ctest --preset "$preset"
  fi
  kitchen_say "preset '$preset': tests $((SECONDS - built)) s"
done
for preset in "${deferred[@]}"; do
  kitchen_say "running the tests of preset '$preset' labelled $alone, now that no build runs" \
    "beside them"
  ctest --preset "$preset" -L "$alone"
done
kitchen_say "all tests passed (${presets[*]}) in $((SECONDS - started)) s"

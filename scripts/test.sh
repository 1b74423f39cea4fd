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
# same time at the lowest CPU priority (nice 19), each into build/<preset>/test_build.log, so
# that they take only what the first one leaves idle (its links, the last file of its build,
# tests that wait); then their tests run in turn.
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

# Each background build is a process group of its own (job control on while it starts), so that
# a failure or an interrupt of this script stops its compilers too.
declare -A background
started=$SECONDS
stop_background() {
  local pid
  for pid in "${background[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
trap 'exit 130' INT TERM
for preset in "${presets[@]:1}"; do
  mkdir -p "build/$preset"
  set -m
  # Two compilers each: once the first preset is done, the two builds together run ninja's
  # default for two cores.
  (renice -n 19 -p "$BASHPID" >/dev/null && CMAKE_BUILD_PARALLEL_LEVEL=2 build "$preset") \
    >"build/$preset/test_build.log" 2>&1 &
  background[$preset]=$!
  set +m
  kitchen_say "building preset '$preset' beside it, at low priority: build/$preset/test_build.log"
done

for preset in "${presets[@]}"; do
  if [ -n "${background[$preset]:-}" ]; then
    if ! wait "${background[$preset]}"; then
      tail -n 40 "build/$preset/test_build.log" >&2
      kitchen_say "build of preset '$preset' failed: the last lines of build/$preset/test_build.log are above"
      exit 1
    fi
    unset "background[$preset]"
  else
    build "$preset"
  fi
  built=$SECONDS
  kitchen_say "running the tests of preset '$preset' (built $((built - started)) s after the start)"
  ctest --preset "$preset"
  kitchen_say "preset '$preset': tests $((SECONDS - built)) s"
done
kitchen_say "all tests passed (${presets[*]}) in $((SECONDS - started)) s"

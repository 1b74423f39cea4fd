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
done

# Sanitizer reports fail the test that caused them, with the whole report in its output.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

for preset in "${presets[@]}"; do
  started=$SECONDS
  # A twin built before (by bench.sh) is rebuilt, so that its test never runs a stale one; on a
  # fresh clone it is not built, and its test says it is skipped.
  twins=()
  [ -x "build/$preset/bin/bench_kitchen_uring" ] && twins=(uring_programs)
  kitchen_build "$preset" "${twins[@]}"
  built=$SECONDS
  kitchen_say "running the tests of preset '$preset'"
  ctest --preset "$preset"
  kitchen_say "preset '$preset': build $((built - started)) s, tests $((SECONDS - built)) s"
done
kitchen_say "all tests passed (${presets[*]})"

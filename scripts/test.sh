#!/usr/bin/env bash
# Builds the suite and runs every test through ctest, three times: in the release build, then
# under AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer. Exits non-zero
# on any failure. About 10 minutes on 2 cores from a clean tree.
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
  kitchen_build "$preset"
  kitchen_say "running the tests of preset '$preset'"
  # The scripts' Python tests do not depend on the C++ build: run them once, with release.
  skip=()
  [ "$preset" = release ] || skip=(-LE scripts)
  ctest --preset "$preset" "${skip[@]}"
done
kitchen_say "all tests passed (${presets[*]})"

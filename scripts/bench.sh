#!/usr/bin/env bash
# The main job: build the release preset, run the benchmark sweep, and leave the results in
# results/latest/. Files are written under a temporary name and renamed when complete, so an
# interrupted run never leaves half a file and the previous results stay.
#
#   ./scripts/bench.sh                 the default sweep (a few minutes on 2 cores)
#   ./scripts/bench.sh --quick         the small sweep
#   ./scripts/bench.sh -- FLAGS...     extra flags for bench_kitchen (see bench_kitchen --help)
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=bench.sh
source scripts/lib/setup.sh

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }
quick=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=(--quick) ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) kitchen_say "unknown argument '$1'; accepted: --quick, --help, -- FLAGS for bench_kitchen"; exit 2 ;;
  esac
  shift
done

kitchen_build release
out=results/latest
mkdir -p "$out"
tmp=$(mktemp "$out/.bench.json.XXXXXX")
trap 'rm -f "$tmp"' EXIT
kitchen_say "running the kitchen sweep${quick:+ (quick)}; rows print as they finish"
build/release/bin/bench_kitchen "${quick[@]}" "${extra[@]}" \
  --benchmark_out="$tmp" --benchmark_out_format=json
mv -f "$tmp" "$out/bench.json"
kitchen_say "wrote $out/bench.json"

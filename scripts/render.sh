#!/usr/bin/env bash
# Draws the charts, rebuilds the table and writes the report of one results folder, from its
# bench.json: DIR/charts/ (PNG and SVG), DIR/pros_cons.md, DIR/verdicts.json (the table's cells,
# for compare.py --verdicts) and DIR/REPORT.md. bench.sh ends with it; run it alone to
# re-render a run (a committed reference, say) after changing the scripts.
# Everything is made in a temporary folder first, then moved into place.
#
#   ./scripts/render.sh results/latest
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=render.sh
source scripts/lib/setup.sh

dir=${1:-}
[ -n "$dir" ] && [ $# -eq 1 ] || { kitchen_say "usage: scripts/render.sh RESULTS_DIR (holding bench.json)"; exit 2; }
# A folder bench.sh wrote holds links to its current set: the set itself is rendered again, so
# that the links keep pointing at one whole set.
[ -L "$dir/current" ] && dir=$dir/$(readlink "$dir/current")
[ -f "$dir/bench.json" ] || { kitchen_say "$dir/bench.json: no such file"; exit 2; }
[ -w "$dir" ] || { kitchen_say "$dir: cannot write there"; exit 2; }

python=$(scripts/find_python.sh)
work=$(mktemp -d "$dir/.render.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$python" scripts/plot.py "$dir/bench.json" --out "$work/charts"
# The sizing model's accuracy, when bench.sh --advise-accuracy measured it (REPORT.md shows it).
if [ -f "$dir/advise_accuracy.json" ]; then
  "$python" scripts/advise.py chart "$dir/advise_accuracy.json" --out "$work/charts"
fi
"$python" scripts/pros_cons.py "$dir/bench.json" --out "$work/pros_cons.md" \
  --verdicts "$work/verdicts.json"
"$python" scripts/report.py "$dir/bench.json" --table "$work/pros_cons.md" --charts "$work/charts" \
  --out "$work/REPORT.md"
rm -rf "$dir/charts"
mv "$work/charts" "$dir/charts"
mv -f "$work/pros_cons.md" "$dir/pros_cons.md"
mv -f "$work/verdicts.json" "$dir/verdicts.json"
mv -f "$work/REPORT.md" "$dir/REPORT.md"
kitchen_say "wrote $dir/charts/, $dir/pros_cons.md, $dir/verdicts.json and $dir/REPORT.md"

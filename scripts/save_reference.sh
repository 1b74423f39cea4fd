#!/usr/bin/env bash
# Copies the complete run in results/latest/ to results/reference/<date>-<cpu>-<cores>c-<compiler>/
# with a machine.md that says where it came from, for committing as reference results.
#
#   ./scripts/bench.sh && ./scripts/save_reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=save_reference.sh
source scripts/lib/setup.sh

latest=results/latest
for f in bench.json pros_cons.md verdicts.json REPORT.md charts; do
  [ -e "$latest/$f" ] || { kitchen_say "$latest/$f is missing: run ./scripts/bench.sh first"; exit 2; }
done

# A reference must say exactly which code measured it: a committed revision, the one checked out.
measured=$(kitchen_python -c 'import json, sys; print(json.load(open(sys.argv[1]))["context"].get("kitchen_git_revision", "unknown"))' "$latest/bench.json")
head=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
case $measured in
  *-dirty | unknown) kitchen_say "$latest/bench.json was measured by uncommitted code ($measured): commit, then run ./scripts/bench.sh again"; exit 2 ;;
esac
[ "$measured" = "$head" ] || { kitchen_say "$latest/bench.json was measured by $measured, but $head is checked out: run ./scripts/bench.sh again"; exit 2; }

cpu=$(LC_ALL=C lscpu | sed -n 's/^Model name: *//p' | head -1)
slug() { tr '[:upper:]' '[:lower:]' | tr -cs 'a-z0-9.' '-' | sed 's/^-//; s/-$//'; }
compiler="gcc$(g++ -dumpfullversion 2>/dev/null || g++ -dumpversion)"
name="$(date -u +%Y-%m-%d)-$(printf '%s' "${cpu:-cpu}" | slug)-$(nproc)c-$(printf '%s' "$compiler" | slug)"
dest=results/reference/$name
tmp=$(mktemp -d results/.reference.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# -L: bench.sh's results folder holds links to its current set; the reference holds the files.
cp -rL "$latest/bench.json" "$latest/pros_cons.md" "$latest/verdicts.json" "$latest/REPORT.md" "$latest/charts" "$tmp/"
# A run with --advise-accuracy has the sizing model's figures too; REPORT.md quotes them.
[ -e "$latest/advise_accuracy.json" ] && cp -L "$latest/advise_accuracy.json" "$tmp/"
{
  echo "# Where these results came from"
  echo
  echo "- date (UTC): $(date -u '+%Y-%m-%d %H:%M')"
  echo "- CPU: ${cpu:-unknown}, $(nproc) cores, $(LC_ALL=C lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core"
  echo "- memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "- compiler: $(g++ --version | head -1)"
  echo "- Boost: $(dpkg-query -W -f='${Version}' libboost1.81-dev 2>/dev/null || echo unknown), Google Benchmark: $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo unknown)"
  echo "- Python (py_kitchen.py): $(kitchen_python --version 2>&1)"
  echo "- revision: $measured (it measured, drew the charts and built the table)"
  echo "- limits: pid_max $(cat /proc/sys/kernel/pid_max), threads-max $(cat /proc/sys/kernel/threads-max), max_map_count $(cat /proc/sys/vm/max_map_count), RLIMIT_NPROC $(ulimit -u)"
  echo
  echo "Reproduce with \`./scripts/bench.sh\` on a machine like this one; compare ratios, not absolute times."
  echo
  echo "## What else used the machine"
  echo
  # Each pass's shares of the machine, from the pass monitor's records in bench.json.
  (cd scripts && kitchen_python -c 'import sys; sys.dont_write_bytecode = True
from kitchen_report import interference, load
print("\n".join(interference.table(load.load([sys.argv[1]]))))' "../$latest/bench.json")
} >"$tmp/machine.md"
mkdir -p results/reference
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
kitchen_say "saved $dest"
# The README shows the newest reference's verdicts: copy them there.
kitchen_python scripts/readme_reference.py "$dest"

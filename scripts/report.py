#!/usr/bin/env python3
"""Write REPORT.md: the rebuilt pros/cons table and the charts of one run, together.

usage: report.py RESULTS.json --table pros_cons.md --charts DIR --out REPORT.md

Images are linked relative to the report, so results/latest/REPORT.md (or a committed copy under
results/reference/) reads well on a code host. Standard library only.
"""
import argparse
import os
import sys

from atomic_files import write_text
from kitchen_results import LoadError, load, machine_line

# The charts in reading order, with what each one is for; plot.py names them.
CHARTS = [
    ("throughput", "Throughput: dishes per second against chefs, one panel per profile"),
    ("latency", "Makespan and p99 latency against customers"),
    ("efficiency_io", "Efficiency (ideal / measured makespan), chefs x customers: io profile"),
    ("efficiency_cpu", "Efficiency, chefs x customers: cpu profile"),
    ("efficiency_mixed", "Efficiency, chefs x customers: mixed profile"),
    ("cpu_speedup", "CPU-bound speed-up against chefs, with and without the GIL"),
    ("overhead", "What each executor costs per dish, with nothing to wait for or compute"),
    ("memory", "Memory per idle task: threads against coroutines, resident and kernel"),
    ("spawn_switch", "Spawn and switch cost"),
    ("timer", "Timer accuracy: overshoot of requested waits"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--table", required=True)
    parser.add_argument("--charts", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        results = load([args.results])
        with open(args.table, encoding="utf-8") as f:
            table = f.read()
    except (LoadError, OSError) as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(args.out))
    lines = ["# kitchen bench report", "", f"Measured on {machine_line(results)}.", "",
             table.rstrip(), "", "## Charts", ""]
    for name, caption in CHARTS:
        png = os.path.join(args.charts, name + ".png")
        if os.path.exists(png):
            rel = os.path.relpath(png, here)
            lines += [f"### {caption}", "", f"![{caption}]({rel})", ""]
    try:
        write_text(args.out, "\n".join(lines) + "\n")
    except OSError as e:
        print(f"report.py: cannot write {args.out}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

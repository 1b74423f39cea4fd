#!/usr/bin/env python3
"""Rebuild the article's async-vs-threads table from benchmark JSON, row by row, as Markdown.

usage: pros_cons.py RESULTS.json [MORE.json ...] [--out FILE] [--strict]

Every verdict is computed from the measured rows and the thresholds below; none is written by
hand, so JSON in which threads win makes the table say so. Standard library only.
"""

import argparse
import ast
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from atomic_files import write_text  # noqa: E402
from kitchen_results import LoadError, load, machine_line, num_cpus  # noqa: E402
import table_rows  # noqa: E402
import verdicts  # noqa: E402

# The thresholds behind the verdicts. Each docstring is printed under the table as written.

SINGLE_THREADED_MAX = 1
"""Concurrency model: an executor that never ran more OS threads than this is single-threaded."""

CPU_SPEEDUP_PARALLEL = 1.5
"""CPU-bound: dishes/s with more chefs over dishes/s with 1 chef (cpu profile, same customers)
at or above this is a real parallel benefit; below it, a limited one."""

IO_THROUGHPUT_RATIO = 1.10
"""I/O-bound: a side wins when its best dishes/s is at least this many times the other side's
best at the same chefs and customers (io profile); closer than that is a tie."""

MEMORY_RATIO = 2.0
"""Memory: async is lower when the cheapest thread kind needs at least this many times the
bytes per task (resident + kernel) of the cheapest coroutine kind."""

RACE_LOST_UPDATES = 1
"""Complexity: this many lost updates of the unlocked pantry, or more, is an observed race."""

SYNC_OPS_RATIO = 2.0
"""Complexity, when no unlocked run exists: threads need more synchronization when their sync
operations per dish are at least this many times async's."""

CANCEL_RATIO = 2.0
"""Error handling: a side stops faster after the first failure when the other side's cancel
time is at least this many times its own."""


def thresholds():
    return verdicts.Thresholds(
        single_threaded_max=SINGLE_THREADED_MAX, cpu_speedup_parallel=CPU_SPEEDUP_PARALLEL,
        io_throughput_ratio=IO_THROUGHPUT_RATIO, memory_ratio=MEMORY_RATIO,
        race_lost_updates=RACE_LOST_UPDATES, sync_ops_ratio=SYNC_OPS_RATIO,
        cancel_ratio=CANCEL_RATIO)


def threshold_notes():
    """(name, value, docstring) of each constant above, read from this file's own source so
    that the table and the code cannot disagree."""
    with open(os.path.abspath(__file__), encoding="utf-8") as f:
        body = ast.parse(f.read()).body
    notes = []
    for node, doc in zip(body, body[1:]):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()
                and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)):
            name = node.targets[0].id
            notes.append((name, globals()[name], " ".join(doc.value.value.split())))
    return notes


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other input error
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def _cell(lines):
    text = "<br>".join(lines) if lines else "not measured in this run"
    return text.replace("|", "\\|").replace("\n", " ")


def _verdict_cell(v):
    head = f"**{v.word}**" + (f" (on {v.on})" if v.on else "")
    return f"{head}: {v.why}" if v.why else head


def render(results, inputs):
    source_root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    rows = table_rows.evaluate(results, thresholds(), num_cpus(results), source_root)
    out = ["# Async or threads: the article's table, measured", "",
           f"Measured on {machine_line(results)}.", "",
           "Inputs: " + ", ".join(f"`{os.path.basename(p)}`" for p in inputs) + ".", "",
           "| Feature | Claim: async / threads | Async, measured | Threads, measured | Verdict |",
           "|---|---|---|---|---|"]
    for r in rows:
        claim = f"{r.claim_async} / {r.claim_threads}"
        out.append(f"| {r.feature} | {_cell([claim])} | {_cell(r.async_figures)} | "
                   f"{_cell(r.threads_figures)} | {_cell([_verdict_cell(r.verdict)])} |")
    out += ["", "Figures name the benchmark rows they come from; where several rows are read, "
            "`*` stands for every executor of the row's side. A verdict is computed from the "
            "thresholds below, never written by hand:", ""]
    out += [f"- `{name} = {value}`: {meaning}" for name, value, meaning in threshold_notes()]
    missing = table_rows.not_measured(results)
    if missing:
        out += ["", "Not measured in this run: " + "; ".join(missing) + "."]
    if results.errors:
        out += ["", f"Rows that failed ({len(results.errors)}), listed and not used:", ""]
        out += [f"- `{e.name}`: {e.message}" for e in results.errors]
    return "\n".join(out) + "\n"


def main(argv=None):
    parser = _Parser(prog="pros_cons.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="RESULTS.json",
                        help="Google Benchmark JSON from bench_kitchen and/or py_kitchen.py")
    parser.add_argument("--out", metavar="FILE", help="write the Markdown here (default: stdout)")
    parser.add_argument("--strict", action="store_true",
                        help="treat any failed row (SkipWithError) as an input error")
    args = parser.parse_args(argv)
    try:
        text = render(load(args.inputs, strict=args.strict), args.inputs)
        if args.out:
            write_text(args.out, text)
        else:
            sys.stdout.write(text)
    except LoadError as e:
        sys.stderr.write(f"pros_cons.py: error: {e}\n")
        return 2
    except OSError as e:
        sys.stderr.write(f"pros_cons.py: error: cannot write {args.out}: {e.strerror or e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("pros_cons.py: interrupted; no file was written\n")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

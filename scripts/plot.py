#!/usr/bin/env python3
"""Draw the kitchen bench charts, PNG and SVG, from Google Benchmark JSON.

usage: plot.py RESULTS.json [MORE.json ...] --out DIR [--strict]

Needs matplotlib (scripts/find_python.sh finds an interpreter that has it). A chart whose rows
are not in the input is skipped with a note; rows that failed are listed, never plotted. The
same input gives byte-identical SVG.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ left in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kitchen_results import LoadError, load, machine_line  # noqa: E402


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other input error
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def _charts():
    """(name, function) of every chart, in the order they are reported."""
    import charts_kitchen as k
    import charts_mechanisms as m
    return (("throughput", k.throughput), ("latency", k.latency), ("efficiency", k.efficiency),
            ("cpu_speedup", k.cpu_speedup), ("overhead", k.overhead), ("memory", m.memory),
            ("spawn_switch", m.spawn_switch), ("timer", m.timer))


def _writable_dir(out):
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise LoadError(f"cannot create output directory {out}: {e.strerror or e}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise LoadError(f"output directory {out} is not writable")


def run(inputs, out, strict=False):
    # Input and output are checked first, so that their errors read the same without matplotlib.
    results = load(inputs, strict=strict)
    _writable_dir(out)
    try:
        import chart_style  # sets the Agg backend before anything draws
    except ImportError:
        raise LoadError(f"matplotlib is missing from {sys.executable}: install "
                        "python3-matplotlib (apt-get install python3-matplotlib), "
                        "see scripts/find_python.sh") from None
    from chart_style import NoData
    note = f"{machine_line(results)}  ·  inputs: {', '.join(os.path.basename(p) for p in inputs)}"
    for name, chart in _charts():
        try:
            figures = chart(results, note)
        except NoData as e:
            print(f"skipped {name}: {e}; not measured in this run")
            continue
        for stem, fig in figures:
            try:
                paths = chart_style.save(fig, out, stem)
            except OSError as e:
                raise LoadError(f"cannot write into {out}: {e.strerror or e}") from None
            print("wrote " + ", ".join(paths))
    if results.errors:
        print(f"rows that failed ({len(results.errors)}), not plotted:")
        for e in results.errors:
            print(f"  {e.name}: {e.message}")


def main(argv=None):
    parser = _Parser(prog="plot.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="RESULTS.json",
                        help="Google Benchmark JSON from bench_kitchen and/or py_kitchen.py")
    parser.add_argument("--out", required=True, metavar="DIR", help="directory for the charts")
    parser.add_argument("--strict", action="store_true",
                        help="treat any failed row (SkipWithError) as an input error")
    args = parser.parse_args(argv)
    try:
        run(args.inputs, args.out, args.strict)
    except LoadError as e:
        sys.stderr.write(f"plot.py: error: {e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("plot.py: interrupted; charts already written are complete\n")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

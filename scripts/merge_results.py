#!/usr/bin/env python3
"""Merge the Google Benchmark JSON of bench.sh's passes into one results file.

usage: merge_results.py OUT.json NAME=IN.json [NAME=IN.json ...] [--interference RECORD.json ...]

bench.sh runs bench_kitchen several times and py_kitchen.py once, and keeps one file: every
pass's rows in order, each tagged with its pass, and the executors' catalogues joined. The
output is written under a temporary name and renamed, so an interrupted merge leaves nothing.
A pass name or a file given twice is refused, as is a row that two passes measured.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report.merge import run  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("merge_results.py", __doc__)
    parser.add_argument("out", metavar="OUT.json")
    parser.add_argument("passes", nargs="+", metavar="NAME=IN.json")
    parser.add_argument("--interference", action="append", default=[], metavar="RECORD.json",
                        help="a pass monitor's record of what else used the machine (repeatable)")
    args = parser.parse_args(argv)
    return cli.run("merge_results.py", lambda: run(args.out, args.passes, args.interference))


if __name__ == "__main__":
    sys.exit(main())

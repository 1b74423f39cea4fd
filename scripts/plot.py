#!/usr/bin/env python3
"""Draw the kitchen bench charts, PNG and SVG, from Google Benchmark JSON.

usage: plot.py RESULTS.json [MORE.json ...] --out DIR [--strict]

Needs matplotlib (scripts/find_python.sh finds an interpreter that has it). A chart whose rows
are not in the input is skipped with a note; rows that failed are listed, never plotted. The
same input gives byte-identical SVG.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report.plot import run  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("plot.py", __doc__)
    cli.inputs_argument(parser)
    parser.add_argument("--out", required=True, metavar="DIR", help="directory for the charts")
    cli.strict_argument(parser)
    args = parser.parse_args(argv)
    return cli.run("plot.py", lambda: run(args.inputs, args.out, args.strict),
                   "charts already written are complete")


if __name__ == "__main__":
    sys.exit(main())

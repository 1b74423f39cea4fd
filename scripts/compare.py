#!/usr/bin/env python3
"""Compare two runs of bench_kitchen (or py_kitchen.py), row by row, with a significance test.

usage: compare.py OLD.json NEW.json   (a results folder stands for its bench.json)

Prints, for every row both runs measured, the median wall and CPU time of each, their change,
and a Mann-Whitney U p-value over the repetitions (standard library only: no scipy needed).
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report.compare import run  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("compare.py", __doc__)
    parser.add_argument("old", metavar="OLD.json")
    parser.add_argument("new", metavar="NEW.json")
    args = parser.parse_args(argv)
    return cli.run("compare.py", lambda: print("\n".join(run([args.old, args.new]))),
                   "nothing was written")


if __name__ == "__main__":
    sys.exit(main())

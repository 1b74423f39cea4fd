#!/usr/bin/env python3
"""Compare two runs of bench_kitchen (or py_kitchen.py): row by row with a significance test,
or, with --verdicts, cell by cell through the table's verdicts.json.

usage: compare.py OLD.json NEW.json   (a results folder stands for its bench.json)
       compare.py --verdicts A B      (a results folder stands for its verdicts.json)

Rows: for every row both runs measured, the median wall and CPU time of each, their change,
and a Mann-Whitney U p-value over the repetitions (standard library only: no scipy needed).

Verdicts: the cells whose outcome differs (win <-> lose is a contradiction, decided ->
undecided a weakening), the count of cells decided in both runs whose intervals do not overlap
and their names, a summary line and the seven verdict words side by side. Exit status 1
when any cell contradicts, 0 when none, 2 on unusable input.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report import compare as rows  # noqa: E402
from kitchen_report import verdicts_compare  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("compare.py", __doc__)
    parser.add_argument("old", metavar="OLD.json")
    parser.add_argument("new", metavar="NEW.json")
    parser.add_argument("--verdicts", action="store_true",
                        help="compare the two runs' verdicts.json cell by cell")
    args = parser.parse_args(argv)
    status = [0]

    def work():
        if args.verdicts:
            out, status[0] = verdicts_compare.run([args.old, args.new])
        else:
            out = rows.run([args.old, args.new])
        print("\n".join(out))

    return cli.run("compare.py", work, "nothing was written") or status[0]


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Copy the verdicts of a committed reference run into README.md, or check that they are there.

usage: readme_reference.py REFERENCE_DIR [--readme README.md] [--check]

The README shows the table's verdicts from results/reference/<run>/pros_cons.md between two
markers, and kitchen advise's accuracy on that run's held-out and grid workloads (its
advise_accuracy.json, from `bench.sh --advise-accuracy`) between two others. They are copied by
this script, never typed, and a test runs it with --check so that the README cannot drift from
the committed results.
"""

import os
import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

import json  # noqa: E402

from kitchen_advise.accuracy import headline  # noqa: E402
from kitchen_report import cli  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.readme import (ACCURACY_BEGIN, ACCURACY_END, updated,  # noqa: E402
                                   verdict_table)

PROG = "readme_reference.py"


def main(argv=None) -> int:
    parser = cli.Parser(PROG, __doc__)
    parser.add_argument("reference", metavar="REFERENCE_DIR")
    parser.add_argument("--readme", default=os.path.join(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))), "README.md"))
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    try:
        with open(os.path.join(args.reference, "pros_cons.md"), encoding="utf-8") as f:
            table = verdict_table(f.read())
        with open(args.readme, encoding="utf-8") as f:
            readme = f.read()
        new = updated(readme, table)
        with open(os.path.join(args.reference, "advise_accuracy.json"), encoding="utf-8") as f:
            doc = json.load(f)
        said = [line for line in (headline(doc, "holdout"), headline(doc, "grid")) if line]
        if not said:
            raise ValueError(f"{args.reference}/advise_accuracy.json has neither set measured")
        new = updated(new, "\n".join(f"- {line}." for line in said), ACCURACY_BEGIN,
                      ACCURACY_END)
    except (OSError, ValueError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    if args.check:
        if new != readme:
            print(f"{PROG}: {args.readme} does not show the verdicts of {args.reference}; run "
                  f"scripts/readme_reference.py {args.reference}", file=sys.stderr)
            return 1
        return 0
    return cli.run(PROG, lambda: write_text(args.readme, new))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Write REPORT.md: the rebuilt table and the charts of one run, with what each chart shows.

usage: report.py RESULTS.json --table pros_cons.md --charts DIR --out REPORT.md

Images are linked relative to the report, so results/latest/REPORT.md (or a committed copy under
results/reference/) reads well on a code host. Standard library only.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.load import LoadError, load  # noqa: E402
from kitchen_report.report import document  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("report.py", __doc__)
    cli.inputs_argument(parser)
    parser.add_argument("--table", required=True, metavar="pros_cons.md")
    parser.add_argument("--charts", required=True, metavar="DIR")
    parser.add_argument("--out", required=True, metavar="REPORT.md")

    def work():
        args = parser.parse_args(argv)
        results = load(args.inputs)
        try:
            with open(args.table, encoding="utf-8") as f:
                table = f.read()
        except OSError as e:
            raise LoadError(f"cannot read {args.table}: {e.strerror or e}") from None
        write_text(args.out, document(results, table, args.charts, args.out, args.table))

    return cli.run("report.py", work)


if __name__ == "__main__":
    sys.exit(main())

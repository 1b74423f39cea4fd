#!/usr/bin/env python3
"""Rebuild the async-vs-threads pros/cons table from benchmark JSON, as Markdown.

usage: pros_cons.py RESULTS.json [MORE.json ...] [--out FILE] [--verdicts FILE] [--strict]

Every verdict is computed from the measured rows and the thresholds of its row's module
(kitchen_report/table/); none is written by hand. With --verdicts, the verdict words and every
cell behind them (medians, ratio, interval, outcome, repetitions, rows read) are also written
as JSON, which compare.py --verdicts reads. Standard library only.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import cli  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.load import load  # noqa: E402
from kitchen_report.provenance import machine_line  # noqa: E402
from kitchen_report.table import evaluate, fibers_section  # noqa: E402
from kitchen_report.table.markdown import document  # noqa: E402
from kitchen_report import verdicts  # noqa: E402


def main(argv=None) -> int:
    parser = cli.Parser("pros_cons.py", __doc__)
    cli.inputs_argument(parser)
    parser.add_argument("--out", metavar="FILE", help="write the Markdown here (default: stdout)")
    parser.add_argument("--verdicts", metavar="FILE",
                        help="also write the verdicts and their cells here (verdicts.json)")
    cli.strict_argument(parser)
    args = parser.parse_args(argv)

    def work():
        results = load(args.inputs, strict=args.strict)
        rows = evaluate(results)
        section = fibers_section(results)
        text = document(results, rows, machine_line(results), section)
        if args.verdicts:
            verdicts.write(args.verdicts, rows, machine_line(results), section)
        if args.out:
            write_text(args.out, text)
        else:
            sys.stdout.write(text)

    return cli.run("pros_cons.py", work)


if __name__ == "__main__":
    sys.exit(main())

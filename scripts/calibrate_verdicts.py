#!/usr/bin/env python3
"""Calibrate the verdicts' decision procedure on simulated cells whose true ratio is known.

usage: calibrate_verdicts.py [--json=FILE] [--cells=N] [--seed=S]

Runs the table's own decision code and the rounds' own (kitchen_report/calibration.py), on
log-normal repetitions with cv 2%, 5% and 15% at each tie band the table uses, N cells (2,000)
per scenario: the true ratio on a band edge, at 1.0 (a tie) and two bands out (a win). Prints
per setting the share of final intervals that hold the true ratio (coverage), the share of
edge cells decided (edge_decided) and the shares decided correctly (power), then the same for
two sides of unequal spreads (cv 2% against 10%), where the interval's exact guarantee does not
hold (it assumes one shape on both sides), with no target. With --json, writes them too. The figures are the same for the
same seed on every run. Exit status 0 when every target is met (coverage >= 0.94 and
edge_decided <= 0.06 in every setting, power >= 0.9 at cv 2% and 5%), 1 when one is missed
(each named on stderr), 2 on a bad flag.
"""

import json
import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from kitchen_report import calibration as cal  # noqa: E402
from kitchen_report import cli  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.stats import (  # noqa: E402
    CONFIDENCE, MIN_REPETITIONS, PLANNED_MAX_REPETITIONS, ROUND)

# The unequal spreads shown beside the targets: one side this cv, the other UNEQUAL_CV_B.
UNEQUAL_CV_A, UNEQUAL_CV_B = 0.02, 0.10


def main(argv=None) -> int:
    parser = cli.Parser("calibrate_verdicts.py", __doc__)
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    parser.add_argument("--cells", type=int, default=cal.CELLS,
                        help=f"cells per scenario and setting (default {cal.CELLS})")
    parser.add_argument("--seed", type=int, default=cal.SEED)
    args = parser.parse_args(argv)
    if args.cells < 1:
        parser.error(f"--cells={args.cells}: expected a whole number from 1")
    status = [0]

    def work():
        figures = [cal.run_setting(cv, band, args.cells, args.seed) for cv, band in cal.settings()]
        unequal = [cal.run_setting(UNEQUAL_CV_A, band, args.cells, args.seed, UNEQUAL_CV_B)
                   for band in cal.BANDS]
        missed = [m for f in figures for m in cal.misses(f)]
        print(f"The verdicts' procedure on simulated cells ({args.cells:,} a scenario, seed "
              f"{args.seed}; from {cal.START} repetitions a side, {ROUND} more a round, "
              f"decisions from {MIN_REPETITIONS}, cap {PLANNED_MAX_REPETITIONS}):")
        print("\n".join(cal.table(figures)))
        print(f"\nUnequal spreads (cv {UNEQUAL_CV_A * 100:g}% against {UNEQUAL_CV_B * 100:g}%; "
              "outside the interval's exact guarantee, no target):")
        print("\n".join(cal.table(unequal)))
        doc = {"format": "kitchen-calibration", "version": 1, "seed": args.seed,
               "cells": args.cells, "confidence": CONFIDENCE, "bands": list(cal.BANDS),
               "cvs": list(cal.CVS), "start": cal.START, "round": ROUND,
               "min_repetitions": MIN_REPETITIONS, "cap": PLANNED_MAX_REPETITIONS,
               "targets": {"coverage_min": cal.COVERAGE_MIN,
                           "edge_decided_max": cal.EDGE_DECIDED_MAX,
                           "power_min": cal.POWER_MIN, "power_cvs": list(cal.POWER_CVS)},
               "settings": figures, "unequal_spreads": unequal, "met": not missed,
               "missed": missed}
        if args.json:
            write_text(args.json, json.dumps(doc, indent=1, allow_nan=False) + "\n")
        for m in missed:
            print(f"calibrate_verdicts.py: target missed: {m}", file=sys.stderr)
        print("\nevery target met" if not missed else f"\n{len(missed)} target(s) missed")
        status[0] = 1 if missed else 0

    return cli.run("calibrate_verdicts.py", work) or status[0]


if __name__ == "__main__":
    sys.exit(main())

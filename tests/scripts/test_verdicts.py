"""verdicts.json: written beside pros_cons.md (pros_cons.py --verdicts, render.sh), strict JSON
with no NaN or Infinity, the seven verdict words of the table and every cell behind them."""

import json
import math
import os
import subprocess
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, SCRIPTS, fixture, run
from test_pros_cons import FEATURES, words

from kitchen_report import verdicts
from kitchen_report.table.cells import METHOD, Cell

CELL_FIELDS = {"row", "pair", "level", "counter", "a", "b", "higher_is_better", "median_a",
               "median_b", "ratio", "interval", "band", "outcome", "n_a", "n_b", "launches_a",
               "launches_b", "rows", "disturbed_a", "disturbed_b", "left_out"}


def strict(text):
    def refuse(constant):
        raise ValueError(constant)
    return json.loads(text, parse_constant=refuse)


def written(*inputs):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "verdicts.json")
        process = run("pros_cons.py", *map(fixture, inputs), "--out",
                      os.path.join(d, "pros_cons.md"), "--verdicts", out)
        assert process.returncode == 0, process.stderr
        assert sorted(os.listdir(d)) == ["pros_cons.md", "verdicts.json"], os.listdir(d)
        with open(out, encoding="utf-8") as f:
            return strict(f.read())


class VerdictsFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = written("async_wins.json", "cpython.json", "net_uring.json")

    def test_shape(self):
        doc = self.doc
        self.assertEqual((doc["format"], doc["version"]), ("kitchen-verdicts", 1))
        self.assertEqual(doc["interval"], {"statistic": "ratio of medians", "method": METHOD,
                                           "confidence": 0.95, "min_repetitions": 5,
                                           "min_launches": 2, "planned_max_repetitions": 15,
                                           "round": 2,
                                           "look_error": 0.01, "family_error": 0.037})
        self.assertEqual([r["feature"] for r in doc["rows"]], list(FEATURES))
        for r in doc["rows"]:
            self.assertEqual(set(r), {"feature", "anchor", "verdict", "short", "cells"})
            for c in r["cells"]:
                self.assertEqual(set(c), CELL_FIELDS)
                self.assertEqual(c["row"], r["anchor"])
                self.assertIn(c["outcome"], ("win", "lose", "tie", "undecided", "disturbed"))
                self.assertEqual(len(c["interval"]), 2)
                self.assertLessEqual(c["interval"][0], c["interval"][1])
                self.assertGreaterEqual(min(c["n_a"], c["n_b"]), 5)
                # The fixtures' rows, as bench.sh's passes, come from two launches each.
                self.assertEqual((c["launches_a"], c["launches_b"]), (2, 2))
                self.assertEqual((c["disturbed_a"], c["disturbed_b"], c["left_out"]),
                                 (0, 0, False))
                self.assertEqual(len(c["rows"]), 2)
                self.assertEqual(len(c["pair"]), 2)

    def test_the_words_are_the_tables(self):
        table = words("async_wins.json", "cpython.json", "net_uring.json")
        self.assertEqual({r["feature"]: r["verdict"] for r in self.doc["rows"]}, table)

    def test_every_comparison_row_has_cells(self):
        counts = {r["feature"]: len(r["cells"]) for r in self.doc["rows"]}
        for feature in ("CPU-bound tasks", "I/O-bound tasks", "Memory usage"):
            self.assertGreater(counts[feature], 0, feature)
        net = [c for r in self.doc["rows"] for c in r["cells"] if c["level"].startswith("io_uring, ")]
        self.assertEqual(len(net), 3)

    def test_numbers_that_are_not_finite_become_null(self):
        cell = Cell(row="error-handling", pair=("t", "a"), level="fail-fast", counter="cancel_ms",
                    a="a", b="t", median_a=0.0, median_b=2.0, ratio=math.inf,
                    interval=(math.inf, math.inf), band=2.0, outcome="win", n_a=5, n_b=5,
                    rows=("x", "y"), higher_is_better=False)
        doc = verdicts.document([])
        doc["rows"] = [{"feature": "Error handling", "cells": [verdicts.cell_json(cell)],
                        "median": math.nan}]
        back = strict(verdicts.dumps(doc))
        self.assertIsNone(back["rows"][0]["cells"][0]["ratio"])
        self.assertEqual(back["rows"][0]["cells"][0]["interval"], [None, None])
        self.assertIsNone(back["rows"][0]["median"])


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class RenderTest(unittest.TestCase):
    def test_render_writes_verdicts_beside_the_table(self):
        with tempfile.TemporaryDirectory() as d:
            with open(fixture("io_depends.json"), "rb") as src, \
                    open(os.path.join(d, "bench.json"), "wb") as dst:
                dst.write(src.read())
            done = subprocess.run([os.path.join(SCRIPTS, "render.sh"), d], capture_output=True,
                                  text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(os.path.join(d, "verdicts.json"), encoding="utf-8") as f:
                doc = strict(f.read())
            self.assertEqual(doc["rows"][2]["verdict"], "depends")
            self.assertEqual(sorted(n for n in os.listdir(d) if not n.startswith(".")),
                             ["REPORT.md", "bench.json", "charts", "pros_cons.md",
                              "verdicts.json"])


if __name__ == "__main__":
    unittest.main()

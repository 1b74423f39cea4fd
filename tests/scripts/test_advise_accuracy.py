"""kitchen advise accuracy: the summary per family, the words on where the model is poor, the
chart (with matplotlib), and REPORT.md's section when advise_accuracy.json sits beside
bench.json. Synthetic figures: nothing is measured."""

import json
import os
import shutil
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture

from kitchen_advise import accuracy, flags, main as advise_main
from kitchen_report.load import load
from kitchen_report.report import document


def point(executor, side, predicted, measured, gil=False, workload="w"):
    return {"executor": executor, "side": side, "predicted_per_s": predicted,
            "measured_per_s": measured, "gil": gil, "workload": workload, "bound": "cpu",
            "error_pct": (predicted - measured) / measured * 100}


def doc() -> dict:
    with open(fixture("async_wins.json")) as f:
        catalogue = json.load(f)["context"]["kitchen_catalogue"]
    points = [point("threads_pool", "threads", 110, 100, workload="a"),
              point("threads_pool", "threads", 300, 100, workload="b"),
              point("threads_chefs", "threads", 90, 100, gil=True, workload="c"),
              point("asio_coro", "async", 100, 100, workload="a"),
              point("asio_coro", "async", 50, 100, workload="b")]
    families = {"threads_pool": "threads", "threads_chefs": "threads", "asio_coro": "async"}
    return {"kitchen_advise_accuracy": 1, "kitchen_catalogue": catalogue,
            "mechanisms": {"source": "fixed"}, "workloads": 3, "skipped": ["d"],
            "points": points, "families": accuracy.summary(points, families),
            "interference": {"high": False}}


class Summary(unittest.TestCase):
    def test_a_quiet_point_had_neither_other_processes_nor_steal_over_5_percent(self):
        self.assertTrue(accuracy.quiet({"other_share": 0.01, "steal_share": 0.05}))
        self.assertTrue(accuracy.quiet({}))
        self.assertFalse(accuracy.quiet({"other_share": 0.2, "steal_share": 0.0}))
        self.assertFalse(accuracy.quiet({"other_share": 0.0, "steal_share": 0.27}))

    def test_median_and_worst_per_family(self):
        s = doc()["families"]
        self.assertEqual(s["threads"]["points"], 3)
        self.assertAlmostEqual(s["threads"]["median_abs_error_pct"], 10)
        self.assertAlmostEqual(s["threads"]["worst_error_pct"], 200)
        self.assertEqual(s["threads"]["worst_at"], "b")
        self.assertEqual(s["threads"]["within_25_pct"], 2)
        self.assertAlmostEqual(s["async"]["median_abs_error_pct"], 25)
        self.assertAlmostEqual(s["async"]["worst_error_pct"], -50)

    def test_lines_and_where_it_is_poor(self):
        text = "\n".join(accuracy.lines(doc()))
        self.assertIn("threads: median error 10% (absolute), worst +200%", text)
        self.assertIn("not measured (budget): d", text)
        poor = "\n".join(accuracy.poor(doc()))
        self.assertIn("threads: 1 of 3 points off by more than a factor of 2", poor)
        self.assertIn("async: every point within a factor of 2", poor)

    def test_the_grid_spans_what_the_issue_asks(self):
        self.assertGreaterEqual(len(accuracy.GRID), 20)
        io = [g[0] for g in accuracy.GRID]
        cpu = [g[1] for g in accuracy.GRID]
        n = [g[2] for g in accuracy.GRID]
        self.assertEqual((min(io), max(io)), (0, 10000))
        self.assertEqual((min(cpu), max(cpu)), (0, 1000))
        self.assertEqual((min(n), max(n)), (1, 1000))
        self.assertEqual({g[3] for g in accuracy.GRID}, {False, True})


class FromARun(unittest.TestCase):
    """--from: the model against an existing run's rows, nothing measured."""

    def test_points_from_the_fixture(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "a.json")
            code = advise_main.main(["accuracy", f"--from={fixture('async_wins.json')}",
                                     f"--json={out}"])
            self.assertEqual(code, 0)
            with open(out) as f:
                got = json.loads(f.read(), parse_constant=lambda c: self.fail(c))
        self.assertTrue(got["points"])
        for p in got["points"]:
            self.assertGreaterEqual(p["customers"], 4 * p["concurrency"])
            self.assertIn("error_pct", p)
            self.assertIn(p["side"], ("threads", "async"))
        self.assertTrue(got["families"])

    def test_a_missing_file_is_one_line(self):
        with self.assertRaises(flags.FlagError) as e:
            flags.parse(["accuracy", "--from=/no/such.json"])
        self.assertIn("--from=/no/such.json: no such file", str(e.exception))


class Report(unittest.TestCase):
    def test_the_section_and_the_chart(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(fixture("async_wins.json"), os.path.join(d, "bench.json"))
            with open(os.path.join(d, "advise_accuracy.json"), "w") as f:
                json.dump(doc(), f)
            charts = os.path.join(d, "charts")
            os.mkdir(charts)
            if HAVE_MATPLOTLIB:
                self.assertEqual(accuracy.chart_main([os.path.join(d, "advise_accuracy.json"),
                                                      "--out", charts]), 0)
                with open(os.path.join(charts, "advise_accuracy.svg")) as f:
                    svg = f.read()
                for series in ("series-threads_pool", "series-asio_coro",
                               "series-threads_chefs-gil"):
                    self.assertIn(series, svg)
            results = load([os.path.join(d, "bench.json")])
            md = document(results, "# t\n", charts, os.path.join(d, "REPORT.md"))
            self.assertIn("## How well the sizing model predicts (kitchen advise)", md)
            self.assertIn("median error 10%", md)
            if HAVE_MATPLOTLIB:
                self.assertIn("](charts/advise_accuracy.png)", md)
            os.remove(os.path.join(d, "advise_accuracy.json"))
            self.assertNotIn("sizing model", document(results, "# t\n", charts,
                                                      os.path.join(d, "REPORT.md")))

    @unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
    def test_no_points_no_chart(self):
        with tempfile.TemporaryDirectory() as d:
            empty = dict(doc(), points=[])
            path = os.path.join(d, "a.json")
            with open(path, "w") as f:
                json.dump(empty, f)
            self.assertEqual(accuracy.chart_main([path, "--out", d]), 0)
            self.assertFalse(os.path.exists(os.path.join(d, "advise_accuracy.png")))


if __name__ == "__main__":
    unittest.main()

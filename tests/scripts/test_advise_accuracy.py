"""kitchen advise accuracy: the summary per family, the words on where the model is poor, the
chart (with matplotlib), and REPORT.md's section when advise_accuracy.json sits beside
bench.json. Synthetic figures: nothing is measured."""

import json
import os
import shutil
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, catalogued, fixture

from kitchen_advise import accuracy, flags, main as advise_main, model
from kitchen_advise.mechanisms import Mechanisms
from kitchen_report import catalogue as cat
from kitchen_report.load import load
from kitchen_report.report import document

if HAVE_MATPLOTLIB:
    from kitchen_report.charts import advise as advise_chart


def point(executor, side, predicted, measured, gil=False, workload="w", n=1, naive=None,
          held=False, steal=0.0):
    naive = predicted if naive is None else naive
    return {"executor": executor, "side": side, "predicted_per_s": predicted,
            "measured_per_s": measured, "gil": gil, "workload": workload, "bound": "cpu",
            "concurrency": n, "naive_per_s": naive, "set": "holdout" if held else "grid",
            "other_share": 0.0, "steal_share": steal,
            "error_pct": (predicted - measured) / measured * 100,
            "naive_error_pct": (naive - measured) / measured * 100}


def doc() -> dict:
    with open(fixture("async_wins.json")) as f:
        catalogue = json.load(f)["context"]["kitchen_catalogue"]
    points = [point("threads_pool", "threads", 110, 100, workload="a", naive=200),
              point("threads_pool", "threads", 300, 100, workload="b", n=1000, naive=100),
              point("threads_chefs", "threads", 90, 100, gil=True, workload="c", n=50),
              point("asio_coro", "async", 100, 100, workload="a"),
              point("asio_coro", "async", 50, 100, workload="b", n=1000),
              point("asio_coro", "async", 100, 150, workload="e", n=20, held=True),
              point("threads_pool", "threads", 100, 400, workload="f", n=200, steal=0.3)]
    context = {"usable_cores": "2", cat.KEY: catalogue}
    return accuracy.document(points, ["grid", "holdout"], {"grid": ["d"]}, context,
                             Mechanisms(source="fixed"), [])


class Summary(unittest.TestCase):
    def test_a_quiet_point_had_neither_other_processes_nor_steal_over_5_percent(self):
        self.assertTrue(accuracy.quiet({"other_share": 0.01, "steal_share": 0.05}))
        self.assertTrue(accuracy.quiet({}))
        self.assertFalse(accuracy.quiet({"other_share": 0.2, "steal_share": 0.0}))
        self.assertFalse(accuracy.quiet({"other_share": 0.0, "steal_share": 0.27}))

    def test_bands_of_requests_in_flight(self):
        self.assertEqual([accuracy.band(n) for n in (1, 9, 10, 99, 100, 999, 1000, 5000)],
                         ["1-9", "1-9", "10-99", "10-99", "100-999", "100-999", ">=1000",
                          ">=1000"])

    def test_per_side_and_band_model_beside_naive_disturbed_apart(self):
        d = doc()
        grid = d["sets"]["grid"]
        threads = grid["sides"]["threads"]
        self.assertEqual(threads["points"], 3)
        self.assertAlmostEqual(threads["model"]["median_abs_error_pct"], 10)
        self.assertAlmostEqual(threads["model"]["worst_error_pct"], 200)
        self.assertEqual(threads["model"]["worst_at"], "b")
        self.assertEqual(threads["model"]["within_25_pct"], 2)
        self.assertAlmostEqual(threads["naive"]["median_abs_error_pct"], 10)
        self.assertAlmostEqual(threads["naive"]["worst_error_pct"], 100)
        self.assertEqual(sorted(threads["bands"]), ["1-9", "10-99", ">=1000"])
        self.assertAlmostEqual(threads["bands"][">=1000"]["model"]["worst_error_pct"], 200)
        self.assertAlmostEqual(threads["bands"][">=1000"]["naive"]["worst_error_pct"], 0)
        self.assertAlmostEqual(grid["sides"]["async"]["model"]["worst_error_pct"], -50)
        # The point measured under 30% steal is reported apart, not in the headline.
        self.assertEqual(grid["disturbed_points"], 1)
        self.assertEqual(grid["sides_disturbed"]["threads"]["bands"]["100-999"]["points"], 1)
        self.assertEqual(d["sets"]["holdout"]["sides"]["async"]["points"], 1)
        self.assertNotIn("threads", d["sets"]["holdout"]["sides"])
        self.assertEqual(grid["skipped"], ["d"])

    def test_worst_band_needs_enough_points(self):
        sides = doc()["sets"]["grid"]["sides"]
        self.assertIsNone(accuracy.worst_band(sides))
        many = [point("threads_pool", "threads", 150, 100, n=200, workload=str(i))
                for i in range(accuracy.BAND_MIN_POINTS)]
        many += [point("threads_pool", "threads", 110, 100, n=2, workload=str(i))
                 for i in range(accuracy.BAND_MIN_POINTS)]
        sides = accuracy.score(many)
        worst = accuracy.worst_band(sides)
        self.assertEqual((worst["side"], worst["band"]), ("threads", "100-999"))
        self.assertAlmostEqual(worst["median_abs_error_pct"], 50)
        self.assertEqual(accuracy.unreliable_bands(sides), {("threads", "100-999"): 50})

    def test_lines_and_where_it_is_poor(self):
        text = "\n".join(accuracy.lines(doc()))
        self.assertIn("| threads | >=1000 | 1 | 200.0% | +200% | 0 (0%) | 0.0% | +0% | 1 (100%) |",
                      text)
        self.assertIn("not measured (budget): d", text)
        self.assertIn("the 1 points measured while disturbed", text)
        poor = "\n".join(accuracy.poor(doc()))
        self.assertIn("threads: 2 of 4 points off by more than a factor of 2", poor)
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


class Holdout(unittest.TestCase):
    def test_seeded_within_the_grids_ranges_every_band_and_apart_from_the_grid(self):
        h = accuracy.holdout()
        self.assertEqual(h, accuracy.holdout(accuracy.HOLDOUT_SEED))
        self.assertNotEqual(h, accuracy.holdout(accuracy.HOLDOUT_SEED + 1))
        self.assertGreaterEqual(len(h), 24)
        self.assertEqual(len(set(h)), len(h))
        self.assertFalse(set(h) & set(accuracy.GRID))
        envelope = max(g[1] * g[2] for g in accuracy.GRID)
        gil_most = max(g[2] for g in accuracy.GRID if g[3])
        for io, cpu, n, gil in h:
            self.assertTrue(n <= gil_most or not gil)
            self.assertTrue(0 <= io <= 10000 and 0 <= cpu <= 1000 and 1 <= n <= 1000)
            self.assertTrue(io or cpu)
            self.assertLessEqual(cpu * n, envelope)
        bands = [accuracy.band(w[2]) for w in h]
        for name, _, _ in accuracy.BANDS:
            self.assertEqual(bands.count(name), len(h) // len(accuracy.BANDS))

    def test_sets_select_workloads(self):
        self.assertEqual([w for _, w in accuracy.workloads("grid")], list(accuracy.GRID))
        self.assertEqual([w for _, w in accuracy.workloads("holdout")],
                         list(accuracy.holdout()))
        both = accuracy.workloads("both")
        self.assertEqual(len(both), len(accuracy.GRID) + len(accuracy.holdout()))
        self.assertEqual({s for s, _ in both}, {"grid", "holdout"})

    def test_set_flag(self):
        self.assertEqual(flags.parse(["accuracy"]).set_name, "grid")
        self.assertEqual(flags.parse(["accuracy", "--set=holdout"]).set_name, "holdout")
        for argv, text in (
                (["accuracy", "--set=all"], "--set=all: 'all' is not a workload set"),
                (["accuracy", "--set=grid", f"--from={fixture('async_wins.json')}"],
                 "--from with --set"),
                (["accuracy", "--rescore=/no/such.json"], "--rescore=/no/such.json: no such"),
                (["--io-us=1", "--cpu-us=1", "--concurrency=1", "--set=grid"],
                 "unknown flag '--set'")):
            with self.assertRaises(flags.FlagError) as e:
                flags.parse(argv)
            self.assertIn(text, str(e.exception))


class Naive(unittest.TestCase):
    def test_only_the_requested_costs(self):
        w = flags.Workload(io_us=1000, cpu_us=100, concurrency=10)
        # 10 in flight over 5 steps of 1.1 ms: 1,818/s; the CPU bound 2 / 0.5 ms = 4,000/s.
        self.assertAlmostEqual(model.naive(catalogued("threads_pool"), w, 5, 2), 10 / 5.5e-3)
        w = flags.Workload(io_us=1000, cpu_us=100, concurrency=1000)
        self.assertAlmostEqual(model.naive(catalogued("threads_pool"), w, 5, 2), 2 / 5e-4)
        self.assertAlmostEqual(model.naive(catalogued("asio_coro"), w, 5, 2), 1 / 5e-4)
        gil = flags.Workload(io_us=0, cpu_us=100, concurrency=4, gil=True)
        self.assertAlmostEqual(model.naive(catalogued("threads_pool"), gil, 5, 2), 1 / 5e-4)


class Fit(unittest.TestCase):
    def test_the_growth_is_recovered_from_grid_points_alone(self):
        with open(fixture("async_wins.json")) as f:
            catalogue = json.load(f)["context"]["kitchen_catalogue"]
        m = Mechanisms(source="m", handover_ns={"thread_cv": 20_000.0},
                       spawn_ns={"thread": 50_000.0},
                       overshoot_us={"thread_sleep": [(1000.0, 50.0)]})
        points = []
        saved = model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT
        model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT = 0.5, 0.2
        try:
            for i, (io, cpu, n) in enumerate(((1000, 0, 10), (1000, 0, 300), (100, 10, 60),
                                              (1000, 0, 1000))):
                w = flags.Workload(io_us=io, cpu_us=cpu, concurrency=n)
                p = accuracy.point_doc(catalogued("threads_chefs"), w, 16 * n, m, 2, 1.0)
                p["measured_per_s"] = p["predicted_per_s"]
                points.append(p)
        finally:
            model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT = saved
        # A held-out point far off would pull the fit anywhere: it must not enter.
        points.append(dict(points[0], set="holdout", measured_per_s=1.0))
        doc = {"mechanisms": m.as_json(), "context": {"usable_cores": "2"},
               "kitchen_catalogue": catalogue, "points": points}
        # The whole grid is 527 pairs, each a prediction of every point (seconds of the suite for
        # one code path): the search's own steps around the truth, two a side, then every
        # fifth scale and fourth exponent over the grid's whole range, the truth among them.
        near = (accuracy.FIT_SCALES[accuracy.FIT_SCALES.index(0.5) - 2:][:5],
                accuracy.FIT_EXPONENTS[accuracy.FIT_EXPONENTS.index(0.2) - 2:][:5])
        coarse = (accuracy.FIT_SCALES[::5], accuracy.FIT_EXPONENTS[::4])
        for scales, exponents in (near, coarse):
            self.assertIn(0.5, scales)
            self.assertIn(0.2, exponents)
            self.assertEqual(accuracy.fit_thread_costs(doc, scales, exponents), (0.5, 0.2, 4))
        self.assertEqual((model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT), saved)


class Rescore(unittest.TestCase):
    def test_predicts_a_files_points_again_and_fills_the_shares_from_its_records(self):
        with open(fixture("async_wins.json")) as f:
            catalogue = json.load(f)["context"]["kitchen_catalogue"]
        io, cpu, n, gil = accuracy.GRID[9]
        old = {"kitchen_advise_accuracy": 1, "context": {"usable_cores": "2"},
               "kitchen_catalogue": catalogue,
               "mechanisms": Mechanisms(source="m", handover_ns={"thread_cv": 1000.0},
                                        spawn_ns={"thread": 1.0}).as_json(),
               "points": [{"executor": "threads_pool", "io_us": io, "cpu_us": cpu,
                           "concurrency": n, "gil": gil, "customers": 160,
                           "measured_per_s": 1000.0, "predicted_per_s": 1.0,
                           "workload": accuracy.label(io, cpu, n, gil)}],
               "interference": {"records": [{"name": "grid9", "other_share": 0.0,
                                             "steal_share": 0.2}]}}
        with tempfile.TemporaryDirectory() as d:
            path, out = os.path.join(d, "old.json"), os.path.join(d, "new.json")
            with open(path, "w") as f:
                json.dump(old, f)
            self.assertEqual(advise_main.main(["accuracy", f"--rescore={path}",
                                               f"--json={out}"]), 0)
            with open(out) as f:
                new = json.load(f)
        p = new["points"][0]
        self.assertNotEqual(p["predicted_per_s"], 1.0)
        self.assertEqual(p["steal_share"], 0.2)
        self.assertEqual(new["sets"]["grid"]["disturbed_points"], 1)
        self.assertEqual(p["band"], "10-99")
        self.assertIsNotNone(p["naive_error_pct"])


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
        self.assertTrue(got["sets"]["grid"]["sides"])

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
                self.assertEqual(advise_chart.chart_main([os.path.join(d, "advise_accuracy.json"),
                                                      "--out", charts]), 0)
                with open(os.path.join(charts, "advise_accuracy.svg")) as f:
                    svg = f.read()
                for series in ("series-threads_pool-1-9-grid", "series-asio_coro-10-99-holdout",
                               "series-threads_pool-100-999-grid-disturbed"):
                    self.assertIn(series, svg)
            results = load([os.path.join(d, "bench.json")])
            md = document(results, "# t\n", charts, os.path.join(d, "REPORT.md"))
            self.assertIn("## How well the sizing model predicts (kitchen advise)", md)
            self.assertIn("| threads | all | 3 | 10.0% |", md)
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
            self.assertEqual(advise_chart.chart_main([path, "--out", d]), 0)
            self.assertFalse(os.path.exists(os.path.join(d, "advise_accuracy.png")))


if __name__ == "__main__":
    unittest.main()

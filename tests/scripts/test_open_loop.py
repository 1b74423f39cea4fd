"""Open loop: the arrival plans (as bench_kitchen's, draw for draw), py_kitchen.py's
open-loop rows and flags, the ledger's arithmetic, the sustainable-throughput rule, the
latency-against-load chart read back from its SVG, and merge/compare taking the new rows.

No test asserts a speed or a duration: the one test that reads a C++ service's length checks
that it lasted at least as long as the arrival plan says."""

import json
import math
import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from script_runner import (BENCH_BIN, HAVE_MATPLOTLIB, NO_BENCH_BIN, NO_MATPLOTLIB,
                           have_bench_bin, fixture, merge_fixtures, run)

from cpython_kitchen import main as py_main
from cpython_kitchen.arrivals import FIXED, POISSON, ideal_capacity, plan_arrivals
from cpython_kitchen.executors import EXECUTORS as SERVE
from cpython_kitchen.ledger import Ledger
from cpython_kitchen.model import PROFILES, Costs, Service, make_orders
from kitchen_report import load as kr
from kitchen_report import openloop

SVG = "{http://www.w3.org/2000/svg}"
MASK = (1 << 64) - 1


def by_hand(customers, rate, seed):
    """Poisson arrival times written out from the definition, apart from the package's code:
    SplitMix64 from seed ^ 0xa77e5a15, u = top 53 bits / 2^53, gap = -ln(1 - u) / rate."""
    state, t, at = (seed ^ 0xA77E5A15) & MASK, 0.0, []
    for _ in range(customers):
        at.append(int(t))
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        u = ((z ^ (z >> 31)) >> 11) / 2.0 ** 53
        t += -math.log(1.0 - u) * (1e9 / rate)
    return at


class ArrivalPlanTest(unittest.TestCase):
    def test_fixed_is_evenly_spaced_from_zero(self):
        self.assertEqual(plan_arrivals(4, 1000, FIXED, 7), [0, 1_000_000, 2_000_000, 3_000_000])
        # k / rate, truncated to whole nanoseconds: 1/3 s is 333,333,333.33 ns.
        self.assertEqual(plan_arrivals(3, 3, FIXED, 1), [0, 333_333_333, 666_666_666])

    def test_poisson_follows_the_definition_and_the_seed(self):
        for seed in (1, 2, 2**64 - 1):
            with self.subTest(seed=seed):
                self.assertEqual(plan_arrivals(50, 900, POISSON, seed), by_hand(50, 900, seed))
        self.assertEqual(plan_arrivals(50, 900, POISSON, 5), plan_arrivals(50, 900, POISSON, 5))
        self.assertNotEqual(plan_arrivals(50, 900, POISSON, 5), plan_arrivals(50, 900, POISSON, 6))
        times = plan_arrivals(2000, 1000, POISSON, 1)
        self.assertEqual(times[0], 0)
        self.assertEqual(times, sorted(times))
        # Mean gap within 10% of 1 ms over 2,000 draws (a broken transform is far off).
        self.assertAlmostEqual(times[-1] / 1999 / 1e6, 1.0, delta=0.1)

    def test_capacity_formula(self):
        # io: 5.4 ingredients of 1 ms on average, so 10 chefs take 10 / 5.4 ms.
        self.assertAlmostEqual(ideal_capacity(PROFILES["io"], 10, 2), 10 / 0.0054)
        # mixed with 100 chefs on 2 cores: the cores bind, 2 / (5.4 x 50 us).
        self.assertAlmostEqual(ideal_capacity(PROFILES["mixed"], 100, 2), 2 / 0.00027)
        self.assertEqual(ideal_capacity(PROFILES["overhead"], 4, 2), math.inf)


@unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
class SameArrivalsAsCppTest(unittest.TestCase):
    def bench(self, *flags):
        done = subprocess.run([BENCH_BIN, "--executors=asio_coro", "--benchmark_min_time=0.001",
                               "--benchmark_repetitions=1", "--benchmark_format=json", *flags],
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout)

    def test_rates_of_loads_match(self):
        doc = self.bench("--profiles=io,mixed", "--chefs=1,10,100", "--customers=2",
                         "--load=0.5,1", "--io-us=0,1000", "--cpu-us=50")
        cores = int(doc["context"]["usable_cores"])
        opts = py_main.parse_options(["--profiles=io,mixed", "--chefs=1,10,100", "--customers=2",
                                      "--load=0.5,1", "--io-us=0,1000", "--cpu-us=50",
                                      "--executors=py_threads"])
        rows, _ = py_main.plan(opts, cores)
        cpp = sorted(e["run_name"].replace("asio_coro", "py_threads") for e in doc["benchmarks"]
                     if e["run_type"] == "iteration")
        self.assertEqual(sorted(r.name for r in rows), cpp)

    def test_a_cpp_service_lasts_as_long_as_the_planned_arrivals(self):
        # Dishes that cost next to nothing (an open loop needs a finite capacity): a service
        # lasts at least until its last planned arrival, and the kitchen may not start an
        # order early (its ledger refuses that). Only this lower bound is asserted: on a busy
        # machine a service may end any time later.
        for seed, pattern in ((1, POISSON), (2, POISSON), (3, POISSON), (1, FIXED)):
            with self.subTest(seed=seed, pattern=pattern):
                doc = self.bench("--profiles=io", "--chefs=1", "--io-us=1", "--cpu-us=0",
                                 "--customers=6",
                                 "--arrival-rate=20", f"--arrivals={pattern}", f"--seed={seed}")
                row = [e for e in doc["benchmarks"] if e["run_type"] == "iteration"][0]
                lasted_s = row["served"] / row["achieved_per_s"]
                last_s = plan_arrivals(6, 20, pattern, seed)[-1] / 1e9
                self.assertGreaterEqual(lasted_s, last_s - 1e-6)


class LedgerTest(unittest.TestCase):
    def test_latency_lag_and_backlog_from_the_arrival_times(self):
        service = Service(make_orders(3, 1), Costs(0, 0), 1, 100.0, arrivals=[0, 10, 20])
        ledger = Ledger(service)
        ledger.open_ns = 5
        ledger.started_ns, ledger.ended_ns = [5, 40, 60], [40, 60, 70]
        ledger.arrived_ns = [6, 16, 25]
        ledger.outcome = [1, 1, 1]
        # Placed at open + t_k = 5, 15, 25: latencies 35, 45, 45; lags 1, 1, 0.
        self.assertEqual([ledger.latency_ns(q) for q in (0.3, 0.5, 0.99)], [35, 45, 45])
        self.assertEqual(ledger.arrival_lag_ns(0.99), 1)
        # Orders 1 and 2 wait together from 25 until 40.
        self.assertEqual(ledger.max_backlog(), 2)

    def test_every_executor_serves_an_open_loop_never_before_arrival(self):
        orders = make_orders(12, 3)
        arrivals = plan_arrivals(12, 4000, POISSON, 3)
        for name, serve in SERVE.items():
            with self.subTest(executor=name):
                service = Service(orders, Costs(200, 5), 3, 100.0, arrivals=arrivals)
                ledger, results = serve(service)
                self.assertIsNone(ledger.check(results))
                for k in range(12):
                    self.assertGreaterEqual(ledger.arrived_ns[k], ledger.placed_ns(k))
                    self.assertGreaterEqual(ledger.started_ns[k], ledger.arrived_ns[k])

    def test_an_arrival_time_outside_the_clock_is_refused(self):
        # An arrival time the clock cannot count (a float, an overflow) makes the latency
        # meaningless: the service is wrong, never reported with a negative latency.
        for t in (-1, 2 ** 63 - 1, math.inf):
            with self.subTest(t=t):
                service = Service(make_orders(2, 1), Costs(0, 0), 2, 100.0, arrivals=[0, 0])
                ledger, results = SERVE["py_threads"](service)
                service.arrivals[1] = t
                self.assertIn(f"order 1 has an arrival time of {t} ns, outside what the clock "
                              "can count", ledger.check(results))

    def test_a_negative_latency_is_refused(self):
        service = Service(make_orders(2, 1), Costs(0, 0), 2, 100.0, arrivals=[0, 1000])
        ledger, results = SERVE["py_threads"](service)
        # Served (never started) before its arrival time.
        ledger.started_ns[1] = -1
        ledger.ended_ns[1] = ledger.placed_ns(1) - 7
        self.assertIn("order 1 was served 7 ns before it was placed (a negative latency)",
                      ledger.check(results))

    def test_a_start_before_arrival_is_refused(self):
        service = Service(make_orders(2, 1), Costs(0, 0), 2, 100.0, arrivals=[0, 10**9])
        ledger, results = SERVE["py_threads"](service)
        ledger.started_ns[1] = ledger.placed_ns(1) - 5
        self.assertIn("order 1 was started 5 ns before it arrived", ledger.check(results))


class PyKitchenOpenLoopTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "py.json")
        cls.process = run("py_kitchen.py", "--quick", f"--out={cls.out}", "--profiles=io",
                          "--executors=py_threads,py_asyncio", "--chefs=2", "--customers=8",
                          "--io-us=200", "--arrival-rate=3000,4000.5", "--arrivals=poisson")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_rows_and_counters(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        rows = kr.load([self.out]).rows
        self.assertEqual(sorted(r.name for r in rows), sorted(
            f"kitchen/{e}/io/chefs:2/customers:8/io_us:200/cpu_us:0/rate:{r}/arrivals:poisson"
            for e in ("py_threads", "py_asyncio") for r in ("3000", "4000")))
        for r in rows:
            c = r.counters
            capacity = 2 / (5.4 * 200e-6)
            self.assertAlmostEqual(c["ideal_capacity_per_s"], capacity)
            self.assertAlmostEqual(c["load"], c["offered_per_s"] / capacity)
            self.assertLessEqual(c["p50_ms"], c["p90_ms"])
            self.assertLessEqual(c["p90_ms"], c["p99_ms"])
            self.assertLessEqual(c["p99_ms"], c["p999_ms"])
            self.assertGreater(c["achieved_per_s"], 0)
            self.assertGreaterEqual(c["arrival_lag_ms"], 0)
            self.assertIn(c["arrival_lag_suspect"], (0.0, 1.0))
            self.assertTrue(openloop.is_open_loop(r))

    def test_loads_name_rates_of_the_ideal_capacity(self):
        rows, left_out = py_main.plan(py_main.parse_options(
            ["--profiles=io", "--chefs=10", "--customers=400", "--load=0.5,1.2"]), 2)
        self.assertEqual(sorted({r.name.split("/rate:")[1].split("/")[0] for r in rows}),
                         ["2222", "926"])
        # The one-dish-at-a-time executor would take over a second per service: left out.
        self.assertEqual(left_out, 2)
        self.assertEqual({r.executor for r in rows}, {"py_threads", "py_asyncio", "py_gevent"})


class BadOpenLoopFlagsTest(unittest.TestCase):
    CASES = (("--arrival-rate=0", "--arrival-rate=0: '0' is out of range"),
             ("--arrival-rate=-5", "--arrival-rate=-5: '-5' is out of range"),
             ("--arrival-rate=fast", "--arrival-rate=fast: 'fast' is not a number"),
             ("--load=0", "--load=0: '0' is out of range"),
             ("--arrivals=burst", "--arrivals=burst: unknown name 'burst'"),
             # What the kitchen cannot honour: once nonsense rows or a traceback.
             ("--arrival-rate=1e-300", "--arrival-rate=1e-300: '1e-300' is out of range"),
             ("--profiles=overhead --arrival-rate=100",
              "--arrival-rate=100: the overhead profile's dishes cost nothing here"),
             ("--profiles=overhead --chefs=2 --customers=4 --load=0.5",
              "--load=0.5: the overhead profile's dishes cost nothing here"),
             ("--profiles=io --chefs=1 --load=0.001",
              "--load=0.001: a load of 0.001 at io with 1 chef (ideal capacity 185.2 dishes/s) "
              "is 0.185 orders per second"),
             ("--profiles=io --chefs=10 --load=0.5,0.5001",
              "0.5 and 0.5001 both give 926 orders per second at io with 10 chefs"),
             ("--arrival-rate=1.2,1.4", "1.2 and 1.4 would both name rows /rate:1"),
             ("--profiles=io --arrival-rate=0.000001 --customers=100000000",
              "past the 146 years the clock counts from the opening"),
             ("--profiles=io --arrivals=poisson --arrival-rate=0.5 --customers=100000000",
              "past the 146 years the clock counts from the opening"),
             ("--profiles=io --io-us=10000000 --cpu-us=10000000 --customers=100000000",
              "a service of 100000000 orders could last 380 years"))

    def test_one_line_and_status_2(self):
        for flag, said in self.CASES + (("--load=0.5 --arrival-rate=9", "give one of them"),):
            with self.subTest(flag=flag):
                process = run("py_kitchen.py", *flag.split())
                self.assertEqual(process.returncode, 2)
                self.assertEqual(process.stdout, "")
                self.assertEqual(len(process.stderr.splitlines()), 1, process.stderr)
                self.assertIn(said, process.stderr)

    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_same_words_as_bench_kitchen(self):
        for flag, _ in self.CASES:
            with self.subTest(flag=flag):
                cpp = subprocess.run([BENCH_BIN, *flag.split()], capture_output=True, text=True)
                py = run("py_kitchen.py", *flag.split())
                self.assertEqual(cpp.returncode, 2, cpp.stderr)
                self.assertEqual(py.stderr.split(": ", 1)[1], cpp.stderr.split(": ", 1)[1])


class SustainableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = kr.load([fixture("open_loop.json"), fixture("open_loop_py.json")])
        cls.found = {label: s for by in openloop.sustained(cls.results).values()
                     for label, s in by.items()}

    def test_a_knee_at_0_9(self):
        knee = self.found["threads_pool"].knee
        self.assertAlmostEqual(knee.counters["load"], 0.9, places=3)
        self.assertEqual(openloop.cell(self.found["threads_pool"]), "0.9 (1,667/s)")

    def test_none_swept_when_the_lowest_load_fails(self):
        self.assertIsNone(self.found["asio_coro"].knee)
        self.assertEqual(openloop.cell(self.found["asio_coro"]), "none swept")
        self.assertIn("at 0.25: served", self.found["asio_coro"].why)

    def test_a_suspect_row_is_flagged_and_listed(self):
        self.assertEqual(openloop.cell(self.found["threads_chefs"]), "0.75 (1,389/s) †")
        lines = "\n".join(openloop.table_lines(self.results))
        self.assertIn("`kitchen/threads_chefs/io/chefs:10/customers:400/rate:926`", lines)
        self.assertIn("| py_asyncio | CPython | 0.5 (926/s) |", lines)

    def test_a_load_the_intervals_leave_undecided_stops_the_walk(self):
        def at(load, p99s, served):
            counters = {"load": load, "offered_per_s": 1000 * load, "customers": 400,
                        "achieved_per_s": sorted(served)[1], "p50_ms": 3.0,
                        "p99_ms": sorted(p99s)[1]}
            return kr.Row(name=f"kitchen/x/io/chefs:10/customers:400/rate:{load}", family="kitchen",
                          kind="x", profile="io", params={}, flags=frozenset(),
                          counters=counters, real_ms=1.0, cpu_ms=1.0, source="test",
                          samples={"p99_ms": tuple(p99s), "achieved_per_s": tuple(served)})
        low = at(0.25, (5.0, 5.1, 4.9), (250.0, 250.0, 250.0))
        # p99 from 2.4x to 3.6x the unloaded: the interval reaches across P99_FACTOR (3).
        edge = at(0.5, (12.0, 15.0, 18.0), (500.0, 500.0, 500.0))
        high = at(0.75, (50.0, 51.0, 52.0), (750.0, 750.0, 750.0))
        found = openloop.sustain("x", ("io", 1000.0, 0.0, 10), [low, edge, high])
        self.assertIs(found.knee, low)
        self.assertIs(found.open, edge)
        # The pooled p99 of 0.5 (the median of 12, 15, 18 ms) has the interval 12-18 ms, across
        # 3x the unloaded pooled p99 of 5 ms.
        self.assertIn("at 0.5: undecided: p99 12–18 ms against 15 ms (3x unloaded)", found.why)
        self.assertEqual(openloop.cell(found), "0.25 (250/s), undecided at 0.5")
        clear = openloop.sustain("x", ("io", 1000.0, 0.0, 10), [low, high])
        self.assertEqual((clear.knee, clear.open), (low, None))
        self.assertIn("at 0.75: p99 51 ms not under 15 ms", clear.why)

    def test_the_io_rows_evidence_names_the_knee(self):
        from kitchen_report.table import io
        notes = " ".join(io.evaluate(self.results).notes)
        self.assertIn("asio_coro sustains none swept, its p99 leaves 3x its unloaded 6 ms at "
                      "1 (1,852/s); threads_pool sustains 0.9 (1,667/s), its p99 leaves 3x its "
                      "unloaded 7 ms at 1 (1,852/s)", notes)


class PooledP99Test(unittest.TestCase):
    def row(self, p99s, load=0.5, **more):
        counters = {"load": load, "offered_per_s": 1000 * load, "customers": 2000,
                    "achieved_per_s": 1000 * load, "p50_ms": 3.0,
                    "p99_ms": sorted(p99s)[len(p99s) // 2]}
        samples = {"p99_ms": tuple(p99s), "achieved_per_s": (1000 * load,) * len(p99s)}
        for key, values in more.items():
            counters[key] = sorted(values)[len(values) // 2]
            samples[key] = tuple(values)
        return kr.Row(name=f"kitchen/x/io/chefs:100/customers:2000/rate:{load}", family="kitchen",
                      kind="x", profile="io", params={}, flags=frozenset(), counters=counters,
                      real_ms=1.0, cpu_ms=1.0, source="test", samples=samples)

    def test_the_median_of_the_repetitions_with_its_bootstrap_interval(self):
        cell = openloop.p99_cell(self.row((10.0, 12.0, 11.0, 30.0, 9.0)))
        self.assertEqual((cell.median, cell.n, cell.counter), (11.0, 5, "p99_ms"))
        # Five repetitions: the 95% percentile bootstrap of their median is their whole range.
        self.assertEqual(cell.interval, (9.0, 30.0))
        self.assertEqual(cell.text(), "11 ms (95% CI 9–30, n=5)")
        self.assertIsNone(openloop.p99_cell(self.row((10.0,))).interval)

    def test_a_pooled_latency_counter_is_preferred(self):
        cell = openloop.p99_cell(self.row((10.0, 12.0, 11.0), pooled_p99_ms=(20.0, 21.0, 22.0)))
        self.assertEqual((cell.median, cell.interval, cell.counter),
                         (21.0, (20.0, 22.0), "pooled_p99_ms"))

    def test_the_knee_is_where_the_interval_leaves_the_unloaded_p99(self):
        low = self.row((5.0, 5.0, 5.0), load=0.25)
        # 0.5: 12-18 ms, across 3 x 5 = 15 ms; 0.75: 16-17 ms, wholly over; 0.9 back under.
        edge, over = self.row((12.0, 15.0, 18.0), load=0.5), self.row((16.0, 17.0), load=0.75)
        under = self.row((6.0, 7.0, 6.5), load=0.9)
        k = openloop.knee_of([low, edge, over, under])
        self.assertEqual((k.leaves, k.open, k.limit), (over, (edge,), 15.0))
        self.assertEqual(openloop.p99_knee_text(k), "0.75 (750/s), undecided at 0.5")
        k = openloop.knee_of([low, under])
        self.assertEqual((k.leaves, k.open), (None, ()))
        self.assertEqual(openloop.p99_knee_text(k), "not by 0.9")
        self.assertEqual(openloop.p99_knee_text(openloop.knee_of([low, edge])), "undecided at 0.5")
        self.assertEqual(openloop.p99_knee_text(openloop.knee_of([low, edge, under])),
                         "undecided at 0.5, not by 0.9")


class PoissonAt100ChefsTest(unittest.TestCase):
    """bench.sh's load pass of issue 19: Poisson arrivals, 2,000 customers, 100 chefs only."""

    @classmethod
    def setUpClass(cls):
        cls.results = kr.load([fixture("open_loop_poisson.json")])
        cls.lines = openloop.table_lines(cls.results)

    def test_no_10_chef_rows_needed(self):
        self.assertEqual(self.lines[0],
                         "| executor | language | io, 100 chefs | mixed, 100 chefs |")
        self.assertIn("| threads_pool (poisson) | C++ | 0.75 (13,889/s) | 0.75 (5,556/s) |",
                      self.lines)
        self.assertIn("| asio_coro (poisson) | C++ | 0.9 (16,667/s), undecided at 1 | "
                      "0.75 (5,556/s) |", self.lines)

    def test_the_knee_per_executor_and_the_pooling_are_said(self):
        text = "\n".join(self.lines)
        self.assertIn("#### Where p99 leaves its unloaded value", text)
        self.assertIn("| threads_pool (poisson) | C++ | 0.9 (16,667/s): 25 ms (95% CI 24.3–25.8, "
                      "n=5) ≥ 21 ms | 0.9 (6,667/s): 12 ms (95% CI 11.7–12.4, n=5) ≥ 9 ms |",
                      text)
        self.assertIn("| asio_coro (poisson) | C++ | undecided at 1: 17.5 ms (95% CI 17.0–18.0, "
                      "n=5) vs 18 ms |", text)
        self.assertIn("the pooled p99 is the median of the repetitions' p99 with its 95% "
                      "bootstrap interval", text)

    def test_the_io_row_pairs_the_poisson_series(self):
        from kitchen_report.table import io
        notes = " ".join(io.evaluate(self.results).notes)
        self.assertIn("Open loop, io, 100 chefs (poisson arrivals)", notes)
        self.assertIn("threads_pool sustains 0.75 (13,889/s), its p99 leaves 3x its unloaded "
                      "7 ms at 0.9 (16,667/s)", notes)
        self.assertIn("asio_coro sustains 0.9 (16,667/s), undecided at 1, its p99 may leave 3x "
                      "its unloaded 6 ms: undecided at 1", notes)
        self.assertNotIn("mixed", notes)


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class ChartTest(unittest.TestCase):
    def test_series_knees_and_hollow_points_read_back(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name in ("a", "b"):
                out = os.path.join(d, name)
                process = run("plot.py", fixture("open_loop.json"), fixture("open_loop_py.json"),
                              "--out", out)
                self.assertEqual(process.returncode, 0, process.stderr)
                paths.append(os.path.join(out, "latency_vs_load.svg"))
            with open(paths[0], "rb") as a, open(paths[1], "rb") as b:
                self.assertEqual(a.read(), b.read())
            points = {}
            for group in ET.parse(paths[0]).getroot().iter(f"{SVG}g"):
                gid = group.get("id", "")
                if gid.startswith("series-"):
                    d_attr = next(group.iter(f"{SVG}path")).get("d", "")
                    points[gid[len("series-"):]] = d_attr.count("M") + d_attr.count("L")
        self.assertEqual(points["threads_pool-p99"], 6)
        self.assertEqual(points["threads_pool-p50"], 6)
        self.assertEqual(points["py_asyncio-p99"], 2)
        self.assertIn("knee-threads_pool", points)
        self.assertNotIn("knee-asio_coro", points)
        self.assertIn("suspect-threads_chefs-p99", points)
        self.assertNotIn("suspect-threads_pool-p99", points)


class MergeCompareTest(unittest.TestCase):
    def test_merge_and_compare_take_open_loop_rows(self):
        with tempfile.TemporaryDirectory() as d:
            merged = merge_fixtures(self, d, load="open_loop.json",
                                    cpython_load="open_loop_py.json")
            rows = kr.load([merged]).rows
            self.assertEqual(len(rows), 22)
            self.assertTrue(all(openloop.is_open_loop(r) for r in rows))
            compared = run("compare.py", merged, fixture("open_loop.json"))
        self.assertEqual(compared.returncode, 0, compared.stderr)
        self.assertIn("18 rows compared, 0 with a significant change", compared.stdout)
        self.assertIn("4 only in old", compared.stdout)


if __name__ == "__main__":
    unittest.main()

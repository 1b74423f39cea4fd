"""kitchen advise (scripts/kitchen_advise): the model's arithmetic on fixed inputs, the rows it
asks bench_kitchen for, its cells against the table's on the table's own fixtures, and its
flags. Mechanism only: nothing here measures or asserts a speed."""

import copy
import json
import math
import os
import tempfile
import unittest
from unittest import mock

from script_runner import fixture, run

from kitchen_advise import answer, flags, main as advise_main, mechanisms, model, plan as plans
from kitchen_advise.flags import FlagError, Workload
from kitchen_report.load import load
from kitchen_report.table.io_rule import judge, levels_of


def fixed_mechanisms() -> mechanisms.Mechanisms:
    return mechanisms.Mechanisms(
        source="fixed", spawn_ns={"thread": 30_000.0, "coro": 300.0},
        handover_ns={"thread_cv": 1_000.0, "coro": 250.0, "handler": 20.0},
        overshoot_us={"thread_sleep": [(100.0, 30.0), (1000.0, 40.0)],
                      "asio_timer": [(1000.0, 40.0)]},
        bytes_per_task={"thread": 35_000.0, "coro": 1_300.0})


W = Workload(io_us=1000, cpu_us=100, concurrency=100)


class ModelArithmetic(unittest.TestCase):
    def test_a_cpu_bound_thread_kitchen(self):
        p = model.predict("threads_chefs", W, 5, fixed_mechanisms(), cores=2)
        # W = 5 x (1000 + 40) us, C = 5 x 100 us, o = 5 hand-overs of 1 us.
        self.assertAlmostEqual(p.wait_s, 5.2e-3)
        self.assertAlmostEqual(p.work_s, 0.5e-3)
        self.assertAlmostEqual(p.overhead_s, 5e-6)
        self.assertEqual(p.servers, 2)
        self.assertAlmostEqual(p.rate, 2 / 0.505e-3)
        self.assertEqual(p.bound, "cpu")
        self.assertAlmostEqual(p.pool_size, 2 * (1 + 5.2 / 0.505))
        self.assertEqual(p.threads, 101)
        self.assertAlmostEqual(p.memory_bytes, 100 * 35_000)

    def test_one_loop_thread_and_its_spawn(self):
        p = model.predict("asio_coro", W, 5, fixed_mechanisms(), cores=2)
        self.assertAlmostEqual(p.overhead_s, 0.3e-6 + 5 * 0.25e-6)
        self.assertEqual(p.servers, 1)
        self.assertAlmostEqual(p.rate, 1 / (0.5e-3 + 1.55e-6))
        self.assertEqual(p.threads, 1)

    def test_the_in_flight_bound(self):
        w = Workload(io_us=1000, cpu_us=0, concurrency=10)
        p = model.predict("asio_callback", w, 5, fixed_mechanisms(), cores=2)
        self.assertEqual(p.bound, "in flight")
        self.assertAlmostEqual(p.rate, 10 / (5.2e-3 + 5 * 20e-9))

    def test_the_gil_leaves_one_server(self):
        w = Workload(io_us=0, cpu_us=200, concurrency=2, gil=True)
        p = model.predict("threads_pool", w, 5, fixed_mechanisms(), cores=2)
        self.assertEqual(p.servers, 1)
        self.assertEqual(p.wait_s, 0.0)   # a wait of 0 is skipped: no overshoot either

    def test_no_mechanism_rows_cost_nothing(self):
        p = model.predict("threads_per_order", W, 5, mechanisms.Mechanisms(source="none"), 2)
        self.assertEqual(p.overhead_s, 0.0)
        self.assertIsNone(p.memory_bytes)

    def test_erlang_c(self):
        self.assertAlmostEqual(model.erlang_c(1, 0.5), 0.5)
        self.assertAlmostEqual(model.erlang_c(2, 1.0), 1 / 3)
        # Stays finite for a thousand servers.
        self.assertTrue(0 <= model.erlang_c(1000, 900.0) <= 1)

    def test_the_p99_wait_of_a_queue(self):
        # M/M/1, 1 ms service, 500/s: P(wait > t) = 0.5 e^(-500 t).
        self.assertAlmostEqual(model.mmk_p99_wait(1, 1e-3, 500), math.log(50) / 500)
        self.assertEqual(model.mmk_p99_wait(100, 1e-3, 10), 0.0)
        self.assertIsNone(model.mmk_p99_wait(1, 1e-3, 1000))

    def test_an_open_loop_bound_and_over_capacity(self):
        w = Workload(io_us=1000, cpu_us=100, concurrency=100, rate=1000)
        p = model.predict("threads_chefs", w, 5, fixed_mechanisms(), cores=2)
        self.assertFalse(p.over_capacity)
        self.assertGreaterEqual(p.p99_estimate_s, p.wait_s + p.work_s + p.overhead_s)
        w = Workload(io_us=1000, cpu_us=100, concurrency=100, rate=10_000)
        p = model.predict("threads_chefs", w, 5, fixed_mechanisms(), cores=2)
        self.assertTrue(p.over_capacity)
        self.assertIsNone(p.p99_estimate_s)

    def test_error(self):
        self.assertAlmostEqual(model.error_pct(110, 100), 10)
        self.assertAlmostEqual(model.error_pct(50, 100), -50)
        self.assertIsNone(model.error_pct(1, 0))

    def test_overshoot_from_the_nearest_wait(self):
        m = fixed_mechanisms()
        self.assertEqual(m.overshoot("thread_sleep", 150), 30.0)
        self.assertEqual(m.overshoot("thread_sleep", 5000), 40.0)
        self.assertEqual(m.overshoot("thread_sleep", 0), 0.0)
        self.assertEqual(m.overshoot("unknown", 100), 0.0)


class Mechanisms(unittest.TestCase):
    def test_read_from_a_results_file(self):
        m = mechanisms.read(fixture("async_wins.json"))
        self.assertIsNotNone(m)
        for kind in ("thread", "coro"):
            self.assertIn(kind, m.spawn_ns)
            self.assertIn(kind, m.bytes_per_task)
        self.assertIn("thread_cv", m.handover_ns)
        self.assertIn("thread_sleep", m.overshoot_us)

    def test_a_file_without_them(self):
        self.assertIsNone(mechanisms.read(fixture("io_undecided.json")))


class Catalogue(unittest.TestCase):
    def test_traits_cover_every_executor_that_overlaps_dishes(self):
        results = load([fixture("async_wins.json")])
        for e in results.catalogue:
            if not e.one_at_a_time and e.language == "C++":
                self.assertIn(e.name, model.TRAITS)


def make_plan(w: Workload, cpu_heavy: bool = False, cap: int = 100_000) -> plans.Plan:
    return plans.make(w, [("threads_pool", "asio_coro"), ("threads_chefs", "asio_callback")],
                      ["asio_coro_mt", "asio_offload"], cpu_heavy, cap, lambda n: 1e5)


class Rows(unittest.TestCase):
    """The rows advise asks bench_kitchen for."""

    def test_neighbours(self):
        self.assertEqual(plans.neighbours(1000, 100_000), [250, 1000, 4000])
        self.assertEqual(plans.neighbours(1, 100_000), [1, 4])
        self.assertEqual(plans.neighbours(2, 100_000), [1, 2, 8])
        # Bounded by the thread budget, but N itself is measured.
        self.assertEqual(plans.neighbours(1000, 2000), [250, 1000, 2000])
        self.assertEqual(plans.neighbours(1000, 500), [250, 1000])

    def test_points_and_executors(self):
        p = make_plan(W)
        self.assertEqual([x.chefs for x in p.points], [25, 100, 400])
        self.assertEqual(p.executors, ["threads_pool", "asio_coro", "threads_chefs",
                                       "asio_callback"])
        for x in p.points:
            self.assertGreaterEqual(x.customers, x.chefs)
        self.assertEqual(make_plan(W, cpu_heavy=True).extra, ["asio_coro_mt", "asio_offload"])

    def test_the_thread_budget_is_noted(self):
        p = make_plan(W, cap=200)
        self.assertEqual([x.chefs for x in p.points], [25, 100, 200])
        self.assertTrue(any("thread budget" in n for n in p.notes))

    def test_commands(self):
        w = Workload(io_us=500, cpu_us=50, concurrency=100, rate=10_000, net=True, gil=True)
        p = make_plan(w)
        self.assertEqual(len(p.points), 4)
        self.assertTrue(p.open_point.open_loop)
        closed = plans.command("B", p, p.user, p.executors, 3, out="o.json")
        self.assertEqual(closed[:8], ["B", "--executors=threads_pool,asio_coro,threads_chefs,"
                                      "asio_callback", "--profiles=mixed", "--io-us=500",
                                      "--cpu-us=50", "--chefs=100",
                                      f"--customers={p.user.customers}", "--gil=on"])
        for flag in ("--io=net", "--benchmark_repetitions=3",
                     "--benchmark_enable_random_interleaving=true", "--benchmark_out=o.json",
                     "--benchmark_out_format=json"):
            self.assertIn(flag, closed)
        self.assertFalse(any(a.startswith("--arrival-rate") for a in closed))
        opened = plans.command("B", p, p.open_point, p.executors, 3)
        self.assertIn("--arrival-rate=10000", opened)
        self.assertIn("--arrivals=poisson", opened)
        self.assertFalse(any(a.startswith("--benchmark_out") for a in opened))

    def test_ingredients_scale_the_steps(self):
        w = Workload(io_us=1000, cpu_us=100, concurrency=10, ingredients=10)
        p = make_plan(w)
        steps = plans.menu_steps(p.user.customers)
        self.assertEqual(p.user.io_us, round(1000 * 10 / steps))
        self.assertEqual(p.steps, 10.0)
        self.assertTrue(any("--ingredients=10" in n for n in p.notes))


class Cells(unittest.TestCase):
    """Advise's cells are the table's: the same rows give the same ratio, interval and
    outcome as the I/O row's cells (fixtures shared with the table's tests)."""

    def test_the_same_cells_as_the_table(self):
        for name in ("async_wins.json", "threads_win.json", "io_undecided.json"):
            results = load([fixture(name)])
            w = Workload(io_us=1000, cpu_us=0, concurrency=1000)
            p = plans.Plan(workload=w, executors=[], pairs=results.catalogue.pairs(), extra=[],
                           points=[plans.Point(chefs=1000, customers=10000)], steps=5.4)
            ours = answer.cells(results, p, profile="io")
            compared = 0
            for t, a in results.catalogue.pairs():
                levels = levels_of(results, t, a)
                mine = [c for c in ours if c.pair == (t, a)]
                if 1000 not in levels:
                    self.assertEqual(mine, [])
                    continue
                compared += 1
                _, theirs = judge({1000: levels[1000]}, (t, a))
                self.assertEqual(len(mine), 1, name)
                for key in ("ratio", "interval", "outcome", "median_a", "median_b", "n_a"):
                    self.assertEqual(getattr(mine[0], key), getattr(theirs[0], key),
                                     f"{name} {t}/{a} {key}")
            self.assertGreater(compared, 0, name)

    def test_undecided_cells_at_the_users_point_first(self):
        # The fixture's 1,000-chef rows again as 250-chef rows: two points, both undecided.
        with open(fixture("io_undecided.json")) as f:
            doc = json.load(f)
        copies = []
        for b in doc["benchmarks"]:
            if "/chefs:1000/" in b["name"]:
                c = copy.deepcopy(b)
                for key in ("name", "run_name"):
                    if key in c:
                        c[key] = c[key].replace("/chefs:1000/", "/chefs:250/")
                c["chefs"] = 250
                copies.append(c)
        doc["benchmarks"] += copies
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "two_points.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            results = load([path])
        points = [plans.Point(chefs=250, customers=10000), plans.Point(chefs=1000, customers=10000)]
        for user, other in ((1000, "250 in flight"), (250, "1,000 in flight")):
            p = io_plan(results, points, concurrency=user)
            found = answer.cells(results, p, profile="io")
            self.assertEqual({c.level for c in found if c.outcome == "undecided"},
                             {"250 in flight", "1,000 in flight"})
            todo = answer.undecided(results, p, profile="io")
            self.assertTrue(todo)
            said = f"at {answer.level(p.user)}"
            for label, rows in todo:
                self.assertTrue(label.endswith(said), label)
                self.assertNotIn(other, label)
                self.assertTrue(rows)

    def test_words(self):
        results = load([fixture("async_wins.json")])
        found = answer.cells(results, io_plan(results), profile="io")
        self.assertEqual([c.outcome for c in found], ["win", "win"])
        self.assertEqual(answer.verdict(found), "async leads")
        self.assertIn("95% CI", answer.clause(found[0]))

    def test_a_cell_at_the_users_point_needs_five_repetitions(self):
        results = load([fixture("async_wins.json")])
        found = answer.cells(results, io_plan(results), profile="io")
        self.assertEqual({(c.n_a, c.n_b) for c in found}, {(5, 5)})
        # The fixture's 5 repetitions a row, against a rule that wants 6: undecided, and said.
        with mock.patch.object(answer, "USER_MIN_REPETITIONS", 6):
            held = answer.cells(results, io_plan(results), profile="io")
            self.assertEqual([c.outcome for c in held], ["undecided", "undecided"])
            self.assertEqual([c.possible for c in held], [("win",), ("win",)])
            self.assertEqual(answer.word(held[0]), "undecided: fewer than 6 repetitions a side")
        # A neighbour keeps its outcome at 5: the rule is the user's point's.
        p = io_plan(results, concurrency=250)
        with mock.patch.object(answer, "USER_MIN_REPETITIONS", 6):
            self.assertEqual([c.outcome for c in answer.cells(results, p, profile="io")],
                             ["win", "win"])
        self.assertEqual(answer.interval_text(1.1, 1.3, 3), "range 1.10–1.30x, n=3")

    def test_a_closed_loop_row_has_no_p99(self):
        results = load([fixture("async_wins.json")])
        p = io_plan(results)
        p.executors = ["threads_pool", "asio_coro"]
        rows = answer.measured(results, p, profile="io")
        self.assertEqual(len(rows), 2)
        lines = answer.table(p, rows, {})
        self.assertIn("a closed batch has no request latency", lines[0])
        measured_lines = [l for l in lines if l.strip().startswith(("threads_pool", "asio_coro"))]
        self.assertEqual(len(measured_lines), 2)
        for line in measured_lines:
            # The p99 column: after the executor (18) and the rate (34), 16 wide.
            self.assertEqual(line[2 + 18 + 1 + 34 + 1:][:16].strip(), "-", line)
        for m in rows:
            doc = m.as_json()
            self.assertNotIn("p99_ms", doc)
            self.assertNotIn("median_p99_ms", doc)

    def test_over_capacity_has_no_p99(self):
        results = load([fixture("open_loop_poisson.json")])
        # At 7,407/s the mixed rows served 6,666/s: under 95% of the rate.
        w = Workload(io_us=1000, cpu_us=100, concurrency=100, rate=7407)
        point = plans.Point(chefs=100, customers=2000, open_loop=True)
        p = plans.Plan(workload=w, executors=["threads_pool", "asio_coro"],
                       pairs=[("threads_pool", "asio_coro")], extra=[],
                       points=[plans.Point(chefs=100, customers=2000), point], steps=5.4)
        rows = answer.measured(results, p, profile="mixed")
        self.assertEqual(len(rows), 2)
        self.assertEqual(answer.cells(results, p, profile="mixed"), [])
        text = answer.open_loop_text(rows[0], p)
        self.assertEqual(text, f"{rows[0].executor} over capacity: served 6,666/s; p99 "
                               "undefined (the queue grows for the whole service)")
        line = answer.first_line(p, [], rows)
        self.assertIn("p99 undefined (the queue grows for the whole service)", line)
        self.assertNotIn(" ms", line)
        self.assertTrue(all(e["median_p99_ms"] is None and e["over_capacity"]
                            for e in answer.errors(rows, {(m.executor, point.key):
                                                          model.predict(m.executor, w, 5.4,
                                                                        fixed_mechanisms(), 2)
                                                          for m in rows}, p)))

    def test_the_extra_executors_are_compared_with_each_thread_executor(self):
        results = load([fixture("async_wins.json")])
        p = io_plan(results)
        p.extra = ["asio_coro_mt"]
        pairs = answer.comparisons(p)
        for t, _ in results.catalogue.pairs():
            self.assertIn((t, "asio_coro_mt"), pairs)
        found = answer.cells(results, p, profile="io")
        self.assertTrue(any(c.a == "asio_coro_mt" for c in found))


def io_plan(results, points=None, concurrency: int = 1000) -> plans.Plan:
    """A plan over the fixture's I/O rows (1,000 chefs, 10,000 customers unless `points`)."""
    w = Workload(io_us=1000, cpu_us=0, concurrency=concurrency)
    return plans.Plan(workload=w, executors=[], pairs=results.catalogue.pairs(), extra=[],
                      points=points or [plans.Point(chefs=1000, customers=10000)], steps=5.4)


class Flags(unittest.TestCase):
    def test_good_flags(self):
        o = flags.parse(["--io-us=2000", "--cpu-us=150", "--concurrency=800", "--rate=3000",
                         "--ingredients=4", "--io=net", "--gil", "--budget-s=30"])
        self.assertEqual(o.workload, Workload(io_us=2000, cpu_us=150, concurrency=800,
                                              rate=3000.0, ingredients=4, net=True, gil=True))
        self.assertEqual(o.budget_s, 30)
        self.assertEqual(flags.parse(["--io-us=1", "--cpu-us=1", "--concurrency=1",
                                      "--gil=off"]).workload.gil, False)
        self.assertTrue(flags.parse(["accuracy"]).accuracy)

    def test_bad_flags(self):
        cases = {
            ("--io-us=abc", "--cpu-us=0", "--concurrency=1"): "--io-us=abc: 'abc'",
            ("--io-us=1", "--cpu-us=-1", "--concurrency=1"): "--cpu-us=-1",
            ("--io-us=1", "--cpu-us=1", "--concurrency=0"): "--concurrency=0",
            ("--io-us=1", "--cpu-us=1", "--concurrency=100001"): "100,000",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--rate=0"): "--rate=0",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--rate=nan"): "--rate=nan",
            ("--io-us=0", "--cpu-us=0", "--concurrency=1", "--rate=10"): "no finite capacity",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--ingredients=0"): "--ingredients",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--io=disk"): "timer or net",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--gil=maybe"): "on or off",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--budget-s=1"): "--budget-s=1",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--json=/"): "directory",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--json=/no/such/x.json"):
                "does not exist",
            ("--io-us=1", "--io-us=2", "--cpu-us=1", "--concurrency=1"): "given twice",
            ("--cpu-us=1", "--concurrency=1"): "--io-us is required",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--speed=9"): "unknown flag",
            ("--io-us=1", "--cpu-us=1", "--concurrency=1", "--dry-run=yes"): "takes no value",
            ("accuracy", "--io-us=1"): "unknown flag",
        }
        for argv, said in cases.items():
            with self.assertRaises(FlagError, msg=argv) as e:
                flags.parse(list(argv))
            self.assertIn(said, str(e.exception), argv)
            self.assertNotIn("\n", str(e.exception))

    def test_the_command_says_one_line_and_exits_2(self):
        done = run("advise.py", "--io-us=1", "--cpu-us=1", "--concurrency=0")
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, "")
        self.assertEqual(len(done.stderr.splitlines()), 1)
        self.assertTrue(done.stderr.startswith("kitchen advise: --concurrency=0: "))

    def test_help(self):
        done = run("advise.py", "--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("--concurrency=N", done.stdout)

    def test_an_unusable_bench_is_refused(self):
        # A --bench that does not exist is refused, whatever else is built: no fallback.
        done = run("advise.py", "--io-us=1", "--cpu-us=1", "--concurrency=1",
                   "--bench=/no/such/bench_kitchen", "--dry-run")
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, "")
        self.assertEqual(done.stderr, "kitchen advise: --bench=/no/such/bench_kitchen: no such "
                                      "executable file; expected the path of a built "
                                      "bench_kitchen\n")
        with self.assertRaises(advise_main.Refused):
            advise_main.find_bench("/no/such/bench_kitchen")


if __name__ == "__main__":
    unittest.main()

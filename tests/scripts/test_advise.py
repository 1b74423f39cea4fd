"""kitchen advise (scripts/kitchen_advise): the model's arithmetic on fixed inputs, the rows it
asks bench_kitchen for, its cells against the table's on the table's own fixtures, and its
flags. Mechanism only: nothing here measures or asserts a speed."""

import copy
from dataclasses import replace
import json
import math
import os
import tempfile
import unittest
from unittest import mock

from script_runner import catalogued, fixture, run

from kitchen_advise import answer, decide, flags, measure, mechanisms, model
from kitchen_advise import session, tables
from kitchen_advise import plan as plans
from kitchen_advise.flags import FlagError, Workload
from kitchen_report.load import load
from kitchen_report.table.cells import compare
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
        p = model.predict(catalogued("threads_chefs"), W, 5, fixed_mechanisms(), cores=2)
        # W = 5 x (1000 + 40) us, C = 5 x 100 us, o = 5 wake-ups of 1 us, each x g (kernel
        # threads, 50 a core).
        g = model.THREAD_COST_SCALE * 50 ** model.THREAD_COST_EXPONENT
        self.assertAlmostEqual(model.growth(catalogued("threads_chefs"), W, 2), g)
        self.assertAlmostEqual(p.wait_s, 5.2e-3)
        self.assertAlmostEqual(p.work_s, 0.5e-3)
        self.assertAlmostEqual(p.overhead_s, 5e-6 * g)
        self.assertEqual(p.servers, 2)
        self.assertAlmostEqual(p.rate, model.mva(100, 5.2e-3, 0.5e-3 + 5e-6 * g, 2))
        self.assertLessEqual(p.rate, 2 / (0.5e-3 + 5e-6 * g) * (1 + 1e-12))
        self.assertEqual(p.bound, "cpu")
        self.assertAlmostEqual(p.pool_size, 2 * (1 + 5.2e-3 / (0.5e-3 + 5e-6 * g)))
        self.assertEqual(p.threads, 101)
        self.assertAlmostEqual(p.memory_bytes, 100 * 35_000)
        self.assertEqual(p.open_s, 0.0)

    def test_mean_value_analysis_between_the_bounds(self):
        # One request alone: its delay and its demand, no queue.
        self.assertAlmostEqual(model.mva(1, 1e-3, 1e-4, 2), 1 / 1.1e-3)
        self.assertAlmostEqual(model.mva(1, 1e-3, 1e-4, 1), 1 / 1.1e-3)
        rates = [model.mva(n, 1e-3, 1e-4, 2) for n in (1, 2, 5, 10, 20, 40, 100, 1000)]
        self.assertEqual(rates, sorted(rates))
        for n, r in zip((1, 2, 5, 10, 20, 40, 100, 1000), rates):
            self.assertLessEqual(r, min(n / 1.1e-3, 2 / 1e-4) * (1 + 1e-12))
        self.assertAlmostEqual(rates[-1], 2 / 1e-4, delta=1.0)
        self.assertAlmostEqual(model.mva(7, 1e-3, 0.0, 2), 7 / 1e-3)

    def test_a_wait_of_0_wakes_nothing_but_the_pool_round_trip_is_every_step(self):
        m = fixed_mechanisms()
        cpu_only = Workload(io_us=0, cpu_us=100, concurrency=2)
        chefs, offload = catalogued("threads_chefs"), catalogued("asio_offload")
        self.assertEqual(model.predict(chefs, cpu_only, 5, m, 2).overhead_s, 0.0)
        self.assertAlmostEqual(model.predict(offload, cpu_only, 5, m, 2).overhead_s,
                               0.3e-6 + 5 * 2 * 1e-6)

    def test_a_closed_service_starts_its_threads(self):
        m = fixed_mechanisms()
        w = Workload(io_us=1000, cpu_us=0, concurrency=100)
        steady = model.predict(catalogued("threads_chefs"), w, 5, m, 2)
        service = model.predict(catalogued("threads_chefs"), w, 5, m, 2, orders=1600)
        self.assertAlmostEqual(service.open_s, 100 * 30e-6)
        self.assertAlmostEqual(service.rate, 1600 / (1600 / steady.rate + 100 * 30e-6))
        # A thread per order pays its start per request instead; a loop starts none.
        for name in ("threads_per_order", "asio_coro"):
            self.assertEqual(model.predict(catalogued(name), w, 5, m, 2, orders=1600).open_s, 0)
        # An open loop's clock starts once the kitchen is open.
        rated = Workload(io_us=1000, cpu_us=0, concurrency=100, rate=100)
        self.assertEqual(
            model.predict(catalogued("threads_chefs"), rated, 5, m, 2, orders=1600).open_s, 0)

    def test_one_loop_thread_and_its_spawn(self):
        p = model.predict(catalogued("asio_coro"), W, 5, fixed_mechanisms(), cores=2)
        self.assertAlmostEqual(p.overhead_s, 0.3e-6 + 5 * 0.25e-6)
        self.assertEqual(p.servers, 1)
        self.assertAlmostEqual(p.rate, 1 / (0.5e-3 + 1.55e-6))
        self.assertEqual(p.threads, 1)

    def test_the_in_flight_bound(self):
        w = Workload(io_us=1000, cpu_us=0, concurrency=10)
        p = model.predict(catalogued("asio_callback"), w, 5, fixed_mechanisms(), cores=2)
        self.assertEqual(p.bound, "in flight")
        # Mean value analysis: just under the bound, 10 requests seldom queue for the loop.
        bound = 10 / (5.2e-3 + 5 * 20e-9)
        self.assertLess(p.rate, bound)
        self.assertGreater(p.rate, 0.999 * bound)

    def test_the_gil_leaves_one_server(self):
        w = Workload(io_us=0, cpu_us=200, concurrency=2, gil=True)
        p = model.predict(catalogued("threads_pool"), w, 5, fixed_mechanisms(), cores=2)
        self.assertEqual(p.servers, 1)
        self.assertEqual(p.wait_s, 0.0)   # a wait of 0 is skipped: no overshoot either

    def test_no_mechanism_rows_cost_nothing(self):
        p = model.predict(catalogued("threads_per_order"), W, 5,
                          mechanisms.Mechanisms(source="none"), 2)
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
        p = model.predict(catalogued("threads_chefs"), w, 5, fixed_mechanisms(), cores=2)
        self.assertFalse(p.over_capacity)
        self.assertGreaterEqual(p.p99_estimate_s, p.wait_s + p.work_s + p.overhead_s)
        w = Workload(io_us=1000, cpu_us=100, concurrency=100, rate=10_000)
        p = model.predict(catalogued("threads_chefs"), w, 5, fixed_mechanisms(), cores=2)
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

    def test_a_file_of_this_cpu_model_before_a_newer_one_of_another(self):
        with tempfile.TemporaryDirectory() as root:
            for folder, cpu in (("2026-01-01-a", "Model X"), ("2026-01-02-b", "Model Y")):
                d = os.path.join(root, "results", "reference", folder)
                os.makedirs(d)
                with open(fixture("async_wins.json")) as f, \
                        open(os.path.join(d, "bench.json"), "w") as out:
                    out.write(f.read())
                with open(os.path.join(d, "machine.md"), "w") as f:
                    f.write(f"- CPU: {cpu}, 2 cores\n")
            here = {"num_cpus": 2, "usable_cores": "2", "mhz_per_cpu": 1000}
            with mock.patch.object(mechanisms, "cpu_model", return_value="Model X"):
                found = mechanisms.find(root, None, here)
            self.assertIn("2026-01-01-a", found.source)
            self.assertIn("from another machine", found.source)
            self.assertEqual(found.differences, ("mhz_per_cpu 2000 there, 1000 here",))
            # A machine like this one in every key is taken first, whatever its age.
            with mock.patch.object(mechanisms, "cpu_model", return_value="Model Y"):
                found = mechanisms.find(root, None, dict(here, mhz_per_cpu=2000))
            self.assertIn("2026-01-02-b", found.source)
            self.assertEqual(found.differences, ())

    def test_a_file_without_them(self):
        self.assertIsNone(mechanisms.read(fixture("io_undecided.json")))


class Catalogue(unittest.TestCase):
    def test_the_model_knows_what_the_catalogue_says_a_dish_pays(self):
        results = load([fixture("async_wins.json")])
        for e in results.catalogue:
            if not e.one_at_a_time and e.language == "C++":
                self.assertTrue(model.modelled(e), e.name)
        self.assertFalse(model.modelled(results.catalogue.get("serial")))
        self.assertFalse(model.modelled(None))


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
            ours = decide.cells(results, p, profile="io")
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
            found = decide.cells(results, p, profile="io")
            self.assertEqual({c.level for c in found if c.outcome == "undecided"},
                             {"250 in flight", "1,000 in flight"})
            todo = decide.undecided(results, p, profile="io")
            self.assertTrue(todo)
            said = f"at {decide.level(p.user)}"
            for label, rows in todo:
                self.assertTrue(label.endswith(said), label)
                self.assertNotIn(other, label)
                self.assertTrue(rows)

    def test_words(self):
        results = load([fixture("async_wins.json")])
        found = decide.cells(results, io_plan(results), profile="io")
        self.assertEqual([c.outcome for c in found], ["win", "win"])
        self.assertEqual(answer.verdict(found), "async leads")
        self.assertIn("99% CI", answer.clause(found[0]))

    def test_a_cell_at_the_users_point_needs_five_repetitions(self):
        results = load([fixture("async_wins.json")])
        found = decide.cells(results, io_plan(results), profile="io")
        self.assertEqual({(c.n_a, c.n_b) for c in found}, {(5, 5)})
        # The fixture's 5 repetitions a row, against a rule that wants 6: undecided, and said.
        with mock.patch.object(decide, "USER_MIN_REPETITIONS", 6), \
                mock.patch.object(answer, "USER_MIN_REPETITIONS", 6):
            held = decide.cells(results, io_plan(results), profile="io")
            self.assertEqual([c.outcome for c in held], ["undecided", "undecided"])
            self.assertEqual([c.possible for c in held], [("win",), ("win",)])
            self.assertEqual(answer.word(held[0]), "undecided: fewer than 6 repetitions a side")
        # A neighbour keeps its outcome at 5: the rule is the user's point's.
        p = io_plan(results, concurrency=250)
        with mock.patch.object(decide, "USER_MIN_REPETITIONS", 6), \
                mock.patch.object(answer, "USER_MIN_REPETITIONS", 6):
            self.assertEqual([c.outcome for c in decide.cells(results, p, profile="io")],
                             ["win", "win"])
        self.assertEqual(answer.interval_text(1.1, 1.3, 3), "range 1.10–1.30x, n=3")

    def test_a_closed_loop_row_has_no_p99(self):
        results = load([fixture("async_wins.json")])
        p = io_plan(results)
        p.executors = ["threads_pool", "asio_coro"]
        rows = decide.measured(results, p, profile="io")
        self.assertEqual(len(rows), 2)
        lines = tables.table(p, rows, {})
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

    def test_the_extra_executors_are_compared_with_each_thread_executor(self):
        results = load([fixture("async_wins.json")])
        p = io_plan(results)
        p.extra = ["asio_coro_mt"]
        pairs = decide.comparisons(p)
        for t, _ in results.catalogue.pairs():
            self.assertIn((t, "asio_coro_mt"), pairs)
        found = decide.cells(results, p, profile="io")
        self.assertTrue(any(c.a == "asio_coro_mt" for c in found))


def io_plan(results, points=None, concurrency: int = 1000) -> plans.Plan:
    """A plan over the fixture's I/O rows (1,000 chefs, 10,000 customers unless `points`)."""
    w = Workload(io_us=1000, cpu_us=0, concurrency=concurrency)
    return plans.Plan(workload=w, executors=[], pairs=results.catalogue.pairs(), extra=[],
                      points=points or [plans.Point(chefs=1000, customers=10000)], steps=5.4)


OVER = "advise_over_capacity.json"
OVER_PAIRS = [("threads_pool", "asio_coro"), ("threads_chefs", "asio_callback")]


def over_plan(rate: float = 10_000) -> plans.Plan:
    """The plan behind advise_over_capacity.json's round-1 rows: 100 in flight, closed, and
    the open loop at the user's rate."""
    w = Workload(io_us=500, cpu_us=50, concurrency=100, rate=rate)
    customers = 1104 if rate == 10_000 else 1000
    return plans.Plan(workload=w, executors=[e for p in OVER_PAIRS for e in p],
                      pairs=list(OVER_PAIRS), extra=[],
                      points=[plans.Point(chefs=100, customers=1288, io_us=500, cpu_us=50),
                              plans.Point(chefs=100, customers=customers, open_loop=True,
                                          io_us=500, cpu_us=50, rate=rate)], steps=5.4)


def over_answer():
    """The fixture's results, its plan with the sustainable point added as round 1 adds it,
    the cells and the measured rows."""
    results = load([fixture(OVER)])
    p = over_plan()
    p.points += decide.sustainable_points(results, p, profile="mixed")
    return results, p, decide.cells(results, p, profile="mixed"), decide.measured(
        results, p, profile="mixed")


class OverCapacity(unittest.TestCase):
    """`--rate` over every executor's capacity: each p99 measured and labelled, no cells
    between over-capacity rows, and an open loop at a sustainable rate chosen from round 1's
    measured rows (advise_over_capacity.json: made by hand, not measurements)."""

    def test_the_sustainable_rate_comes_from_round_1s_measured_rows(self):
        results = load([fixture(OVER)])
        p = over_plan()
        added = decide.sustainable_points(results, p, profile="mixed")
        # The lowest of the closed loops' 3,500/s and more and what the open loops served
        # at 10,000/s: asio_coro's 3,000/s there; 70% of it, 2,100/s.
        self.assertEqual(p.capacity, plans.Capacity("asio_coro", 3000.0, "served at your rate"))
        self.assertEqual(len(added), 1)
        point = added[0]
        self.assertEqual((point.chefs, point.rate, point.open_loop, point.sustainable),
                         (100, 2100.0, True, True))
        self.assertEqual(point.customers, plans.open_loop_orders(2100.0))
        self.assertEqual((point.io_us, point.cpu_us), (500, 50))
        self.assertNotEqual(point.key, p.open_point.key)
        # Once added, not again.
        p.points += added
        self.assertEqual(decide.sustainable_points(results, p, profile="mixed"), [])

    def test_no_sustainable_point_when_the_rate_is_served(self):
        # The fixture's 2,100/s rows as the user's rate: asio_callback served 1,890/s, under
        # 95%, so a point is added at 70% of that; with asio_callback left out, none.
        results = load([fixture(OVER)])
        p = over_plan(rate=2100)
        self.assertEqual([x.rate for x in decide.sustainable_points(results, p, "mixed")],
                         [1300.0])
        self.assertEqual(p.capacity.executor, "asio_callback")
        p = over_plan(rate=2100)
        p.pairs, p.executors = OVER_PAIRS[:1], ["threads_pool", "asio_coro"]
        self.assertEqual(decide.sustainable_points(results, p, "mixed"), [])
        self.assertIsNone(p.capacity)

    def test_the_sustainable_rate_rounds_down(self):
        for capacity, rate in ((3000, 2100), (3495, 2400), (14, 9), (1.2, 1), (150_000, 100_000)):
            self.assertEqual(plans.sustainable_rate(capacity), rate, capacity)

    def test_every_p99_is_measured_and_labelled_over_capacity(self):
        _, p, _, rows = over_answer()
        at_rate = [m for m in rows if m.point == p.open_point]
        self.assertEqual(len(at_rate), 4)
        self.assertTrue(all(m.over for m in at_rate))
        coro = next(m for m in at_rate if m.executor == "asio_coro")
        self.assertTrue(answer.open_loop_text(coro).startswith(
            "asio_coro 250 ms (95% CI "))
        self.assertTrue(answer.open_loop_text(coro).endswith(
            ", over capacity: served 3,000/s of 10,000/s offered"))
        for doc in (coro.as_json(), tables.errors([coro], {(coro.executor, coro.point.key):
                                                           fixed_prediction(coro)}, p)[0]):
            self.assertIs(doc["over_capacity"], True)
            self.assertEqual(doc["median_p99_ms"], 250.0)
            self.assertEqual(len(doc["median_p99_interval"]), 2)
            self.assertEqual((doc["offered_per_s"], doc["served_per_s"], doc["orders"]),
                             (10_000, 3000.0, 1104))
            self.assertIs(doc["sustainable_point"], False)

    def test_the_table_marks_over_capacity(self):
        _, p, _, rows = over_answer()
        lines = tables.table(p, rows, {})
        start = next(i for i, l in enumerate(lines) if "open loop at your 10,000/s" in l)
        block = lines[start:start + 7]
        self.assertTrue(all(l.rstrip()[2 + 18 + 1 + 34 + 1:][:16].strip().endswith(
            tables.OVER_MARK) for l in block[2:6]), block)
        self.assertIn(f"{tables.OVER_MARK} over capacity: served under 0.95x the 10,000/s "
                      "offered (threads_pool 4,500/s, asio_coro 3,000/s", block[6])
        self.assertIn("the queue grew for the whole 1,104-order service, so these p99s "
                      "measure that backlog", block[6])
        steady = lines[lines.index(block[6]) + 1:]
        self.assertIn("open loop at 2,100/s, Poisson: 70% of the lowest capacity measured",
                      steady[0])
        marked = [l for l in steady if l.rstrip().endswith("5") and tables.OVER_MARK in l]
        self.assertEqual([l.split()[0] for l in marked], ["asio_callback"])

    def test_late_arrivals_are_said_under_the_rows_they_concern(self):
        _, p, _, rows = over_answer()
        here = [m for m in rows if m.point.open_loop and not m.point.sustainable]
        # The fixture's schedule was on time: nothing to say.
        self.assertEqual(tables.lag_note(here), [])
        late = copy.deepcopy(here[:2])
        for m, lag in zip(late, (0.8, 1.2)):
            m.row.counters["arrival_lag_suspect"] = 1.0
            m.row.counters["arrival_lag_ms"] = lag
        note = tables.lag_note(late + here[2:])
        self.assertEqual(len(note), 1)
        self.assertIn(f"p99 0.80–1.20 ms) in 2 of {len(here)} rows "
                      f"({late[0].executor}, {late[1].executor})", note[0])
        self.assertEqual(decide.Measured(late[0].executor, late[0].point,
                                         late[0].row).as_json()["arrival_lag_ms"], 0.8)

    def test_no_cells_between_over_capacity_rows(self):
        _, p, found, _ = over_answer()
        self.assertEqual([c for c in found if c.level == decide.level(p.open_point)], [])
        steady = [c for c in found if c.level == decide.level(p.sustainable)]
        # asio_callback is still over capacity at 2,100/s: its pair has no cell.
        self.assertEqual([c.pair for c in steady], [("threads_pool", "asio_coro")])

    def test_the_sustainable_cells_follow_the_shared_rules(self):
        results, p, found, _ = over_answer()
        cell = next(c for c in found if c.level == decide.level(p.sustainable))
        rows = {r.kind: r for r in (decide.find_row(results, e, p.sustainable, "mixed")
                                    for e in ("threads_pool", "asio_coro"))}
        shared = compare(rows["asio_coro"], rows["threads_pool"], decide.P99, decide.BAND,
                         pair=cell.pair, level=cell.level, higher_is_better=False,
                         row="advise")
        self.assertEqual(cell, shared)
        self.assertEqual(cell.outcome, "win")
        # At the user's N: decided only with USER_MIN_REPETITIONS a side, and read first.
        with mock.patch.object(decide, "USER_MIN_REPETITIONS", 6), \
                mock.patch.object(answer, "USER_MIN_REPETITIONS", 6):
            held = decide.cells(results, p, profile="mixed")
            self.assertTrue(all(c.outcome == "undecided" for c in held))
            labels = [label for label, _ in decide.undecided(results, p, profile="mixed")]
            self.assertIn(f"asio_coro vs threads_pool at {decide.level(p.sustainable)}", labels)

    def test_the_first_line(self):
        _, p, found, rows = over_answer()
        line = answer.comparisons_line(p, found, rows)
        self.assertTrue(line.startswith("At 100 in flight, threads lead: threads_pool serves "),
                        line)
        self.assertIn("; at your 10,000/s (open loop, Poisson) every executor is over capacity "
                      "on this machine (served 3,000–4,800/s; p99 140–250 ms: the queue grew "
                      "for the whole 1,104-order service, so these p99s measure that backlog",
                      line)
        self.assertIn("; at 2,100/s (70% of the lowest capacity measured, asio_coro's 3,000/s "
                      "served at your rate; open loop), async leads: asio_coro's p99 is 3 ms "
                      "against threads_pool's 6 ms (2.00x lower, 99% CI ", line)
        self.assertIn("; still over capacity there, so not compared: asio_callback 90 ms", line)
        self.assertNotIn("try a rate", line)

    def test_the_sustainable_rows_and_commands(self):
        _, p, _, rows = over_answer()
        steady = [m for m in rows if m.point.sustainable]
        self.assertEqual([m.executor for m in steady], p.executors)
        for m in steady:
            self.assertIn("/customers:1000/rate:2100/arrivals:poisson", m.row.name)
            command = plans.reproduce(p, m.point, m.executor, m.row.repetitions).split()
            for flag in ("--chefs=100", "--customers=1000", "--arrival-rate=2100",
                         "--arrivals=poisson", "--benchmark_repetitions=5"):
                self.assertIn(flag, command)
        self.assertEqual(p.as_json()["sustainable_capacity"],
                         {"executor": "asio_coro", "per_s": 3000.0,
                          "source": "served at your rate", "share": 0.7})


def fixed_prediction(m) -> model.Prediction:
    w = Workload(io_us=500, cpu_us=50, concurrency=100, rate=m.point.rate)
    return model.predict(catalogued(m.executor), w, 5.4, fixed_mechanisms(), 2)


def fake_bench_out(argv, name, work):
    """measure.run_monitored's stand-in: writes advise_over_capacity.json's rows of the
    command's executors and point into its --benchmark_out, as many repetitions as asked."""
    flags = dict(a.split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    with open(fixture(OVER)) as f:
        doc = json.load(f)
    point = f"/chefs:{flags['--chefs']}/customers:{flags['--customers']}"
    rate = f"/rate:{flags['--arrival-rate']}/" if "--arrival-rate" in flags else None
    executors = flags["--executors"].split(",")
    reps = int(flags["--benchmark_repetitions"])
    kept = [b for b in doc["benchmarks"] if point + ("/" if rate is None else "") in
            b["name"] + "/" and (rate is None) == ("/rate:" not in b["name"])
            and (rate is None or rate in b["name"]) and b["name"].split("/")[1] in executors
            and b.get("run_type") == "iteration" and b["repetition_index"] < reps]
    with open(flags["--benchmark_out"], "w") as f:
        json.dump({"context": doc["context"], "benchmarks": kept}, f)
    return {"name": name, "argv": argv}


class SustainableRounds(unittest.TestCase):
    """The rounds add the sustainable point after round 1 (measure.measure with a stand-in
    for bench_kitchen): round 2 measures it whole, with the user's point's repetitions, when
    it fits in the budget left."""

    def rounds(self, budget_s: float):
        p = over_plan()
        with tempfile.TemporaryDirectory() as work, \
                mock.patch.object(measure, "run_monitored", side_effect=fake_bench_out) as run, \
                mock.patch.object(measure, "say"):
            done = measure.measure("B", p, work, budget_s,
                                   lambda r: decide.undecided(r, p, profile="mixed"),
                                   lambda r: decide.sustainable_points(r, p, profile="mixed"))
            results = done.results()
        return p, done, results, [c.args[0] for c in run.call_args_list]

    def test_round_2_measures_the_sustainable_point(self):
        p, done, results, argvs = self.rounds(budget_s=60)
        self.assertEqual(done.rounds, 2)
        self.assertEqual(done.stopped, "every cell is decided")
        self.assertEqual(len(argvs), 3)
        steady = argvs[2]
        for flag in ("--arrival-rate=2100", "--customers=1000",
                     f"--benchmark_repetitions={measure.USER_REPETITIONS}",
                     "--executors=threads_pool,asio_coro,threads_chefs,asio_callback"):
            self.assertIn(flag, steady)
        self.assertFalse(any(a.startswith("--benchmark_filter") for a in steady))
        self.assertEqual(p.sustainable.rate, 2100)
        self.assertEqual(len([m for m in decide.measured(results, p, "mixed")
                              if m.point.sustainable]), 4)

    def test_over_the_budget_it_runs_whole_and_says_so(self):
        p, done, _, argvs = self.rounds(budget_s=5)
        self.assertEqual(len(argvs), 3)
        self.assertIn("--arrival-rate=2100", argvs[2])
        self.assertTrue(any(n.startswith("the open loop at 2100/s (a sustainable rate, added "
                                         "after round 1) is estimated at ") and
                            n.endswith("it runs whole, as round 1 does (no cell there is "
                                       "decided without it)") for n in p.notes), p.notes)
        self.assertEqual(done.stopped, "every cell is decided")

    def test_rows_measured_again_wait_when_they_do_not_fit_beside_it(self):
        p = over_plan()
        steady = plans.open_loop_point(p.workload, 2100, 2100, sustainable=True)
        again = {"closed_100": (["kitchen/threads_pool/mixed/chefs:100/customers:1288"], 2)}
        need = measure.point_estimate_s(p, steady)
        with mock.patch.object(measure, "say"):
            todo, estimate = measure.schedule_added(p, [steady], dict(again), 1.0, need + 2)
            self.assertEqual(set(todo), {"closed_100", "sustainable_100"})
            self.assertEqual(todo["sustainable_100"], ([], measure.USER_REPETITIONS))
            todo, estimate = measure.schedule_added(p, [steady], dict(again), 3.0, need + 2)
        self.assertEqual(set(todo), {"sustainable_100"})
        self.assertEqual(estimate, need)
        self.assertEqual(p.notes, [])


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
        with self.assertRaises(session.Refused):
            session.find_bench("/no/such/bench_kitchen")


class Recommendation(unittest.TestCase):
    """The first line: the executor that serves most at the user's N, its margin with the
    interval over the best of each other side, and the bound, in at most 200 characters."""

    def setUp(self):
        self.results = load([fixture("async_wins.json")])
        self.plan = io_plan(self.results)
        self.plan.executors = list(dict.fromkeys(e for p in self.plan.pairs for e in p))
        self.rows = decide.measured(self.results, self.plan, profile="io")
        self.side = self.results.catalogue.side

    def test_the_executor_serving_most_against_the_best_of_the_other_side(self):
        rec = decide.recommend(self.plan, self.rows, {}, self.side)
        self.assertEqual((rec.executor, rec.side), ("asio_callback", "async"))
        self.assertEqual([(m.other, m.side, m.cell.outcome) for m in rec.margins],
                         [("threads_chefs", "threads", "win")])
        self.assertAlmostEqual(rec.margins[0].ratio, 157500 / 21000)
        self.assertEqual(rec.bound, "waits")
        line = answer.recommendation_line(self.plan, rec)
        self.assertLessEqual(len(line), answer.FIRST_LINE_MAX)
        self.assertTrue(line.startswith("Use asio_callback at 1,000 in flight: it serves 7.5"),
                        line)
        self.assertIn("threads_chefs (99% CI ", line)
        self.assertTrue(line.endswith("bound by the waits."), line)
        doc = rec.as_json()
        self.assertEqual(doc["margins"][0]["executor"], "threads_chefs")
        self.assertEqual(len(doc["margins"][0]["interval"]), 2)

    def test_a_tie_is_named(self):
        rows = []
        best = next(m for m in self.rows if m.executor == "asio_callback")
        for m in self.rows:
            if m.executor == "threads_chefs":
                m = decide.Measured(m.executor, m.point,
                                    replace(m.row, samples=best.row.samples,
                                            counters=best.row.counters))
            rows.append(m)
        rec = decide.recommend(self.plan, rows, {}, self.side)
        self.assertEqual({rec.executor, *rec.tied}, {"asio_callback", "threads_chefs"})
        line = answer.recommendation_line(self.plan, rec)
        self.assertTrue(line.startswith(f"{rec.executor} and {rec.tied[0]} tie at 1,000 in "
                                        "flight"), line)
        self.assertIn("(a tie, 99% CI ", line)
        self.assertLessEqual(len(line), answer.FIRST_LINE_MAX)

    def test_an_undecided_margin_is_no_recommendation_to_use(self):
        rec = decide.recommend(self.plan, self.rows, {}, self.side)
        open_cell = replace(rec.margins[0].cell, outcome="undecided")
        rec = replace(rec, margins=(replace(rec.margins[0], cell=open_cell),))
        line = answer.recommendation_line(self.plan, rec)
        self.assertTrue(line.startswith("asio_callback serves most at 1,000 in flight, not yet "
                                        "decided: 7.50x threads_chefs (undecided, 99% CI "), line)

    def test_long_names_are_kept_within_200_characters(self):
        rec = decide.recommend(self.plan, self.rows, {}, self.side)
        long = [decide.Margin("x" * 40 + str(i), f"side{i}", rec.margins[0].cell)
                for i in range(3)]
        line = answer.recommendation_line(self.plan, replace(rec, margins=tuple(long)))
        self.assertLessEqual(len(line), answer.FIRST_LINE_MAX)
        self.assertIn("x" * 40 + "2", line)

    def test_the_bound(self):
        m = next(r for r in self.rows if r.executor == "threads_chefs")
        pred = model.predict(catalogued("threads_chefs"), W, 5, fixed_mechanisms(), cores=2)
        self.assertEqual(pred.threads, 101)
        self.assertEqual(decide.workload_bound(m, pred, 50, None)[0], "thread budget")
        self.assertEqual(decide.workload_bound(m, pred, 1000, 1e6)[0], "memory")
        # cpu_util 0.5 of 2 cores: the waits; 1.9 of 2: the cores.
        self.assertEqual(decide.workload_bound(m, pred, 1000, 1e12)[0], "waits")
        busy = decide.Measured(m.executor, m.point, replace(
            m.row, counters=dict(m.row.counters, cpu_util=1.9)))
        self.assertEqual(decide.workload_bound(busy, pred, 1000, 1e12)[0], "cores")

    def test_one_line_per_side_and_where_the_model_is_unreliable(self):
        lines = answer.side_lines(self.plan, self.rows, self.side,
                                  {"threads": "the model's prediction is unreliable"})
        self.assertEqual([l.split(":")[0] for l in lines], ["- threads", "- async"])
        self.assertTrue(lines[1].startswith("- async: asio_callback 157,500/s, asio_coro"),
                        lines[1])
        self.assertIn("the model's prediction is unreliable", lines[0])
        self.assertNotIn("unreliable", lines[1])

    def test_unreliable_bands_from_an_accuracy_file(self):
        from kitchen_advise import accuracy
        with open(fixture("async_wins.json")) as f:
            catalogue = json.load(f)["context"]["kitchen_catalogue"]
        m = fixed_mechanisms()
        points = []
        for i in range(accuracy.BAND_MIN_POINTS):
            w = Workload(io_us=1000, cpu_us=0, concurrency=200 + i)
            p = accuracy.point_doc(catalogued("threads_chefs"), w, 3200, m, 2, 1.0)
            # Measured at half the prediction: the model misses by +100% in that band.
            p.update(measured_per_s=p["predicted_per_s"] / 2, set="holdout",
                     other_share=0.0, steal_share=0.0)
            points.append(p)
        with tempfile.TemporaryDirectory() as root:
            folder = os.path.join(root, "results", "latest")
            os.makedirs(folder)
            with open(os.path.join(folder, "advise_accuracy.json"), "w") as f:
                json.dump({"mechanisms": m.as_json(), "context": {"usable_cores": "2"},
                           "kitchen_catalogue": catalogue, "points": points}, f)
            here = accuracy.unreliable_here(root, 500)
            self.assertEqual(list(here), ["threads"])
            self.assertIn("median error 100% over the held-out workloads", here["threads"])
            self.assertEqual(accuracy.unreliable_here(root, 50), {})


if __name__ == "__main__":
    unittest.main()

"""py_kitchen.py: the kitchen in CPython, checked for behaviour, never for speed.

Each run is tiny (a few orders, waits of a few hundred microseconds, --quick). Where the C++
model's output is needed, the tests run it (KITCHEN_BENCH_BIN and the `kitchen` program beside
it) and skip, saying so, without it. No test asserts a duration or a speed ratio: the pitfall
test checks how many dishes were in preparation at once.
"""

import asyncio
import json
import os
import re
import subprocess
import tempfile
import unittest

from script_runner import (BENCH_BIN, HAVE_MATPLOTLIB, NO_BENCH_BIN, NO_MATPLOTLIB,
                           have_bench_bin, run)

from cpython_kitchen import gbench as py_gbench
from cpython_kitchen.executors import EXECUTORS as SERVE
from cpython_kitchen import blocking_chef, executors
from cpython_kitchen.executors import close_row_loop, row_loop
from cpython_kitchen.ledger import CANCELLED, Ledger, result_text
from cpython_kitchen.model import (MENU, NO_FAILURE, PANTRY_MODES, UNLOCKED, Costs, Pantry,
                                   Service, make_orders, plan_failures)
from cpython_kitchen.net import schedstat_cpu_ns
from kitchen_report import load as kr
from kitchen_report.provenance import machine_line

# The executors a run without --executors runs: every one but the process pools, which run
# only when named (test_py_processes.py).
EXECUTORS = tuple(e for e in SERVE if e not in executors.PROCESS_POOLS)
# Any C++ executor serves the same orders and fails them alike; the test needs just one.
CPP_EXECUTOR = "asio_coro"


def cpp_service(customers, seed, rate=0.0):
    """(dishes ordered, result of every order in order) from the C++ model: the `kitchen`
    program built beside bench_kitchen, which logs each order and how it ended."""
    program = os.path.join(os.path.dirname(BENCH_BIN), "kitchen")
    done = subprocess.run([program, f"--executor={CPP_EXECUTOR}", f"--customers={customers}",
                           f"--seed={seed}", f"--fail-rate={rate:g}", "--io-us=0", "--cpu-us=0"],
                          capture_output=True, text=True, timeout=60, check=True)
    ordered = re.findall(r"I- Ordered (.+)", done.stdout)
    results = [""] * len(ordered)
    for order, ingredient in re.findall(r"order (\d+) +X- Out of (.+): order failed",
                                        done.stdout):
        results[int(order)] = f"Failed {ordered[int(order)]}: out of {ingredient}"
    for order in re.findall(r"order (\d+) +O- Served ", done.stdout):
        results[int(order)] = f"Served {ordered[int(order)]}"
    return ordered, results


def dishes(orders):
    return [MENU[d][0] for d in orders]


def refuse_constant(constant):
    """For json.load: NaN, Infinity and -Infinity are not JSON, and no output may hold them."""
    raise ValueError(f"{constant} is not JSON")


class OrdersTest(unittest.TestCase):
    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_same_seed_same_dishes_as_cpp(self):
        # The state wraps around 2^64 on the first draw of the last seed.
        for seed in (1, 12345, 2**64 - 1):
            with self.subTest(seed=seed):
                ordered, _ = cpp_service(10, seed)
                self.assertEqual(dishes(make_orders(10, seed)), ordered)

    def test_the_menu_has_the_five_dishes_in_order(self):
        self.assertEqual([(name, len(ingredients)) for name, ingredients in MENU],
                         [("Pizza", 5), ("Spaghetti", 5), ("Chicken Stir Fry", 6),
                          ("Chicken Biryani", 6), ("Salad", 5)])


class FailurePlanTest(unittest.TestCase):
    """--fail-rate: the same ingredients out of stock as bench_kitchen, and every executor serves
    every other order."""

    def service(self, rate, costs=Costs(0, 0), customers=40, chefs=3):
        orders = make_orders(customers, 1)
        return Service(orders, costs, chefs, ns_per_unit=100.0,
                       failures=plan_failures(orders, rate, 1))

    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_same_failures_as_cpp(self):
        service = self.service(0.1)
        _, expected = cpp_service(40, 1, 0.1)
        self.assertEqual([result_text(d, f) for d, f in zip(service.orders, service.failures)],
                         expected)

    def test_rates_0_and_1(self):
        self.assertEqual(set(self.service(0).failures), {NO_FAILURE})
        self.assertEqual(set(self.service(1).failures), {0})  # the first ingredient, every time

    def test_every_executor_fails_exactly_the_planned_orders(self):
        # A short wait lets the threads' chefs interleave; results still come back in order.
        service = self.service(0.1, Costs(100, 5))
        for executor in EXECUTORS:
            with self.subTest(executor=executor):
                ledger, results = SERVE[executor](service)
                self.assertIsNone(ledger.check(results))
                self.assertEqual(results, [result_text(d, f) for d, f in
                                           zip(service.orders, service.failures)])
                self.assertEqual(ledger.served() + ledger.failed(), 40)
                self.assertEqual(ledger.failed(),
                                 sum(f != NO_FAILURE for f in service.failures))


def _kitchen(*args):
    """Run py_kitchen.py with --quick into a temporary file: (process, document)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "py.json")
        process = run("py_kitchen.py", "--quick", f"--out={out}", *args)
        assert process.returncode == 0, process.stderr
        assert os.listdir(d) == ["py.json"], os.listdir(d)  # no temporary file left behind
        with open(out, encoding="utf-8") as f:
            return process, json.load(f, parse_constant=refuse_constant), kr.load([out])


class SmallRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.process, cls.doc, cls.results = _kitchen(
            "--profiles=io", "--chefs=3", "--customers=6", "--io-us=200", "--cpu-us=20")

    def rows(self):
        return [r for r in self.results.rows if r.kind.startswith("py_")]

    def test_loads_with_its_catalogue(self):
        self.assertEqual(self.results.errors, [])
        self.assertEqual(sorted({r.kind for r in self.rows()}), sorted(EXECUTORS))
        c = self.results.catalogue
        # The catalogue lists every executor, those run only when named too.
        self.assertEqual([e.name for e in c], list(SERVE))
        self.assertEqual(c.pairs(), [("py_threads", "py_asyncio")])
        self.assertTrue(c.one_at_a_time("py_asyncio_blocking"))
        self.assertTrue(all(e.language == "CPython" and e.source_lines > 0 for e in c))
        self.assertIn("CPython", machine_line(self.results))

    def test_names_follow_bench_kitchens_scheme(self):
        for entry in self.doc["benchmarks"]:
            self.assertTrue(entry["run_name"].endswith("/chefs:3/customers:6/io_us:200/cpu_us:20"
                                                       "/process_time/real_time"), entry["name"])
            self.assertIn(entry["run_type"], ("iteration", "aggregate"))
            self.assertEqual(entry["time_unit"], "ms")
        self.assertEqual([r.profile for r in self.rows()], ["io"] * len(EXECUTORS))

    def test_every_order_is_served_once_within_the_chefs(self):
        for r in self.rows():
            c = r.counters
            self.assertEqual(c["served"] + c["failed"], c["customers"], r.name)
            self.assertEqual(c["customers"], 6)
            self.assertGreaterEqual(c["peak_in_preparation"], 1)
            self.assertLessEqual(c["peak_in_preparation"], c["chefs"], r.name)
            self.assertGreater(c["dishes_per_s"], 0)

    def test_threads_are_counted_like_cpp(self):
        rows = {r.kind: r.counters for r in self.rows()}
        for loop in ("py_asyncio", "py_asyncio_blocking"):
            # The loop runs on the main thread: one live thread, one that cooked.
            self.assertEqual((rows[loop]["os_threads"], rows[loop]["cooking_threads"]), (1, 1))
        pool = rows["py_threads"]
        self.assertGreaterEqual(pool["cooking_threads"], 1)
        # The pool's workers and the main thread that waits for them. ThreadPoolExecutor starts
        # a worker at a submit that finds none idle, up to its 3, so a worker may start and
        # find every order taken by the others (seen with the machine busy: 3 workers, 2 of
        # them cooked): the workers are at least those that cooked, at most the chefs.
        workers = pool["os_threads"] - 1
        self.assertGreaterEqual(workers, pool["cooking_threads"])
        self.assertLessEqual(workers, 3)

    def test_repetitions_and_aggregates_by_default(self):
        for name in {e["run_name"] for e in self.doc["benchmarks"]}:
            mine = [e for e in self.doc["benchmarks"] if e["run_name"] == name]
            self.assertEqual([e.get("aggregate_name") for e in mine],
                             [None] * 5 + ["mean", "median", "stddev", "cv"])

    def test_context_says_where_it_ran(self):
        context = self.doc["context"]
        for key in ("date", "host_name", "num_cpus", "python_version", "python_implementation",
                    "executable", "kitchen_seed", "cpu_ns_per_unit"):
            self.assertIn(key, context)
        self.assertGreater(float(context["cpu_ns_per_unit"]), 0)
        self.assertEqual(context["kitchen_seed"], "1")

    def test_progress_goes_to_stderr(self):
        lines = self.process.stderr.splitlines()
        self.assertEqual(sum("kitchen/py_" in line for line in lines), len(EXECUTORS))
        self.assertEqual(self.process.stdout, "")


class FailRateRunTest(unittest.TestCase):
    """The counters come from the ledger: served + failed == customers, failed as planned."""

    def test_fail_rates_on_every_executor(self):
        for rate, failed, suffix in (("0", 0, ""), ("0.1", 16, "/fail_rate:0.1"),
                                     ("1", 40, "/fail_rate:1")):
            with self.subTest(rate=rate):
                _, doc, results = _kitchen("--profiles=overhead", "--chefs=3", "--customers=40",
                                           f"--fail-rate={rate}", "--repetitions=1")
                self.assertEqual(results.errors, [])
                names = sorted(e["name"] for e in doc["benchmarks"])
                self.assertEqual(names, sorted(
                    f"kitchen/{e}/overhead/chefs:3/customers:40{suffix}/process_time/real_time"
                    for e in EXECUTORS))
                for entry in doc["benchmarks"]:
                    self.assertNotIn("error_occurred", entry)
                    self.assertEqual((entry["served"], entry["failed"]), (40 - failed, failed),
                                     entry["name"])
                    # Dishes are served orders only, as in C++: none at a fail rate of 1.
                    if rate == "1":
                        self.assertEqual(entry["dishes_per_s"], 0.0)
                    else:
                        self.assertGreater(entry["dishes_per_s"], 0.0)
                    self.assertLessEqual(entry["peak_in_preparation"], 3)


def _iterations(doc):
    return [e for e in doc["benchmarks"] if e["run_type"] == "iteration"]


class PantryRunTest(unittest.TestCase):
    """--pantry: the race is a mechanism, so the counts are checked, never a rate. An event loop
    that awaits inside the update loses takes; one that does not await there cannot (it runs on
    one thread); threads may lose with either (when the GIL switches inside the window), so for
    them only that the counts add up is checked."""

    POINT = ("--profiles=io", "--chefs=4", "--customers=12", "--io-us=200", "--cpu-us=0",
             "--repetitions=2")

    @classmethod
    def setUpClass(cls):
        cls.docs = {mode: _kitchen("--executors=py_threads,py_asyncio", *cls.POINT,
                                   f"--pantry={mode}")[1]
                    for mode in ("locked", "unlocked", "unlocked_await")}

    def _rows(self, mode, executor):
        rows = [e for e in _iterations(self.docs[mode]) if f"/{executor}/" in e["name"]]
        self.assertEqual(len(rows), 2, mode)
        return rows

    def test_names_carry_the_mode_unless_locked(self):
        for mode, doc in self.docs.items():
            for e in doc["benchmarks"]:
                shown = "" if mode == "locked" else f"/pantry:{mode}"
                self.assertTrue(e["run_name"].endswith(
                    f"/chefs:4/customers:12/io_us:200/cpu_us:0{shown}/process_time/real_time"),
                    e["name"])

    def test_counts_add_up(self):
        for mode in self.docs:
            for executor in ("py_threads", "py_asyncio"):
                for c in self._rows(mode, executor):
                    with self.subTest(mode=mode, executor=executor):
                        self.assertNotIn("error_occurred", c)
                        self.assertEqual(c["served"] + c["failed"] + c["cancelled"], 12)
                        self.assertEqual(c["services"], c["iterations"])
                        self.assertGreaterEqual(c["lost_updates"], 0)
                        self.assertLessEqual(c["lost_updates"], c["lost_updates_max"])
                        self.assertLessEqual(c["services_with_lost_updates"], c["services"])
                        self.assertEqual(c["lost_updates"] == 0,
                                         c["services_with_lost_updates"] == 0)
                        self.assertEqual(c["lost_updates_max"] == 0,
                                         c["services_with_lost_updates"] == 0)

    def test_the_lock_never_loses_and_one_thread_without_an_await_never_does(self):
        for executor in ("py_threads", "py_asyncio"):
            for c in self._rows("locked", executor):
                self.assertEqual((c["lost_updates"], c["services_with_lost_updates"],
                                  c["lost_updates_max"]), (0, 0, 0), executor)
        for c in self._rows("unlocked", "py_asyncio"):
            self.assertEqual((c["lost_updates"], c["services_with_lost_updates"]), (0, 0))

    def test_an_await_inside_the_update_loses_on_one_thread(self):
        for c in self._rows("unlocked_await", "py_asyncio"):
            self.assertGreater(c["lost_updates"], 0)
            self.assertEqual(c["services_with_lost_updates"], c["services"])

    def test_the_pantry_modes_read_and_write_as_cpp(self):
        pantry = Pantry(UNLOCKED)
        first, second = pantry.begin_take(), pantry.begin_take()
        pantry.end_take(first)
        pantry.end_take(second)
        self.assertEqual(pantry.stock, -1)  # two takes, one trace: one lost
        locked = Pantry()
        self.assertEqual(locked.mode, "locked")
        first, second = locked.begin_take(), locked.begin_take()
        locked.end_take(first)
        locked.end_take(second)
        self.assertEqual(locked.stock, -2)
        self.assertEqual(PANTRY_MODES, ("locked", "unlocked", "unlocked_await"))

    def test_lost_updates_is_takes_less_what_the_stock_shows(self):
        service = Service(make_orders(4, 1), Costs(0, 0), chefs=1, ns_per_unit=100.0,
                          pantry=UNLOCKED)
        ledger, results = SERVE["py_threads"](service)
        self.assertIsNone(ledger.check(results))
        self.assertEqual(ledger.lost_updates(), 0)  # one chef: nothing overlaps
        service.pantry.stock += 3  # as if three takes had been overwritten
        self.assertEqual(ledger.lost_updates(), 3)
        self.assertIsNone(ledger.check(results))  # unlocked, a loss is a count, not an error
        service.pantry.stock -= 4  # more taken than cooked: never possible, an error
        self.assertRegex(ledger.check(results), r"^the pantry gave \d+ ingredients for")


class FailFastRunTest(unittest.TestCase):
    """--fail-fast: the first failure cancels every order still waiting or cooking; every order
    still ends once, and the stop and the teardown are timed apart (never compared)."""

    @classmethod
    def setUpClass(cls):
        point = ("--profiles=io", "--chefs=4", "--customers=40", "--io-us=200", "--cpu-us=0",
                 "--fail-rate=0.05", "--repetitions=2")
        cls.fast = _kitchen(*point, "--fail-fast")[1]
        cls.slow = _kitchen(*point)[1]
        cls.open_loop = _kitchen(*point, "--fail-fast", "--load=0.5")[1]

    def test_names_carry_fail_fast_after_the_fail_rate(self):
        for e in self.fast["benchmarks"]:
            self.assertTrue(e["run_name"].endswith("/fail_rate:0.05/fail_fast/process_time/"
                                                   "real_time"), e["name"])
        for e in self.open_loop["benchmarks"]:
            self.assertIn("/fail_rate:0.05/fail_fast/rate:", e["run_name"])
        for e in self.slow["benchmarks"]:
            self.assertNotIn("fail_fast", e["run_name"])

    def test_every_order_ends_once_and_the_first_failure_stops_the_rest(self):
        for doc in (self.fast, self.open_loop):
            rows = _iterations(doc)
            self.assertEqual(len(rows), 2 * len(EXECUTORS))
            for c in rows:
                with self.subTest(row=c["name"]):
                    self.assertNotIn("error_occurred", c)
                    self.assertEqual(c["served"] + c["failed"] + c["cancelled"], 40)
                    self.assertGreaterEqual(c["failed"], 1)
                    self.assertGreater(c["cancelled"], 0)
                    self.assertGreaterEqual(c["cancel_ms"], 0)
                    self.assertGreaterEqual(c["teardown_ms"], 0)
                    self.assertEqual(c["lost_updates"], 0)

    def test_without_fail_fast_nothing_is_cancelled(self):
        for c in _iterations(self.slow):
            # cancel_ms and teardown_ms are figured whenever an order failed, as bench_kitchen
            # figures them; only with --fail-fast do they time a stop.
            self.assertEqual(c["cancelled"], 0)
            self.assertEqual(c["served"] + c["failed"], 40)

    def test_a_cancellation_without_fail_fast_is_an_error_row(self):
        service = Service(make_orders(4, 1), Costs(0, 0), chefs=1, ns_per_unit=100.0)
        ledger, results = SERVE["py_asyncio"](service)
        ledger.outcome[2] = CANCELLED
        self.assertEqual(ledger.check(results),
                         "order 2 was cancelled, but no fail-fast failure asked for it")

    def test_cancel_and_teardown_are_timed_from_the_ledger(self):
        service = Service(make_orders(3, 1), Costs(0, 0), chefs=3, ns_per_unit=100.0,
                          fail_fast=True)
        ledger = Ledger(service)
        ledger.started_ns, ledger.ended_ns = [0, 1, -1], [10, 25, 30]
        self.assertEqual((ledger.cancel_ns(), ledger.teardown_ns()), (0, 0))  # no failure
        ledger.first_failure_ns, ledger.makespan_ns = 10, 40
        # The unstarted order's end (30) is no chef stopping cooking.
        self.assertEqual((ledger.cancel_ns(), ledger.teardown_ns()), (15, 15))


SERVE_AS_WRITTEN = blocking_chef.cook_blocking


class RowLoopTest(unittest.TestCase):
    def test_a_rows_services_share_one_event_loop(self):
        service = Service(make_orders(3, 1), Costs(0, 0), chefs=2, ns_per_unit=100.0)
        loops = []

        async def cook(service, ledger, order, chef):
            loops.append(asyncio.get_running_loop())
            return SERVE_AS_WRITTEN(service, ledger, order, chef)

        service.loop = row_loop(service)
        for _ in range(2):
            ledger, results = executors._serve_on_loop(service, cook)
            self.assertIsNone(ledger.check(results))
        loop = service.loop
        self.assertEqual(set(map(id, loops)), {id(loop)})
        self.assertFalse(loop.is_closed())
        close_row_loop(service)
        self.assertTrue(loop.is_closed())
        self.assertIsNone(service.loop)


class SchedstatTest(unittest.TestCase):
    def test_cpu_time_in_nanoseconds_from_schedstat(self):
        if not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/schedstat"):
            self.skipTest("no /proc/<pid>/task/<tid>/schedstat here")
        # This process has run (its figure for a running thread may lag until the scheduler
        # next accounts for it, so no increase is asserted).
        found = schedstat_cpu_ns(os.getpid())
        self.assertIsInstance(found, int)
        self.assertGreater(found, 0)
        self.assertIsNone(schedstat_cpu_ns(2 ** 22 + 1))  # above any pid_max: no such process


class PitfallTest(unittest.TestCase):
    """asyncio whose coroutines never await serves one dish after another."""

    def test_blocking_coroutines_serialise_and_awaiting_ones_overlap(self):
        _, _, results = _kitchen("--profiles=io", "--executors=py_asyncio,py_asyncio_blocking",
                                 "--chefs=6", "--customers=6", "--io-us=3000")
        rows = {r.kind: r for r in results.rows if r.kind.startswith("py_")}
        blocking, overlapping = rows["py_asyncio_blocking"], rows["py_asyncio"]
        self.assertEqual(blocking.counters["peak_in_preparation"], 1)
        self.assertGreater(overlapping.counters["peak_in_preparation"], 1)


class RepetitionsTest(unittest.TestCase):
    def test_aggregates_like_google_benchmark_and_json_on_stdout(self):
        process = run("py_kitchen.py", "--quick", "--executors=py_asyncio", "--profiles=overhead",
                      "--chefs=1", "--customers=50", "--repetitions=2")
        self.assertEqual(process.returncode, 0, process.stderr)
        entries = json.loads(process.stdout)["benchmarks"]
        self.assertEqual([e.get("aggregate_name") for e in entries],
                         [None, None, "mean", "median", "stddev", "cv"])
        self.assertEqual([e["repetition_index"] for e in entries[:2]], [0, 1])
        name = "kitchen/py_asyncio/overhead/chefs:1/customers:50/process_time/real_time"
        self.assertEqual({e["run_name"] for e in entries}, {name})


class AggregatesTest(unittest.TestCase):
    def test_a_cv_without_a_finite_value_is_left_out_and_all_zeros_have_none(self):
        # page_table_bytes_per_task of bench_kitchen's memory rows once read +0.95, -0.95, 0:
        # a mean of 0 without every value 0, whose cv has no finite value.
        runs = [{"name": "row", "repetitions": 3, "iterations": 1, "real_time": 1.0 + i,
                 "cpu_time": 1.0, "signed": value, "zero": 0.0}
                for i, value in enumerate((0.95, -0.95, 0.0))]
        entries = {e["aggregate_name"]: e for e in py_gbench.aggregate_entries("row", 0, runs)}
        self.assertNotIn("signed", entries["cv"])
        self.assertEqual(entries["cv"]["zero"], 0.0)
        self.assertAlmostEqual(entries["mean"]["signed"], 0.0)
        text = json.dumps(list(entries.values()), allow_nan=False)
        self.assertTrue(json.loads(text, parse_constant=refuse_constant))


class SelfCheckTest(unittest.TestCase):
    """A wrong service becomes an error row with a message, as SkipWithError does."""

    def setUp(self):
        self.service = Service(make_orders(4, 1), Costs(0, 0), chefs=1, ns_per_unit=100.0)

    def _row(self, serve):
        return py_gbench.run_row("kitchen/py_bad/overhead/chefs:1/customers:4", 0, serve,
                                 self.service, 0.0, 1, 0.0)

    def test_an_order_never_served_is_an_error_row(self):
        (entry,) = self._row(lambda service: (Ledger(service), []))
        self.assertTrue(entry["error_occurred"])
        self.assertEqual(entry["error_message"], "order 0 ended 0 times, expected exactly once")

    def test_more_dishes_than_chefs_is_an_error_row(self):
        def crowded(service):
            ledger, results = SERVE["py_asyncio"](service)
            # As if order 1 had started while order 0 cooked, with one chef.
            ledger.started_ns[1] = ledger.started_ns[0]
            return ledger, results

        (entry,) = self._row(crowded)
        self.assertIn("2 dishes were in preparation at once, with only 1 chefs",
                      entry["error_message"])

    def test_peak_is_counted_from_the_times_ends_first(self):
        ledger = Ledger(self.service)
        ledger.started_ns, ledger.ended_ns = [0, 5, 9, 9], [5, 9, 12, 15]
        self.assertEqual(ledger.peak, 2)  # a hand-over at the same time is not an overlap
        ledger = Ledger(self.service)
        ledger.started_ns, ledger.ended_ns = [0, 4, 9, 9], [5, 9, 12, -1]
        self.assertEqual(ledger.peak, 2)
        ledger = Ledger(self.service)
        ledger.started_ns, ledger.ended_ns = [0, 4, 4, 9], [5, 9, 12, -1]
        self.assertEqual(ledger.peak, 3)  # one never ended: in preparation until the end

    def _replanned(self, failures, change):
        """A service cooked by one plan and checked against another."""
        self.service.failures = failures

        def serve(service):
            ledger, results = SERVE["py_threads"](service)
            change(service)
            return ledger, results

        (entry,) = self._row(serve)
        return entry["error_message"]

    def test_a_failure_off_the_plan_is_an_error_row(self):
        def forget(service):
            service.failures[2] = NO_FAILURE

        self.assertEqual(self._replanned([0, 0, 0, 0], forget),
                         "order 2 failed where nothing was out of stock")

    def test_an_order_served_despite_the_plan_is_an_error_row(self):
        def plan_late(service):
            service.failures[1] = 3

        self.assertEqual(self._replanned([NO_FAILURE] * 4, plan_late),
                         "order 1 was served with an ingredient out of stock")

    def test_a_pantry_not_taken_from_is_an_error_row(self):
        def give_back(service):
            service.pantry.stock += 1

        steps = sum(len(MENU[d][1]) for d in self.service.orders)
        self.assertEqual(self._replanned([NO_FAILURE] * 4, give_back),
                         f"the pantry gave {steps - 1} ingredients for {steps} cooked")

    def test_an_exception_is_an_error_row(self):
        def broken(service):
            raise RuntimeError("can't start new thread")

        (entry,) = self._row(broken)
        self.assertEqual(entry["error_message"], "RuntimeError: can't start new thread")


@unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
class BesideCppTest(unittest.TestCase):
    """CPython beside C++ in the table and the charts, from fresh runs of both programs."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cpp = os.path.join(cls.tmp.name, "cpp.json")
        subprocess.run([BENCH_BIN, "--profiles=cpu,overhead", "--chefs=1,2", "--customers=20",
                        "--benchmark_min_time=0.001", "--benchmark_repetitions=2",
                        f"--benchmark_out={cls.cpp}", "--benchmark_out_format=json"],
                       capture_output=True, text=True, timeout=240, check=True)
        cls.py = os.path.join(cls.tmp.name, "py.json")
        process = run("py_kitchen.py", "--quick", "--profiles=cpu,overhead", "--chefs=1,2",
                      "--customers=20", "--repetitions=2", f"--out={cls.py}")
        assert process.returncode == 0, process.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def _catalogued(self):
        with open(self.cpp, encoding="utf-8") as f:
            if "kitchen_catalogue" not in json.load(f)["context"]:
                self.skipTest(f"{BENCH_BIN} writes no kitchen_catalogue yet (older format)")

    def test_the_table_judges_each_language_by_its_pair(self):
        self._catalogued()
        process = run("pros_cons.py", self.cpp, self.py)
        self.assertEqual(process.returncode, 0, process.stderr)
        self.assertIn("py_threads vs py_asyncio", process.stdout)
        # The table's row; the fibers section, when the C++ run has fiber executors, has its own.
        row = next(line for line in process.stdout.splitlines()
                   if line.startswith("| [CPU-bound"))
        self.assertRegex(row, r"\*\*(holds|holds for another reason|does not hold|depends|"
                              r"undecided)\*\*")

    @unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
    def test_the_overhead_chart_draws_both_languages(self):
        self._catalogued()
        from kitchen_report.charts.cpu import overhead
        results = kr.load([self.cpp, self.py])
        ((_, fig),) = overhead(results, "note")
        names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        self.assertEqual(names, results.catalogue.sorted(names))
        for executor in EXECUTORS:
            self.assertIn(executor, names)
        self.assertTrue(any(results.catalogue.language(n) == "C++" for n in names))


class BadFlagsTest(unittest.TestCase):
    CASES = [
        ("--chefs=0", "--chefs=0: '0' is out of range; expected comma-separated whole numbers "
                      "from 1 to 100000"),
        ("--customers=", "--customers=: no value given; expected comma-separated whole numbers "
                         "from 1 to 100000000"),
        ("--chefs=1,,2", "--chefs=1,,2: empty item in the list; expected comma-separated whole "
                         "numbers from 1 to 100000"),
        ("--io-us=-1", "--io-us=-1: '-1' is not a whole number; expected comma-separated whole "
                       "numbers from 0 to 10000000"),
        ("--seed=99999999999999999999", "--seed=99999999999999999999: '99999999999999999999' is "
                                        "too large; expected a whole number from 0 to "
                                        "18446744073709551615"),
        ("--seed=1,2", "--seed=1,2: a single value is needed; expected a whole number from 0 to "
                       "18446744073709551615"),
        ("--executors=threads_pool", "--executors=threads_pool: unknown name 'threads_pool'; "
                                     f"expected one or more of {','.join(SERVE)}"),
        ("--profiles=io,io", "--profiles=io,io: 'io' is given twice; expected one or more of "
                             "io,cpu,mixed,overhead"),
        ("--quick=1", "--quick=1: this flag takes no value; expected just --quick"),
        ("--repetitions=0", "--repetitions=0: '0' is out of range; expected a whole number from "
                            "1 to 1000"),
        # bench_kitchen's refusals (std::from_chars): no sign but minus, no space, one value.
        ("--fail-rate=2", "--fail-rate=2: '2' is not in range; expected a number from 0 to 1"),
        ("--fail-rate=-0.1", "--fail-rate=-0.1: '-0.1' is not in range; expected a number from "
                             "0 to 1"),
        ("--fail-rate=+0.5", "--fail-rate=+0.5: '+0.5' is not in range; expected a number from "
                             "0 to 1"),
        ("--fail-rate=nan", "--fail-rate=nan: 'nan' is not in range; expected a number from 0 "
                            "to 1"),
        ("--fail-rate=0.1,0.2", "--fail-rate=0.1,0.2: a single value is needed; expected a "
                                "number from 0 to 1"),
        ("--fail-rate", "--fail-rate: no value given; expected a number from 0 to 1"),
        # No value twice in a list: two rows of one name would mix their repetitions.
        ("--chefs=1,1", "--chefs=1,1: '1' is given twice; expected comma-separated whole "
                        "numbers from 1 to 100000"),
        ("--customers=5,05", "--customers=5,05: '05' is the same as '5'; expected "
                             "comma-separated whole numbers from 1 to 100000000"),
        ("--load=0.5,0.5", "--load=0.5,0.5: '0.5' is given twice; expected comma-separated "
                           "numbers above 0 and up to 100"),
        # A rate below what a row name shows, once a traceback (int(inf)).
        ("--arrival-rate=1e-300", "--arrival-rate=1e-300: '1e-300' is out of range; expected "
                                  "comma-separated numbers from 1e-06 to 1e+07"),
        # --pantry and --fail-fast, in bench_kitchen's words.
        ("--pantry=foo", "--pantry=foo: unknown name 'foo'; expected one of locked,unlocked,"
                         "unlocked_await"),
        ("--pantry=locked,unlocked", "--pantry=locked,unlocked: a single name is needed; "
                                     "expected one of locked,unlocked,unlocked_await"),
        ("--pantry=", "--pantry=: no value given; expected one of locked,unlocked,"
                      "unlocked_await"),
        ("--fail-fast=1", "--fail-fast=1: this flag takes no value; expected just --fail-fast"),
        ("--bogus", "unknown flag '--bogus' (see --help)"),
        ("stray", "unexpected argument 'stray' (see --help)"),
    ]

    def test_bad_flags_exit_2_with_one_line_and_write_nothing(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "py.json")
            for flag, message in self.CASES:
                with self.subTest(flag=flag):
                    process = run("py_kitchen.py", f"--out={out}", flag)
                    self.assertEqual(process.returncode, 2)
                    self.assertEqual(process.stderr, f"py_kitchen.py: {message}\n")
                    self.assertEqual(process.stdout, "")
            self.assertEqual(os.listdir(d), [])

    def test_an_output_that_cannot_be_written_is_refused_before_running(self):
        with tempfile.TemporaryDirectory() as d:
            process = run("py_kitchen.py", f"--out={d}/missing/py.json")
        self.assertEqual(process.returncode, 2)
        self.assertEqual(len(process.stderr.splitlines()), 1)
        self.assertIn("missing", process.stderr)

    def test_help(self):
        process = run("py_kitchen.py", "--help")
        self.assertEqual(process.returncode, 0)
        self.assertIn("--executors=LIST", process.stdout)
        self.assertIn("--fail-rate=P", process.stdout)


if __name__ == "__main__":
    unittest.main()

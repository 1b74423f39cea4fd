"""py_kitchen.py: the article's kitchen in CPython, checked for behaviour, never for speed.

Each run is tiny (a few orders, waits of a few hundred microseconds, --quick); time appears only
in generous ratios (an executor that serialises takes most of the serial time, one that overlaps
takes far less).
"""

import json
import os
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture, run

import kitchen_results as kr
import py_gbench
from py_executors import EXECUTORS as SERVE
from py_ledger import Ledger
from py_model import MENU, NO_FAILURE, Costs, Service, make_orders, plan_failures

EXECUTORS = ("py_threads", "py_asyncio", "py_asyncio_blocking")

# From the C++ model, run once: build/release/bin/kitchen --executor=asio_coro --customers=40
# --seed=1 --fail-rate=0.1 --io-us=0 --cpu-us=0 prints every result, in order, at the end.
CPP_RESULTS_40_SEED_1_RATE_0_1 = [
    "Served Pizza", "Served Salad",
    "Served Pizza", "Served Pizza",
    "Served Spaghetti", "Failed Chicken Biryani: out of Chicken",
    "Served Pizza", "Served Chicken Biryani",
    "Served Pizza", "Failed Pizza: out of Yeast",
    "Failed Chicken Stir Fry: out of Broccoli", "Served Pizza",
    "Served Salad", "Failed Chicken Stir Fry: out of Peppers",
    "Served Spaghetti", "Served Salad",
    "Served Pizza", "Failed Spaghetti: out of Onion",
    "Served Salad", "Served Chicken Stir Fry",
    "Failed Spaghetti: out of Pasta", "Served Salad",
    "Failed Pizza: out of Mozzarella Cheese", "Served Spaghetti",
    "Failed Chicken Biryani: out of Onion", "Served Salad",
    "Served Salad", "Failed Spaghetti: out of Onion",
    "Failed Spaghetti: out of Garlic", "Failed Salad: out of Dressing",
    "Failed Spaghetti: out of Ground Beef", "Served Chicken Stir Fry",
    "Failed Chicken Biryani: out of Rice", "Served Spaghetti",
    "Served Pizza", "Failed Pizza: out of Yeast",
    "Failed Chicken Biryani: out of Chicken", "Served Spaghetti",
    "Failed Chicken Biryani: out of Rice", "Served Salad",
]


def dishes(orders):
    return [MENU[d][0] for d in orders]


class OrdersTest(unittest.TestCase):
    # From the C++ model: build/release/bin/kitchen --executor=asio_coro --customers=10 --seed=S
    # --io-us=0 --cpu-us=0 prints "I- Ordered <dish>" for every order.
    def test_same_seed_same_dishes_as_cpp(self):
        self.assertEqual(dishes(make_orders(10, 1)), [
            "Pizza", "Salad", "Pizza", "Pizza", "Spaghetti", "Chicken Biryani", "Pizza",
            "Chicken Biryani", "Pizza", "Pizza"])
        self.assertEqual(dishes(make_orders(10, 12345)), [
            "Salad", "Chicken Stir Fry", "Pizza", "Pizza", "Chicken Biryani", "Spaghetti",
            "Spaghetti", "Chicken Biryani", "Chicken Biryani", "Chicken Biryani"])
        # The state wraps around 2^64 on the first draw.
        self.assertEqual(dishes(make_orders(6, 2**64 - 1)), [
            "Spaghetti", "Salad", "Spaghetti", "Chicken Stir Fry", "Spaghetti", "Pizza"])

    def test_the_articles_menu(self):
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

    def test_same_failures_as_cpp(self):
        from py_ledger import result_text
        service = self.service(0.1)
        self.assertEqual([result_text(d, f) for d, f in zip(service.orders, service.failures)],
                         CPP_RESULTS_40_SEED_1_RATE_0_1)

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
                self.assertEqual(results, CPP_RESULTS_40_SEED_1_RATE_0_1)
                self.assertEqual((ledger.served(), ledger.failed()), (24, 16))


def _kitchen(*args):
    """Run py_kitchen.py with --quick into a temporary file: (process, document)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "py.json")
        process = run("py_kitchen.py", "--quick", f"--out={out}", *args)
        assert process.returncode == 0, process.stderr
        assert os.listdir(d) == ["py.json"], os.listdir(d)  # no temporary file left behind
        with open(out, encoding="utf-8") as f:
            return process, json.load(f), kr.load([out, fixture("bench_kitchen_quick.json")])


class SmallRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.process, cls.doc, cls.results = _kitchen(
            "--profiles=io", "--chefs=3", "--customers=6", "--io-us=200", "--cpu-us=20")

    def rows(self):
        return [r for r in self.results.rows if r.kind.startswith("py_")]

    def test_loads_with_bench_kitchen_json(self):
        self.assertEqual(self.results.errors, [])
        self.assertEqual(sorted({r.kind for r in self.rows()}), sorted(EXECUTORS))
        self.assertTrue(any(r.kind == "threads_pool" for r in self.results.rows))
        self.assertIn("python_version", kr.machine_line(self.results))

    def test_names_follow_bench_kitchens_scheme(self):
        for entry in self.doc["benchmarks"]:
            self.assertTrue(entry["name"].endswith("/chefs:3/customers:6/io_us:200/cpu_us:20"
                                                   "/process_time/real_time"), entry["name"])
            self.assertEqual((entry["run_type"], entry["time_unit"]), ("iteration", "ms"))
        self.assertEqual([r.profile for r in self.rows()], ["io"] * 3)

    def test_every_order_is_served_once_within_the_chefs(self):
        for r in self.rows():
            c = r.counters
            self.assertEqual(c["served"] + c["failed"], c["customers"], r.name)
            self.assertEqual(c["customers"], 6)
            self.assertGreaterEqual(c["peak_in_preparation"], 1)
            self.assertLessEqual(c["peak_in_preparation"], c["chefs"], r.name)
            self.assertGreater(c["dishes_per_s"], 0)

    def test_event_loops_run_on_one_thread(self):
        threads = {r.kind: r.counters["os_threads"] for r in self.rows()}
        self.assertEqual((threads["py_asyncio"], threads["py_asyncio_blocking"]), (1, 1))
        self.assertGreaterEqual(threads["py_threads"], 1)
        self.assertLessEqual(threads["py_threads"], 3)

    def test_context_says_where_it_ran(self):
        context = self.doc["context"]
        for key in ("date", "host_name", "num_cpus", "python_version", "python_implementation",
                    "executable", "kitchen_seed", "cpu_ns_per_unit"):
            self.assertIn(key, context)
        self.assertGreater(float(context["cpu_ns_per_unit"]), 0)
        self.assertEqual(context["kitchen_seed"], "1")

    def test_progress_goes_to_stderr(self):
        lines = self.process.stderr.splitlines()
        self.assertEqual(sum("kitchen/py_" in line for line in lines), 3)
        self.assertEqual(self.process.stdout, "")


class FailRateRunTest(unittest.TestCase):
    """The counters come from the ledger: served + failed == customers, failed as planned."""

    def test_fail_rates_on_every_executor(self):
        for rate, failed, suffix in (("0", 0, ""), ("0.1", 16, "/fail_rate:0.1"),
                                     ("1", 40, "/fail_rate:1")):
            with self.subTest(rate=rate):
                _, doc, results = _kitchen("--profiles=overhead", "--chefs=3", "--customers=40",
                                           f"--fail-rate={rate}")
                self.assertEqual(results.errors, [])
                names = sorted(e["name"] for e in doc["benchmarks"])
                self.assertEqual(names, sorted(
                    f"kitchen/{e}/overhead/chefs:3/customers:40{suffix}/process_time/real_time"
                    for e in EXECUTORS))
                for entry in doc["benchmarks"]:
                    self.assertNotIn("error_occurred", entry)
                    self.assertEqual((entry["served"], entry["failed"]), (40 - failed, failed),
                                     entry["name"])
                    self.assertLessEqual(entry["peak_in_preparation"], 3)


class PitfallTest(unittest.TestCase):
    """The article's asyncio, whose coroutines never await, serves one dish after another."""

    def test_blocking_coroutines_serialise_and_awaiting_ones_overlap(self):
        _, _, results = _kitchen("--profiles=io", "--executors=py_asyncio,py_asyncio_blocking",
                                 "--chefs=6", "--customers=6", "--io-us=3000")
        steps = sum(len(MENU[d][1]) for d in make_orders(6, 1))
        serial_ms = steps * 3.0  # every wait one after another
        rows = {r.kind: r for r in results.rows if r.kind.startswith("py_")}
        blocking, overlapping = rows["py_asyncio_blocking"], rows["py_asyncio"]
        self.assertGreaterEqual(blocking.real_ms, 0.9 * serial_ms)
        self.assertEqual(blocking.counters["peak_in_preparation"], 1)
        self.assertLess(overlapping.real_ms, 0.5 * serial_ms)
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


class BesideCppTest(unittest.TestCase):
    """CPython beside C++ in the table and the charts, from recorded runs of both programs
    (inputs/py_kitchen_quick.json: py_kitchen.py --quick --profiles=cpu,overhead;
    inputs/bench_kitchen_overhead.json: bench_kitchen --profiles=overhead --chefs=1,3
    --customers=100 --executors=threads_pool,asio_coro --quick)."""

    INPUTS = ("bench_kitchen_overhead.json", "async_wins.json", "py_kitchen_quick.json")

    def test_cpu_row_shows_the_real_gil_beside_the_emulation(self):
        process = run("pros_cons.py", *map(fixture, self.INPUTS))
        self.assertEqual(process.returncode, 0, process.stderr)
        (row,) = [line for line in process.stdout.splitlines() if line.startswith("| CPU-bound")]
        self.assertIn("threads_pool with GIL emulation: 1.01x with 2 chefs vs 1", row)
        self.assertIn("py_threads: 0.98x with 4 chefs vs 1", row)  # the recorded run's best
        self.assertIn("CPython holds: at best py_threads 0.98x", row)

    @unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
    def test_charts_draw_both_languages(self):
        import charts_kitchen  # imports chart_style, which selects the Agg backend first
        results = kr.load(list(map(fixture, self.INPUTS)))
        # Overhead: every executor, though the two programs measured different customer counts.
        ((_, fig),) = charts_kitchen.overhead(results, "note")
        ax = fig.axes[0]
        self.assertEqual([t.get_text() for t in ax.get_yticklabels()],
                         ["threads_pool", "asio_coro", "py_threads", "py_asyncio",
                          "py_asyncio_blocking"])
        self.assertIn("(others as marked)", ax.get_title())
        self.assertTrue(any("100 customers" in t.get_text() for t in ax.texts))
        # CPU speedup: py_threads beside threads_pool, with and without the emulated GIL.
        ((_, fig),) = charts_kitchen.cpu_speedup(results, "note")
        labels = fig.axes[0].get_legend_handles_labels()[1]
        for label in ("threads_pool (100 customers)",
                      "threads_pool with GIL emulation (100 customers)",
                      "py_threads (20 customers)"):
            self.assertIn(label, labels)
        self.assertIn("py_*: CPython and its real GIL", fig.axes[0].get_title())


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
                                     "expected one or more of py_threads,py_asyncio,"
                                     "py_asyncio_blocking"),
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

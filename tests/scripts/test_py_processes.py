"""py_processes: the CPython kitchen on a pool of worker processes, checked for behaviour (who
cooked what, how many at once, what crossed, what a dead worker does), never for speed.

Each service is small (a few orders, waits of a millisecond); the killed-worker test runs
py_kitchen.py with orders long enough to be killed mid-service.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from script_runner import SCRIPTS, run

from cpython_kitchen import main as py_main
from cpython_kitchen import processes
from cpython_kitchen.flags import UsageError
from cpython_kitchen.ledger import result_text
from cpython_kitchen.model import (LOCKED, NO_FAILURE, UNLOCKED, Costs, Service, make_orders,
                                   plan_failures)


def service(customers=8, chefs=2, costs=Costs(1000, 0), rate=0.0, pantry=LOCKED,
            start_method=processes.DEFAULT_START_METHOD, chunksize=1):
    orders = make_orders(customers, 7)
    s = Service(orders, costs, chefs, 100.0, plan_failures(orders, rate, 7), pantry=pantry)
    s.pool_options = processes.PoolOptions(start_method, chunksize)
    return s


class PoolServiceTest(unittest.TestCase):
    def test_every_order_served_once_in_order_by_at_most_chefs_processes(self):
        s = service(customers=10, chefs=2)
        ledger, results = processes.serve_processes(s)
        self.assertIsNone(ledger.check(results))
        self.assertEqual(results, [result_text(d, NO_FAILURE) for d in s.orders])
        self.assertEqual(ledger.endings, [1] * 10)
        # Each order waits 5 ms or more, so the idle worker takes the next: both cook.
        self.assertEqual(ledger.cooking_processes, 2)
        self.assertNotIn(os.getpid(), ledger.process)
        self.assertLessEqual(ledger.peak, 2)
        self.assertEqual(sorted(set(ledger.chef)), [0, 1])
        # The workers' times, read on their clock, fall within this service's.
        self.assertTrue(all(0 <= a <= b <= ledger.makespan_ns
                            for a, b in zip(ledger.started_ns, ledger.ended_ns)))

    def test_the_ledger_catches_a_process_over_the_chefs(self):
        s = service(customers=4, chefs=2)
        ledger, results = processes.serve_processes(s)
        ledger.peak = 3
        self.assertRegex(ledger.check(results), "3 dishes were in preparation at once")

    def test_the_planned_orders_fail_in_the_workers(self):
        s = service(customers=20, chefs=2, costs=Costs(100, 0), rate=0.1)
        self.assertTrue(any(f != NO_FAILURE for f in s.failures))
        ledger, results = processes.serve_processes(s)
        self.assertIsNone(ledger.check(results))
        self.assertEqual(results, [result_text(d, f) for d, f in zip(s.orders, s.failures)])
        self.assertEqual(ledger.failed(), sum(f != NO_FAILURE for f in s.failures))

    def test_the_pantry_is_one_count_shared_by_the_workers(self):
        for mode in (LOCKED, UNLOCKED):
            with self.subTest(pantry=mode):
                s = service(customers=6, chefs=2, pantry=mode)
                ledger, results = processes.serve_processes(s)
                self.assertIsNone(ledger.check(results))
                self.assertIsInstance(s.pantry, processes.SharedPantry)
                taken = -s.pantry.stock
                if mode == LOCKED:
                    self.assertEqual(taken, ledger.takes())
                self.assertEqual(ledger.lost_updates(), ledger.takes() - taken)

    def test_a_chunk_is_cooked_by_one_worker_in_order(self):
        s = service(customers=8, chefs=2, chunksize=4)
        ledger, results = processes.serve_processes(s)
        self.assertIsNone(ledger.check(results))
        for chunk in (range(0, 4), range(4, 8)):
            self.assertEqual(len({ledger.process[o] for o in chunk}), 1)
            starts = [ledger.started_ns[o] for o in chunk]
            self.assertEqual(starts, sorted(starts))

    def test_every_start_method_serves_the_orders(self):
        for method in processes.START_METHODS:
            with self.subTest(start_method=method):
                s = service(customers=4, chefs=2, costs=Costs(200, 0), start_method=method)
                ledger, results = processes.serve_processes(s)
                self.assertIsNone(ledger.check(results))
                self.assertGreater(ledger.open_ns, 0)

    def test_what_crossed_is_counted_per_chunk(self):
        # Fewer chunks send the function fewer times: fewer bytes per order.
        sizes = []
        for chunksize in (1, 4):
            s = service(customers=8, chefs=2, costs=Costs(0, 0), chunksize=chunksize)
            ledger, results = processes.serve_processes(s)
            self.assertIsNone(ledger.check(results))
            sizes.append(ledger.transfer_bytes())
        self.assertGreater(sizes[0], sizes[1])
        self.assertGreater(sizes[1], 0)

    def test_the_pool_memory_is_read_per_worker(self):
        found = processes.pool_memory(service(customers=4, chefs=2, costs=Costs(0, 0)))
        if not os.path.exists(f"/proc/{os.getpid()}/smaps_rollup"):
            self.assertEqual(found, {})
            return
        self.assertGreater(found["pool_pss_kib"], 0)
        self.assertGreater(found["pool_uss_kib"], 0)
        # A unique set is part of the proportional one.
        self.assertLessEqual(found["pool_uss_kib"], found["pool_pss_kib"])


class PlanTest(unittest.TestCase):
    def plan(self, *argv):
        rows, _ = py_main.plan(py_main.parse_options(list(argv)), 2)
        return rows

    def test_rows_name_the_start_method_and_chunksize_when_not_the_defaults(self):
        other = [m for m in processes.START_METHODS if m != processes.DEFAULT_START_METHOD]
        rows = self.plan("--executors=py_processes,py_threads", "--profiles=cpu", "--chefs=2",
                         "--customers=10", f"--start-method={other[0]}", "--chunksize=5")
        names = {r.executor: r.name for r in rows}
        self.assertIn(f"/start:{other[0]}/chunksize:5/", names["py_processes"])
        self.assertNotIn("/start:", names["py_threads"])
        self.assertNotIn("/chunksize:", names["py_threads"])
        rows = self.plan("--executors=py_processes", "--profiles=cpu", "--chefs=2",
                         "--customers=10")
        self.assertNotIn("/start:", rows[0].name)
        self.assertNotIn("/chunksize:", rows[0].name)

    def test_a_series_names_every_row(self):
        rows = self.plan("--executors=py_processes,py_threads", "--profiles=cpu", "--chefs=2",
                         "--customers=10", "--cpu-us=1,10", "--series=cross_1")
        self.assertEqual(len(rows), 4)
        self.assertTrue(all(r.name.endswith("/series:cross_1/process_time/real_time")
                            for r in rows))
        for bad in ("--series=Bad", "--series=a/b", "--series=", "--series"):
            with self.subTest(flag=bad):
                with self.assertRaisesRegex(UsageError, "^--series"):
                    py_main.parse_options([bad])

    def test_the_pool_runs_only_when_named(self):
        rows = self.plan("--profiles=cpu", "--chefs=2", "--customers=10")
        self.assertTrue(rows)
        self.assertFalse([r for r in rows if r.executor in py_main.PROCESS_POOLS])

    def test_rows_the_pool_cannot_serve_are_refused(self):
        for flags in (["--chefs=65"], ["--fail-fast"],
                      ["--io=net", "--pantry-server=/bin/true"]):
            with self.subTest(flags=flags):
                with self.assertRaises(UsageError) as caught:
                    self.plan("--executors=py_processes", "--profiles=io", "--customers=10",
                              *flags)
                self.assertIn(flags[0].split("=")[0], str(caught.exception))
        self.assertTrue(self.plan("--executors=py_processes", "--profiles=io", "--chefs=64",
                                  "--customers=10"))

    def test_the_executor_itself_refuses_what_it_cannot_serve(self):
        s = service(customers=2)
        s.fail_fast = True
        with self.assertRaises(ValueError):
            processes.serve_processes(s)


class CommandLineTest(unittest.TestCase):
    def test_bad_pool_flags_get_one_line_and_exit_2_and_nothing_written(self):
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "out.json")
            for flags in (["--start-method=threads"], ["--start-method="], ["--chunksize=0"],
                          ["--chunksize=two"], ["--executors=py_threads", "--chunksize=2"],
                          ["--executors=py_threads", "--start-method=spawn"],
                          ["--executors=py_processes", "--profiles=io", "--load=0.5",
                           "--chunksize=2"]):
                with self.subTest(flags=flags):
                    done = run("py_kitchen.py", *flags, f"--out={out}")
                    self.assertEqual(done.returncode, 2, done.stderr)
                    self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)
                    self.assertRegex(done.stderr, r"--(start-method|chunksize)=")
                    self.assertFalse(os.path.exists(out))
                    self.assertEqual(os.listdir(folder), [])

    def test_a_worker_killed_mid_service_makes_an_error_row_naming_it(self):
        with tempfile.TemporaryDirectory() as folder:
            out = os.path.join(folder, "out.json")
            # 40 orders of about 5 ingredients of 20 ms each on 2 workers: seconds of service.
            process = subprocess.Popen(
                [sys.executable, os.path.join(SCRIPTS, "py_kitchen.py"),
                 "--executors=py_processes", "--profiles=cpu", "--chefs=2", "--customers=40",
                 "--cpu-us=20000", "--repetitions=1", "--min-time=0.01", f"--out={out}"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            try:
                workers = self.wait_for_children(process.pid, 2, 60)
                time.sleep(0.3)  # into the service: the workers have orders
                victim = workers[0]
                os.kill(victim, signal.SIGKILL)
                _, stderr = process.communicate(timeout=60)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.communicate()
            self.assertEqual(process.returncode, 0, stderr)
            with open(out, encoding="utf-8") as f:
                entries = json.load(f)["benchmarks"]
            self.assertEqual(len(entries), 1)
            self.assertTrue(entries[0]["error_occurred"])
            self.assertRegex(entries[0]["error_message"],
                             rf"^WorkerLost: worker process {victim} \(chef [01]\) ended by "
                             r"SIGKILL mid-service")

    def wait_for_children(self, pid, count, timeout_s):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                children = []
            if len(children) >= count:
                return children
            time.sleep(0.02)
        self.fail(f"py_kitchen.py did not start {count} workers in {timeout_s} s")


if __name__ == "__main__":
    unittest.main()

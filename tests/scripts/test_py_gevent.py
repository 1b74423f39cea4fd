"""py_gevent: the kitchen on greenlets, checked for mechanism, never for speed.

Each test checks what the executor claims: at most `chefs` dishes at once through its
semaphore, every order cooked on one OS thread, waits that switch greenlets (timer and net), the
process left unpatched for the other executors, and the interpreter found (or refused) when
gevent is missing. They skip, saying so, without gevent (python3-gevent), and the net ones
without the pantry_server.
"""

import ast
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, SCRIPTS, run

from cpython_kitchen import net as py_net
from cpython_kitchen.executors import EXECUTORS as SERVE
from cpython_kitchen.executors import catalogue as cpython_catalogue
from cpython_kitchen.executors import link_sockets
from cpython_kitchen.ledger import CANCELLED
from cpython_kitchen.model import (LOCKED, UNLOCKED, UNLOCKED_AWAIT, Costs, Pantry, Service,
                                   make_orders, plan_failures)
from kitchen_report import catalogue as cat

HAVE_GEVENT = importlib.util.find_spec("gevent") is not None
NO_GEVENT = (f"{sys.executable} has no gevent; run the tests with the interpreter "
             "`scripts/find_python.sh gevent` prints (apt-get install python3-gevent)")
SERVER = py_net.default_pantry_server()
HAVE_SERVER = os.path.isfile(SERVER) and os.access(SERVER, os.X_OK)
NO_SERVER = (f"no pantry_server at {SERVER}: build the release preset, or set KITCHEN_BENCH_BIN "
             "to a bench_kitchen built beside one")


def service(chefs, customers, io_us=200, cpu_us=5, fail_rate=0.0, fail_fast=False, seed=7):
    orders = make_orders(customers, seed)
    return Service(orders, Costs(io_us, cpu_us), chefs, 100.0,
                   plan_failures(orders, fail_rate, seed), fail_fast=fail_fast)


def kitchen(*flags):
    """py_kitchen.py --quick with these flags into a temporary file: (process, iteration rows)."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "py.json")
        process = run("py_kitchen.py", "--quick", "--repetitions=2", f"--out={out}", *flags)
        if process.returncode != 0:
            return process, []
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
    return process, [e for e in doc["benchmarks"] if e["run_type"] == "iteration"]


@unittest.skipUnless(HAVE_GEVENT, NO_GEVENT)
class KitchenTest(unittest.TestCase):
    """The service itself, in this process."""

    def test_the_chefs_limit_holds_and_every_chef_cooks(self):
        for chefs in (1, 3, 8):
            with self.subTest(chefs=chefs):
                s = service(chefs, 24)
                ledger, results = SERVE["py_gevent"](s)
                self.assertIsNone(ledger.check(results))
                # Every order is placed at open and each waits at every ingredient: the
                # semaphore, not the orders, is what holds the kitchen to `chefs`.
                self.assertEqual(ledger.peak, chefs)
                self.assertEqual(set(ledger.chef), set(range(chefs)))

    def test_every_order_cooks_on_the_serving_thread(self):
        threads_before = threading.active_count()
        ledger, results = SERVE["py_gevent"](service(10, 40))
        self.assertIsNone(ledger.check(results))
        self.assertEqual(ledger.cooking_threads, 1)
        self.assertEqual(set(ledger.thread), {threading.get_ident()})
        # gevent started no thread of its own (a resolver's pool, say) for the service.
        self.assertEqual(threading.active_count(), threads_before)

    def test_a_wait_without_gevents_sleep_would_serialise(self):
        # The mechanism the overlap depends on: with time.sleep in the greenlets' place (the
        # fibers' pitfall), the same kitchen serves one dish at a time.
        from cpython_kitchen import blocking_chef, gevent_kitchen
        import time as real_time
        s = service(4, 8)
        original = blocking_chef.cook_blocking

        def blocking(service_, ledger, order, chef, stop=None, sleep=None):
            return original(service_, ledger, order, chef, stop, real_time.sleep)

        blocking_chef.cook_blocking = blocking
        try:
            ledger, results = gevent_kitchen.serve_gevent(s)
        finally:
            blocking_chef.cook_blocking = original
        self.assertIsNone(ledger.check(results))
        self.assertEqual(ledger.peak, 1)
        ledger, results = gevent_kitchen.serve_gevent(s)
        self.assertEqual(ledger.peak, 4)

    def test_greenlets_race_only_where_a_wait_sits_inside_the_update(self):
        # One thread: greenlets switch only at a wait, so an unlocked update with no wait
        # inside loses nothing; with the fetch's wait inside it, every service loses takes.
        for mode, loses in ((LOCKED, False), (UNLOCKED, False), (UNLOCKED_AWAIT, True)):
            with self.subTest(pantry=mode):
                s = service(4, 12)
                s.pantry = Pantry(mode)
                ledger, results = SERVE["py_gevent"](s)
                self.assertIsNone(ledger.check(results))
                self.assertEqual(ledger.lost_updates() > 0, loses)

    def test_fail_fast_cancels_the_rest(self):
        s = service(4, 40, fail_rate=0.05, fail_fast=True)
        ledger, results = SERVE["py_gevent"](s)
        self.assertIsNone(ledger.check(results))
        self.assertGreaterEqual(ledger.failed(), 1)
        self.assertGreater(ledger.cancelled(), 0)
        self.assertEqual(ledger.served() + ledger.failed() + ledger.cancelled(), 40)
        self.assertEqual(sum(o == CANCELLED for o in ledger.outcome), ledger.cancelled())

    def test_the_earliest_orders_exception_is_raised_once_every_order_has_ended(self):
        import gevent
        from cpython_kitchen import blocking_chef, gevent_kitchen
        original = blocking_chef.cook_blocking
        ended = []

        def broken(service_, ledger, order, chef, stop=None, sleep=None):
            gevent.sleep(0.001 * (8 - order))  # the later orders end first
            if order in (5, 2):
                raise ZeroDivisionError(f"a bug in order {order}")
            ended.append(order)
            return ""

        blocking_chef.cook_blocking = broken
        hub = gevent.get_hub()
        printed = []
        hub.handle_error = lambda *args: printed.append(args)  # what gevent would print
        try:
            with self.assertRaisesRegex(ZeroDivisionError, "^a bug in order 2$"):
                gevent_kitchen.serve_gevent(service(8, 8))
        finally:
            blocking_chef.cook_blocking = original
            del hub.handle_error
        self.assertEqual(sorted(ended), [0, 1, 3, 4, 6, 7])
        self.assertEqual(printed, [])
        # Nothing is left for the hub to run: a later service starts from an idle hub.
        ledger, results = SERVE["py_gevent"](service(2, 4))
        self.assertIsNone(ledger.check(results))


@unittest.skipUnless(HAVE_GEVENT, NO_GEVENT)
class NoPatchingTest(unittest.TestCase):
    """gevent.monkey is never called: after py_gevent services (timer, fail-fast, open loop),
    the standard library is the one py_threads and py_asyncio measure with. Checked in a fresh
    interpreter that records the originals before anything imports gevent."""

    PROBE = r"""
import _thread, select, signal, socket, subprocess, sys, threading, time
originals = {"time.sleep": time.sleep, "socket.socket": socket.socket,
             "socket.create_connection": socket.create_connection,
             "select.select": select.select, "threading.Thread": threading.Thread,
             "threading.Lock": threading.Lock, "threading.Event": threading.Event,
             "threading.get_ident": threading.get_ident, "_thread.start_new_thread":
             _thread.start_new_thread, "subprocess.Popen": subprocess.Popen}
sigchld = signal.getsignal(signal.SIGCHLD)
from cpython_kitchen.executors import EXECUTORS
from cpython_kitchen.model import Costs, Service, make_orders, plan_failures
import gevent.monkey
orders = make_orders(30, 3)
# A child that dies while greenlets wait: its status must reach subprocess, not gevent's loop.
child = subprocess.Popen(["sh", "-c", "sleep 0.01; kill -9 $$"])
for fail_fast, arrivals in ((False, None), (True, None), (False, [i * 100_000 for i in range(30)])):
    s = Service(orders, Costs(300, 5), 5, 100.0,
                plan_failures(orders, 0.05 if fail_fast else 0.0, 3), arrivals,
                fail_fast=fail_fast)
    ledger, results = EXECUTORS["py_gevent"](s)
    assert ledger.check(results) is None, ledger.check(results)
changed = [name for name, value in originals.items()
           if eval(name) is not value]
threads = EXECUTORS["py_threads"](Service(orders, Costs(300, 5), 5, 100.0))[0].cooking_threads
print({"changed": changed, "patched": gevent.monkey.is_anything_patched(),
       "saved": sorted(gevent.monkey.saved), "sigchld_same": signal.getsignal(signal.SIGCHLD)
       == sigchld, "child": child.wait(), "thread_cooks": threads,
       "threads_alive": threading.active_count()})
"""

    def test_the_standard_library_is_left_as_it_was(self):
        env = dict(os.environ, PYTHONPATH=SCRIPTS, PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, "-c", self.PROBE], capture_output=True,
                              text=True, env=env, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        found = ast.literal_eval(done.stdout)  # a dict literal printed by the probe
        self.assertEqual(found["changed"], [])
        self.assertFalse(found["patched"])
        self.assertEqual(found["saved"], [])
        self.assertTrue(found["sigchld_same"])
        self.assertEqual(found["child"], -9)
        # py_threads after py_gevent still cooks on real threads (several of its 5), and every
        # one of them has ended.
        self.assertGreater(found["thread_cooks"], 1)
        self.assertEqual(found["threads_alive"], 1)


@unittest.skipUnless(HAVE_GEVENT, NO_GEVENT)
class RowsTest(unittest.TestCase):
    """py_kitchen.py's rows: the counters of a timer row, an open loop and fail-fast."""

    def test_timer_rows_count_one_cooking_thread(self):
        process, rows = kitchen("--executors=py_gevent,py_asyncio,py_threads", "--profiles=io",
                                "--chefs=10", "--customers=50", "--io-us=200")
        self.assertEqual(process.returncode, 0, process.stderr)
        by = {r["name"].split("/")[1]: r for r in rows}
        self.assertEqual(sorted(by), ["py_asyncio", "py_gevent", "py_threads"])
        for r in rows:
            self.assertNotIn("error_occurred", r, r["name"])
            self.assertEqual(r["served"], 50)
        g = by["py_gevent"]
        self.assertEqual((g["cooking_threads"], g["os_threads"]), (1, 1))
        self.assertEqual(g["peak_in_preparation"], 10)
        self.assertGreater(by["py_threads"]["cooking_threads"], 1)

    def test_open_loop_and_fail_fast_rows(self):
        process, rows = kitchen("--executors=py_gevent", "--profiles=io", "--chefs=4",
                                "--customers=40", "--io-us=200", "--fail-rate=0.05",
                                "--fail-fast", "--arrival-rate=2000")
        self.assertEqual(process.returncode, 0, process.stderr)
        self.assertTrue(rows)
        for r in rows:
            self.assertNotIn("error_occurred", r, r.get("error_message"))
            self.assertIn("/fail_fast/rate:2000", r["name"])
            self.assertEqual(r["served"] + r["failed"] + r["cancelled"], 40)
            self.assertGreaterEqual(r["failed"], 1)
            self.assertEqual(r["cooking_threads"], 1)


@unittest.skipUnless(HAVE_GEVENT, NO_GEVENT)
@unittest.skipUnless(HAVE_SERVER, NO_SERVER)
class NetTest(unittest.TestCase):
    """--io=net: gevent's sockets, whose waits switch greenlets."""

    def test_net_rows_serve_every_order_on_one_thread(self):
        process, rows = kitchen("--io=net", "--executors=py_gevent,py_threads", "--profiles=io",
                                "--chefs=4", "--customers=12", "--io-us=200",
                                f"--pantry-server={SERVER}")
        self.assertEqual(process.returncode, 0, process.stderr)
        by = {r["name"].split("/")[1]: r for r in rows}
        self.assertEqual(sorted(by), ["py_gevent", "py_threads"])
        for r in rows:
            self.assertNotIn("error_occurred", r, r.get("error_message"))
            self.assertTrue(r["name"].endswith("/io:net/process_time/real_time"), r["name"])
            self.assertEqual(r["served"], 12)
        g = by["py_gevent"]
        self.assertEqual(g["cooking_threads"], 1)
        # A recv that blocked the thread would hold every other greenlet: 4 dishes at once on
        # one thread means each fetch waited on the hub.
        self.assertEqual(g["peak_in_preparation"], 4)
        # The same protocol through the same link code as the threads'.
        self.assertEqual(g["bytes_per_dish"], by["py_threads"]["bytes_per_dish"])

    def test_connections_are_gevents_sockets(self):
        import gevent.socket
        server = py_net.PantryServer(SERVER, 64)
        try:
            links = py_net.Connections(server, 2, False, link_sockets("py_gevent"))
            try:
                self.assertTrue(all(isinstance(link.sock, gevent.socket.socket)
                                    for link in links.links))
            finally:
                links.close()
            plain = py_net.Connections(server, 1, False, link_sockets("py_threads"))
            try:
                self.assertNotIsInstance(plain.links[0].sock, gevent.socket.socket)
            finally:
                plain.close()
        finally:
            server.stop()


class CatalogueTest(unittest.TestCase):
    """The catalogue entry, read by the report's catalogue: a side of its own, two pairs, a
    style of its own."""

    def catalogue(self):
        return cat.Catalogue(cat.parse(json.dumps(cpython_catalogue()), "test"))

    def test_side_fibers_and_its_pairs(self):
        c = self.catalogue()
        e = c.get("py_gevent")
        self.assertEqual((e.side, e.pair, e.also_pair), ("fibers", "py_threads", "py_asyncio"))
        self.assertEqual(e.language, "CPython")
        self.assertFalse(e.one_at_a_time)
        self.assertGreater(e.source_lines, 0)
        # The threads/async pairs are unchanged by a third side.
        self.assertIn(("py_threads", "py_asyncio"), c.pairs())

    def test_a_cpp_fibers_executor_gets_a_family_of_its_own(self):
        entries = [{"name": n, "language": "C++", "side": s, "pair": "", "one_at_a_time": False}
                   for n, s in (("t", "threads"), ("a", "async"), ("f", "fibers"))]
        c = cat.Catalogue(cat.parse(json.dumps(entries), "test"))
        self.assertEqual(cat.family(c, "f"), "fibers")
        self.assertEqual(len({cat.colour(c, n) for n in ("t", "a", "f")}), 3)
        self.assertEqual(self.catalogue().get("py_gevent").also_pair, "py_asyncio")

    @unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
    def test_drawn_with_a_line_style_of_its_own(self):
        from kitchen_report.charts.style import series_style
        c = self.catalogue()
        styles = {n: series_style(c, n)["linestyle"] for n in ("py_threads", "py_asyncio",
                                                                "py_gevent")}
        self.assertEqual(len(set(styles.values())), 3, styles)

    def test_also_pair_survives_a_merge(self):
        from kitchen_report.merge import merge
        doc = {"context": {cat.KEY: json.dumps(cpython_catalogue())}, "benchmarks": []}
        merged = merge([("cpython", doc)])
        again = cat.Catalogue(cat.parse(merged["context"][cat.KEY], "merged"))
        self.assertEqual(again.get("py_gevent").also_pair, "py_asyncio")


@unittest.skipUnless(HAVE_GEVENT, NO_GEVENT)
class InterpreterTest(unittest.TestCase):
    """py_kitchen.py on an interpreter without gevent: run again on one with it, or refused."""

    def run_kitchen(self, interpreter, env, *flags):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "py.json")
            process = subprocess.run(
                interpreter + [os.path.join(SCRIPTS, "py_kitchen.py"), "--quick",
                               "--repetitions=2", "--profiles=io", "--chefs=2", "--customers=4",
                               "--io-us=100", f"--out={out}", *flags],
                capture_output=True, text=True, env=env, timeout=120)
            return process, os.listdir(d)

    def test_run_again_on_an_interpreter_that_has_gevent(self):
        # -S leaves site-packages (where python3-gevent is) off this interpreter's path; the
        # interpreter find_python.sh finds has them.
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env.pop("PYTHONPATH", None)
        env.pop("KITCHEN_PY_KITCHEN_RERUN", None)
        process, written = self.run_kitchen([sys.executable, "-S"], env, "--executors=py_gevent")
        self.assertEqual(process.returncode, 0, process.stderr)
        self.assertIn("has no gevent: running again on ", process.stderr)
        self.assertEqual(written, ["py.json"])

    def test_refused_in_one_line_when_no_interpreter_has_it(self):
        with tempfile.TemporaryDirectory() as fake:
            # A gevent that cannot be imported, first on every interpreter's path.
            with open(os.path.join(fake, "gevent.py"), "w") as f:
                f.write("raise ImportError('not this one')\n")
            env = dict(os.environ, PYTHONPATH=fake, PYTHONDONTWRITEBYTECODE="1")
            process, written = self.run_kitchen([sys.executable], env,
                                                "--executors=py_threads,py_gevent")
            # Without py_gevent it runs, gevent or not.
            plain, plain_written = self.run_kitchen([sys.executable], env,
                                                    "--executors=py_threads")
        self.assertEqual(process.returncode, 2)
        self.assertEqual(written, [])
        lines = process.stderr.splitlines()
        self.assertEqual(len(lines), 1, process.stderr)
        self.assertIn("py_gevent needs gevent", lines[0])
        self.assertIn("apt-get install python3-gevent", lines[0])
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(plain_written, ["py.json"])

    def test_find_python_finds_gevent(self):
        found = subprocess.run(["sh", os.path.join(SCRIPTS, "find_python.sh"), "gevent"],
                               capture_output=True, text=True)
        self.assertEqual(found.returncode, 0, found.stderr)
        subprocess.run([found.stdout.strip(), "-c", "import gevent"], check=True)


if __name__ == "__main__":
    unittest.main()

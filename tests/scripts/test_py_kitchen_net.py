"""py_kitchen.py --io=net: the kitchen fetching its ingredients from the real pantry_server.

The tests that need the server start it (found beside KITCHEN_BENCH_BIN, else in the release
build) and skip, saying so, without it. Runs are tiny; no test asserts a duration or a speed.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import signal
import socket
import tempfile
import unittest

from script_runner import SCRIPTS, run

from cpython_kitchen import gbench as py_gbench
from cpython_kitchen import net as py_net
from cpython_kitchen.executors import EXECUTORS as SERVE
from cpython_kitchen.executors import STREAMS, link_sockets
from cpython_kitchen.executors import PROCESS_POOLS  # no net rows: workers are other processes
from cpython_kitchen.model import MENU, Costs, Service, make_orders, plan_failures
from kitchen_report import load as kr

SERVER = py_net.default_pantry_server()
NO_SERVER = (f"no pantry_server at {SERVER}: build the release preset, or set KITCHEN_BENCH_BIN "
             "to a bench_kitchen built beside one")


def have_server() -> bool:
    return os.path.isfile(SERVER) and os.access(SERVER, os.X_OK)


def free_port() -> int:
    """A loopback port nothing listens on: bound by the kernel's choice, then closed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_running(path: str):
    """Pids of the processes whose command line starts with `path`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read().split(b"\0", 1)[0] == path.encode():
                    found.append(int(pid))
        except OSError:
            continue
    return found


@unittest.skipUnless(have_server(), NO_SERVER)
class NetRaceAndFailFastTest(unittest.TestCase):
    """Net rows with the await-inside-update pantry and fail-fast: the counts add up, and a
    coroutine that awaits its fetch inside the update loses takes."""

    def test_counts_add_up_on_net_rows(self):
        with tempfile.TemporaryDirectory() as d:
            process = run("py_kitchen.py", "--io=net", "--profiles=io", "--chefs=4",
                          "--customers=20", "--io-us=200", "--quick", "--repetitions=2",
                          "--pantry=unlocked_await", "--fail-rate=0.05", "--fail-fast",
                          f"--pantry-server={SERVER}", f"--out={d}/py.json")
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(f"{d}/py.json", encoding="utf-8") as f:
                doc = json.load(f, parse_constant=_refuse_constant)
        rows = [e for e in doc["benchmarks"] if e["run_type"] == "iteration"]
        # Every executor a run without --executors runs, two repetitions each.
        self.assertEqual(len(rows), 2 * len([e for e in SERVE if e not in PROCESS_POOLS]))
        for c in rows:
            with self.subTest(row=c["name"]):
                self.assertNotIn("error_occurred", c)
                self.assertIn("/pantry:unlocked_await/fail_rate:0.05/fail_fast/io:net/",
                              c["name"])
                self.assertEqual(c["served"] + c["failed"] + c["cancelled"], 20)
                self.assertGreaterEqual(c["failed"], 1)
                self.assertGreaterEqual(c["server_cpu_util"], 0)
                self.assertLessEqual(c["services_with_lost_updates"], c["services"])
        for c in rows:
            if "/py_asyncio/" in c["name"]:
                self.assertGreater(c["lost_updates"], 0, c["name"])


def _refuse_constant(constant):
    raise ValueError(f"{constant} is not JSON")


@unittest.skipUnless(have_server(), NO_SERVER)
class NetRunTest(unittest.TestCase):
    CUSTOMERS, PAYLOAD = 12, 100

    @classmethod
    def setUpClass(cls):
        # A copy of the server under a path of this test's own, so that any process left
        # behind is found by that path, never confused with another run's server.
        cls.folder = tempfile.mkdtemp()
        cls.server = os.path.join(cls.folder, "pantry_server")
        shutil.copy(SERVER, cls.server)
        cls.process = run("py_kitchen.py", "--io=timer,net", "--profiles=io",
                          "--executors=py_threads,py_asyncio,py_asyncio_blocking,py_gevent",
                          "--chefs=1,4", f"--customers={cls.CUSTOMERS}", "--io-us=200",
                          "--quick", "--repetitions=2", f"--payload-bytes={cls.PAYLOAD}",
                          f"--pantry-server={cls.server}", f"--out={cls.folder}/py.json")
        cls.results = (kr.load([f"{cls.folder}/py.json"])
                       if cls.process.returncode == 0 else None)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def net_rows(self):
        return [r for r in self.results.family("kitchen") if r.params.get("io") == "net"]

    def test_every_order_served_on_every_net_row(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        self.assertEqual(self.results.errors, [])
        rows = self.net_rows()
        self.assertEqual(sorted((r.kind, int(r.counters["chefs"])) for r in rows),
                         sorted((e, c) for e in SERVE if e not in PROCESS_POOLS
                                for c in (1, 4)))
        for row in rows:
            with self.subTest(row=row.name):
                self.assertTrue(row.name.endswith("/io:net"))
                self.assertEqual(row.counters["served"], self.CUSTOMERS)
                self.assertEqual(row.counters["failed"], 0)

    def test_bytes_per_dish_is_the_protocols(self):
        # A request of 24 bytes and a reply of 24 + payload per ingredient, per order.
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        steps = [len(MENU[d][1]) for d in make_orders(self.CUSTOMERS, 1)]
        expected = sum(steps) * (24 + 24 + self.PAYLOAD) / self.CUSTOMERS
        for row in self.net_rows():
            with self.subTest(row=row.name):
                self.assertAlmostEqual(row.counters["bytes_per_dish"], expected)
                self.assertGreaterEqual(row.counters["server_cpu_util"], 0)
                self.assertIn("ctx_switches_per_dish", row.counters)

    def test_the_server_share_is_from_schedstat(self):
        # Its threads' time on a CPU in ns, as bench_kitchen reads it, not 10 ms clock ticks.
        server = py_net.PantryServer(SERVER, 64)
        try:
            # The server may still be running (its start-up) between the reads: its figure lies
            # between two schedstat reads taken around it.
            before = py_net.schedstat_cpu_ns(server.process.pid)
            got = server.cpu_ns()
            after = py_net.schedstat_cpu_ns(server.process.pid)
            self.assertIsNotNone(got)
            self.assertLessEqual(before, got)
            self.assertLessEqual(got, after)
        finally:
            server.stop()

    def test_timer_rows_carry_no_net_counters(self):
        timer = [r for r in self.results.family("kitchen") if "io" not in r.params]
        self.assertEqual(len(timer), len(self.net_rows()))
        for row in timer:
            self.assertNotIn("bytes_per_dish", row.counters)

    def test_context_and_no_server_left_behind(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        context = self.results.contexts[0][1]
        self.assertEqual(context["pantry_payload_bytes"], str(self.PAYLOAD))
        self.assertEqual(context["kitchen_io"], "timer,net")
        self.assertEqual(processes_running(self.server), [])


@unittest.skipUnless(have_server(), NO_SERVER)
class ServerFaultTest(unittest.TestCase):
    def service(self, server, chefs, executor):
        orders = make_orders(8, 1)
        service = Service(orders, Costs(200, 0), chefs, 100.0, plan_failures(orders, 0, 1))
        service.net = py_net.Connections(server, chefs, executor in STREAMS,
                                         link_sockets(executor))
        return service

    def test_a_server_killed_mid_row_makes_an_error_row_naming_the_connection(self):
        for executor in (e for e in SERVE if e not in PROCESS_POOLS):
            with self.subTest(executor=executor):
                server = py_net.PantryServer(SERVER, 64)
                try:
                    service = self.service(server, 2, executor)
                    os.kill(server.process.pid, signal.SIGKILL)
                    server.process.wait(10)
                    entries = py_gbench.run_row("row", 0, SERVE[executor], service, 0.01, 2,
                                                1.0)
                    service.net.close()
                finally:
                    server.stop()
                self.assertEqual(len(entries), 1)
                self.assertTrue(entries[0]["error_occurred"])
                self.assertRegex(entries[0]["error_message"],
                                 r"PantryError: connection [12] to 127\.0\.0\.1:\d+: ")
                self.assertEqual(server.ended(), "killed by signal 9")

    def test_stop_ends_the_server(self):
        server = py_net.PantryServer(SERVER, 64)
        self.assertIsNone(server.ended())
        self.assertGreaterEqual(server.cpu_ns(), 0)
        server.stop()
        self.assertEqual(server.ended(), "exited with status 0")


class RefusedConnectionTest(unittest.TestCase):
    def test_blocking_and_stream_connections_say_refused(self):
        port = free_port()
        with self.assertRaises(py_net.PantryError) as caught:
            py_net.BlockingLink(port, 64, 3)
        self.assertEqual(str(caught.exception),
                         f"connection 3 to 127.0.0.1:{port}: connection refused")

        class Refused:
            payload_bytes = 64

        Refused.port = port
        with self.assertRaises(py_net.PantryError) as caught:
            py_net.Connections(Refused, 2, streams=True)
        self.assertEqual(str(caught.exception),
                         f"connection 1 to 127.0.0.1:{port}: connection refused")

    def test_a_reply_to_another_request_is_refused(self):
        head = py_net.FRAME.pack(py_net.MAGIC, 1, py_net.KIND_REPLY, 2, 300, 7)
        self.assertIsNone(py_net.check_reply(head, 2, 300, 7))
        self.assertIn("request 8 was expected", py_net.check_reply(head, 2, 300, 8))
        bad = py_net.FRAME.pack(0x12345678, 1, py_net.KIND_REPLY, 2, 300, 7)
        self.assertEqual(py_net.check_reply(bad, 2, 300, 7), "bad magic 0x12345678 in a reply")


class NetFlagsTest(unittest.TestCase):
    def test_bad_net_flags_exit_2_with_one_line(self):
        missing = os.path.join(tempfile.gettempdir(), "no-such-dir", "pantry_server")
        cases = [
            (["--io=disk"], "--io=disk: unknown name 'disk'; expected one or more of timer,net"),
            (["--io=net,net"], "--io=net,net: 'net' is given twice; expected one or more of "
                               "timer,net"),
            (["--payload-bytes=0"], "--payload-bytes=0: '0' is out of range; expected a whole "
                                    "number from 1 to 1048576"),
            (["--io=net", f"--pantry-server={missing}"],
             f"--io=net: no pantry server program at {missing}; give --pantry-server=PATH"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                process = run("py_kitchen.py", *args)
                self.assertEqual(process.returncode, 2)
                self.assertEqual(process.stderr, f"py_kitchen.py: {message}\n")
                self.assertEqual(process.stdout, "")

    def test_a_missing_default_server_names_its_path_and_how_to_build_it(self):
        env_bin = os.environ.get("KITCHEN_BENCH_BIN")
        try:
            os.environ["KITCHEN_BENCH_BIN"] = os.path.join(tempfile.gettempdir(), "none", "b")
            process = run("py_kitchen.py", "--io=net")
        finally:
            if env_bin is None:
                os.environ.pop("KITCHEN_BENCH_BIN")
            else:
                os.environ["KITCHEN_BENCH_BIN"] = env_bin
        self.assertEqual(process.returncode, 2)
        self.assertEqual(len(process.stderr.splitlines()), 1)
        self.assertIn(os.path.join(tempfile.gettempdir(), "none", "pantry_server"),
                      process.stderr)
        self.assertIn("cmake --build --preset release", process.stderr)

    def test_timer_rows_need_no_server(self):
        from cpython_kitchen.main import parse_options
        options = parse_options(["--pantry-server=/nowhere/pantry_server"])
        self.assertEqual(options.io, ("timer",))


@unittest.skipUnless(have_server(), NO_SERVER)
class FileBudgetTest(unittest.TestCase):
    def test_too_few_descriptors_make_an_error_row_naming_the_limit(self):
        # 64 descriptors for 100 chefs' connections: the row is refused before any connection
        # is tried, naming the limit and ulimit -n, and the run goes on to write its JSON.
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "py.json")
            process = subprocess.run(
                [sys.executable, os.path.join(SCRIPTS, "py_kitchen.py"), "--io=net",
                 "--profiles=io", "--executors=py_threads,py_asyncio", "--chefs=100",
                 "--customers=10", "--quick", "--repetitions=1", f"--pantry-server={SERVER}",
                 f"--out={out}"],
                capture_output=True, text=True, timeout=120,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)))
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(out, encoding="utf-8") as f:
                entries = json.load(f)["benchmarks"]
        self.assertEqual(len(entries), 2)
        for entry in entries:
            self.assertTrue(entry["error_occurred"], entry)
            self.assertIn("a net row of 100 chefs needs about", entry["error_message"])
            self.assertIn("the limit is 64 (RLIMIT_NOFILE", entry["error_message"])
            self.assertIn("ulimit -n", entry["error_message"])


if __name__ == "__main__":
    unittest.main()

"""kitchen advise as a user runs it: the rows a dry run prints, the `kitchen advise` dispatch, a
tiny real run's JSON (strict, and carrying prediction, measurement and error), and a killed run,
which leaves the --json file as it was. Nothing here asserts a speed or a duration."""

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import unittest

from script_runner import BENCH_BIN, NO_BENCH_BIN, SCRIPTS, fixture, have_bench_bin

MECHANISMS = fixture("async_wins.json")


def advise(*args: str, tmp: str = "", **kw) -> subprocess.Popen:
    """scripts/advise.py as a user runs it; with `tmp`, its working folder goes there (a run
    killed outright cannot remove its own)."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    if tmp:
        env["TMPDIR"] = tmp
    return subprocess.Popen([sys.executable, os.path.join(SCRIPTS, "advise.py"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            **kw)


def strict(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


@unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
class WithBench(unittest.TestCase):
    def test_a_dry_run_prints_the_rows(self):
        p = advise(f"--bench={BENCH_BIN}", f"--mechanisms={MECHANISMS}", "--io-us=500",
                   "--cpu-us=50", "--concurrency=100", "--rate=10000", "--gil", "--dry-run")
        out, err = p.communicate(timeout=120)
        self.assertEqual(p.returncode, 0, err)
        commands = [line.split() for line in out.splitlines() if line.startswith(BENCH_BIN)]
        # N/4, N, 4N closed, and the open loop at N.
        self.assertEqual([next(a for a in c if a.startswith("--chefs=")) for c in commands],
                         ["--chefs=25", "--chefs=100", "--chefs=400", "--chefs=100"])
        for c in commands:
            for flag in ("--io-us=500", "--cpu-us=50", "--gil=on", "--profiles=mixed",
                         "--benchmark_enable_random_interleaving=true"):
                self.assertIn(flag, c)
            executors = next(a for a in c if a.startswith("--executors=")).split("=")[1]
            self.assertIn("threads_pool", executors.split(","))
            self.assertIn("asio_coro", executors.split(","))
        self.assertIn("--arrival-rate=10000", commands[-1])
        self.assertIn("--arrivals=poisson", commands[-1])
        self.assertNotIn("--arrival-rate=10000", commands[1])
        self.assertIn("prediction", out)
        # The model puts 10,000/s over capacity: the sustainable point is announced, not run.
        self.assertIn("a sustainable-rate point will be added after round 1 (once round 1 "
                      "measures an executor over capacity there): an open loop at 100 in "
                      "flight with arrivals at 70% of the lowest capacity measured in round 1",
                      out)

    def test_the_kitchen_program_hands_over(self):
        kitchen = os.path.join(os.path.dirname(BENCH_BIN), "kitchen")
        if not os.access(kitchen, os.X_OK):
            self.skipTest(f"{kitchen} is not built")
        done = subprocess.run([kitchen, "advise", "--io-us=1", "--cpu-us=1", "--concurrency=0"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
        self.assertIn("--concurrency=0", done.stderr)
        done = subprocess.run([kitchen, "advise", "--help"], capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(done.returncode, 0)
        self.assertIn("kitchen advise", done.stdout)

    def test_a_small_run_writes_the_whole_answer(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "answer.json")
            p = advise(f"--bench={BENCH_BIN}", f"--mechanisms={MECHANISMS}", "--io-us=0",
                       "--cpu-us=1", "--concurrency=1", "--budget-s=5", f"--json={out}")
            text, err = p.communicate(timeout=240)
            self.assertEqual(p.returncode, 0, err)
            first = text.splitlines()[0]
            self.assertLessEqual(len(first), 200, first)
            with open(out) as f:
                doc = strict(f.read())
            rec = doc["recommendation"]
            self.assertIn(rec["executor"], first)
            self.assertIn("at 1 in flight", first)
            self.assertIn("bound by ", first)
            for margin in rec["margins"]:
                self.assertIn(margin["executor"], first)
            self.assertIn(rec["bound"], ("cores", "waits", "memory", "thread budget"))
            # Then one line per side, then the comparisons.
            self.assertIn("\nAt 1 in flight", text)
            self.assertEqual(doc["comparisons"].split(".")[0],
                             next(l for l in text.splitlines()
                                  if l.startswith("At 1 in flight")).split(".")[0])
            self.assertEqual(doc["answer"], first)
            self.assertEqual(doc["inputs"]["concurrency"], 1)
            for key in ("context", "mechanisms", "predictions", "measured", "cells", "errors",
                        "interference", "commands"):
                self.assertIn(key, doc)
            self.assertTrue(doc["predictions"] and doc["measured"] and doc["errors"])
            for e in doc["errors"]:
                self.assertIn("predicted_per_s", e)
                self.assertIn("measured_per_s", e)
                self.assertIn("rate_error_pct", e)
            self.assertEqual(os.listdir(d), ["answer.json"])


FAKE = """#!{python}
import json, os, sys, time
if "--executors=serial" in sys.argv:
    with open({fixture!r}) as f:
        print(json.dumps({{"context": json.load(f)["context"], "benchmarks": []}}))
    sys.exit(0)
# The test reads its PID from this FIFO: it waits for this write, not for a time.
with open({marker!r}, "w") as f:
    f.write(str(os.getpid()))
time.sleep(600)
"""


def wait_gone(pid: int, timeout: float) -> bool:
    """Whether the process ends within `timeout` seconds: a pidfd becomes readable when it
    exits (a process already gone is gone)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


def written_pid(marker: str, p: subprocess.Popen) -> int:
    """The PID the fake bench_kitchen writes into the FIFO `marker` once it runs; fails at once,
    with advise's stderr, when advise ends before any bench_kitchen wrote it (a refusal would
    otherwise leave the test blocked on the FIFO until ctest's timeout)."""
    # Opened without blocking: with no writer yet, the FIFO is not readable until one writes.
    fd = os.open(marker, os.O_RDONLY | os.O_NONBLOCK)
    gone = os.pidfd_open(p.pid)
    try:
        while True:
            ready = select.select([fd, gone], [], [])[0]
            if fd in ready:
                text = os.read(fd, 64).decode()
                if text:
                    return int(text)
            if gone in ready or fd in ready:
                _, err = p.communicate(timeout=60)
                raise AssertionError(f"advise ended (exit {p.returncode}) before its "
                                     f"bench_kitchen started: {err.strip()}")
    finally:
        os.close(fd)
        os.close(gone)


class Killed(unittest.TestCase):
    """A run stopped while bench_kitchen measures leaves the --json file as it was."""

    def run_and_kill(self, signum: int) -> None:
        with tempfile.TemporaryDirectory() as d:
            marker = os.path.join(d, "started")
            os.mkfifo(marker)
            bench = os.path.join(d, "bench_kitchen")
            with open(bench, "w") as f:
                f.write(FAKE.format(python=sys.executable, fixture=MECHANISMS, marker=marker))
            os.chmod(bench, 0o755)
            out_dir = os.path.join(d, "out")
            os.mkdir(out_dir)
            out = os.path.join(out_dir, "answer.json")
            with open(out, "w") as f:
                f.write("old\n")
            p = advise(f"--bench={bench}", f"--mechanisms={MECHANISMS}", "--io-us=1000",
                       "--cpu-us=0", "--concurrency=10", f"--json={out}", tmp=d)
            # The fake bench_kitchen says it has started by writing its PID into the FIFO.
            child = written_pid(marker, p)
            self.assertIsNone(p.poll(), "advise ended before its bench_kitchen started")
            p.send_signal(signum)
            p.communicate(timeout=60)
            self.assertNotEqual(p.returncode, 0)
            with open(out) as f:
                self.assertEqual(f.read(), "old\n")
            self.assertEqual(os.listdir(out_dir), ["answer.json"])
            if signum == signal.SIGKILL:
                # Nothing could stop the child: the test does, by its group.
                os.killpg(os.getpgid(child), signal.SIGKILL)
            self.assertTrue(wait_gone(child, 60), "the bench child outlived the run")

    def test_sigterm_stops_the_child_and_writes_nothing(self):
        self.run_and_kill(signal.SIGTERM)

    def test_sigint(self):
        self.run_and_kill(signal.SIGINT)

    def test_sigkill_writes_nothing(self):
        self.run_and_kill(signal.SIGKILL)


if __name__ == "__main__":
    unittest.main()

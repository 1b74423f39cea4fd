"""Ctrl-C during ./scripts/bench.sh: nothing half-written, the previous results kept."""
import json
import os
import select
import signal
import subprocess
import tempfile
import time
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH_BIN = os.environ.get("KITCHEN_BENCH_BIN", "")


@unittest.skipUnless(BENCH_BIN and os.access(BENCH_BIN, os.X_OK),
                     "KITCHEN_BENCH_BIN is not set to a built bench_kitchen (ctest sets it)")
class BenchInterrupt(unittest.TestCase):
    def test_sigint_keeps_the_previous_results_and_leaves_no_partial_file(self):
        with tempfile.TemporaryDirectory() as results:
            previous = {"context": {"note": "a previous complete run"}, "benchmarks": []}
            with open(os.path.join(results, "bench.json"), "w", encoding="utf-8") as f:
                json.dump(previous, f)
            env = dict(os.environ, KITCHEN_RESULTS_DIR=results, KITCHEN_BENCH_BIN=BENCH_BIN)
            # One slow row (50 dishes one after another, ~0.3 s a service) so the run is still
            # going when it is interrupted.
            run = subprocess.Popen(
                [os.path.join(REPO, "scripts", "bench.sh"), "--", "--profiles=io", "--chefs=1",
                 "--customers=50", "--executors=threads_pool", "--benchmark_min_time=30"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True)
            # bench_kitchen says how many rows it runs once its output file is open: the run has
            # begun, and bench.sh's trap is set. The minute only stops a hang.
            said = self._read_until(run.stderr, b" kitchen rows, ", time.monotonic() + 60)
            self.assertIn(b" kitchen rows, ", said, "bench_kitchen never started its rows")
            self.assertTrue(self._pass_file_started(results), "bench_kitchen writes no pass file")
            os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
            _, rest = run.communicate(timeout=60)
            err = said + rest
            self.assertNotEqual(run.returncode, 0)
            self.assertIn(b"keeps the previous complete results", err)
            # The lock file of the results folder stays; nothing else is added.
            self.assertEqual(sorted(os.listdir(results)), [".bench.lock", "bench.json"])
            with open(os.path.join(results, "bench.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f), previous)

    @staticmethod
    def _read_until(stream, part, deadline):
        """What `stream` gives until `part` appears, it ends, or `deadline` passes; read from its
        file descriptor, so that communicate() goes on from there."""
        got = b""
        while part not in got:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stream], [], [], left)[0]:
                break
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            got += chunk
        return got

    @staticmethod
    def _pass_file_started(results):
        for entry in os.listdir(results):
            folder = os.path.join(results, entry)
            if entry.startswith(".run.") and os.path.isdir(folder) and os.listdir(folder):
                return True
        return False


if __name__ == "__main__":
    unittest.main()

"""Ctrl-C during ./scripts/bench.sh: nothing half-written, the previous results kept."""
import glob
import json
import os
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
            # bench_kitchen says how many rows it runs, in the pass's log, once its output file
            # is open: the run has begun, and bench.sh's trap is set. The minute only stops a
            # hang.
            said = self._wait_for_log(results, " kitchen rows, ", time.monotonic() + 60)
            self.assertTrue(said, "bench_kitchen never started its rows")
            self.assertTrue(self._pass_file_started(results), "bench_kitchen writes no pass file")
            os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
            _, err = run.communicate(timeout=60)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn(b"keeps the previous complete results", err)
            # The lock file of the results folder stays; nothing else is added.
            self.assertEqual(sorted(os.listdir(results)), [".bench.lock", "bench.json"])
            with open(os.path.join(results, "bench.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f), previous)

    @staticmethod
    def _wait_for_log(results, part, deadline):
        """True once the kitchen pass's log in the run's staging folder holds `part`, False if
        `deadline` passes first."""
        while time.monotonic() < deadline:
            for log in glob.glob(os.path.join(results, ".run.*", "logs", "kitchen.log")):
                with open(log, encoding="utf-8", errors="replace") as f:
                    if part in f.read():
                        return True
            time.sleep(0.05)
        return False

    @staticmethod
    def _pass_file_started(results):
        """bench_kitchen's output, staged as .kitchen.json.partial.PID, is in the run's folder."""
        return bool(glob.glob(os.path.join(results, ".run.*", ".kitchen.json.partial.*")))


if __name__ == "__main__":
    unittest.main()

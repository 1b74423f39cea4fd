"""Two ./scripts/bench.sh runs into one results folder: the second refuses at once, naming the
first, and removes nothing of it; the first ends with one complete set, put in place whole.

The pass is a stand-in for bench_kitchen (KITCHEN_BENCH_BIN) that writes a small fixture when
the test lets it, so nothing is measured: the run lasts as long as the merge and the charts.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH_SH = os.path.join(REPO, "scripts", "bench.sh")
SET = ("bench.json", "charts", "pros_cons.md", "verdicts.json", "REPORT.md", "logs")

# Says it started (one line per start), waits for the test's go, then writes its rows.
FAKE_BENCH = """#!{python}
import os, shutil, sys, time
out = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--benchmark_out=")][0]
with open(os.path.join({control!r}, "started"), "a") as f:
    f.write(str(os.getpid()) + "\\n")
deadline = time.monotonic() + 120
while not os.path.exists(os.path.join({control!r}, "go")) and time.monotonic() < deadline:
    time.sleep(0.05)
shutil.copy({rows!r}, out)
"""


def strict_load(path):
    def refuse(constant):
        raise ValueError(f"{path} holds {constant}, which is not JSON")
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=refuse)


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class TwoRunsIntoOneFolder(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.results = os.path.join(self.tmp.name, "results")
        self.control = os.path.join(self.tmp.name, "control")
        os.makedirs(self.control)
        os.makedirs(os.path.join(self.results, "charts"))
        # A complete set as bench.sh wrote it before sets were linked, one file per entry.
        for name in ("bench.json", "pros_cons.md", "REPORT.md", os.path.join("charts", "old.svg")):
            with open(os.path.join(self.results, name), "w", encoding="utf-8") as f:
                f.write("{}\n" if name.endswith(".json") else "old\n")
        # What runs killed outright left: a staging folder and a set never made current.
        for left in (".run.4194304.AbCdEf", ".set.4194304.AbCdEf"):
            os.makedirs(os.path.join(self.results, left))
            open(os.path.join(self.results, left, "kitchen.json"), "w").close()
        fake = os.path.join(self.tmp.name, "bench_kitchen")
        with open(fake, "w", encoding="utf-8") as f:
            f.write(FAKE_BENCH.format(python=sys.executable, control=self.control,
                                      rows=fixture("aggregates.json")))
        os.chmod(fake, 0o755)
        self.env = dict(os.environ, KITCHEN_RESULTS_DIR=self.results, KITCHEN_BENCH_BIN=fake)
        self.env.pop("PYTHONPATH", None)

    def starts(self):
        try:
            with open(os.path.join(self.control, "started"), encoding="utf-8") as f:
                return f.read().split()
        except FileNotFoundError:
            return []

    def staging(self):
        return sorted(e for e in os.listdir(self.results) if e.startswith(".run."))

    def test_the_second_run_refuses_naming_the_first_which_ends_with_one_whole_set(self):
        first = subprocess.Popen([BENCH_SH, "--", "--profiles=io"], env=self.env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: first.poll() is None and first.kill())
        deadline = time.monotonic() + 60
        while not self.starts() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(self.starts()), 1, "the first run's pass never started")
        # Only what no running bench.sh holds was removed; the first run's staging folder is there.
        self.assertEqual([e.split(".")[2] for e in self.staging()], [str(first.pid)])
        self.assertFalse(os.path.exists(os.path.join(self.results, ".set.4194304.AbCdEf")))

        second = subprocess.run([BENCH_SH, "--", "--profiles=io"], env=self.env,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertEqual(second.stdout, "")
        lines = second.stderr.splitlines()
        self.assertEqual(len(lines), 1, second.stderr)
        self.assertIn(f"another bench.sh (PID {first.pid}) is writing {self.results}", lines[0])
        # It started nothing and removed nothing of the first run.
        self.assertEqual(len(self.starts()), 1)
        self.assertEqual([e.split(".")[2] for e in self.staging()], [str(first.pid)])
        self.assertEqual(strict_load(os.path.join(self.results, "bench.json")), {})

        open(os.path.join(self.control, "go"), "w").close()
        _, err = first.communicate(timeout=120)
        self.assertEqual(first.returncode, 0, err)
        # One set, whole: every entry is a link through current, to the one set left.
        sets = [e for e in os.listdir(self.results) if e.startswith(".set.")]
        self.assertEqual(len(sets), 1, os.listdir(self.results))
        self.assertEqual(os.readlink(os.path.join(self.results, "current")), sets[0])
        self.assertEqual(sorted(os.listdir(os.path.join(self.results, sets[0]))), sorted(SET))
        for entry in SET:
            path = os.path.join(self.results, entry)
            self.assertEqual(os.readlink(path), os.path.join("current", entry))
            self.assertTrue(os.path.exists(path), entry)
        self.assertEqual(self.staging(), [])
        self.assertNotIn("old.svg", os.listdir(os.path.join(self.results, "charts")))
        with open(os.path.join(self.results, "pros_cons.md"), encoding="utf-8") as f:
            self.assertNotEqual(f.read(), "old\n")
        # The pass's raw output is in its log, in the set.
        self.assertTrue(os.path.isfile(os.path.join(self.results, "logs", "kitchen.log")))
        doc = strict_load(os.path.join(self.results, "bench.json"))
        self.assertEqual(doc["context"]["kitchen_passes"], "kitchen")
        self.assertTrue(doc["benchmarks"])


if __name__ == "__main__":
    unittest.main()

"""The table: seven rows, figures from the named rows, verdicts that follow the data.

The fixtures are small and checked by hand (tests/scripts/inputs/):
  async_wins.json   every figure favours async: 2,000 vs 1,800 and 150,000 vs 20,000 dishes/s on io,
                    500 B vs 24 KiB per task, 0 vs 1,234 lost updates, cancel 1.5 vs 12 ms; threads
                    speed up 1.94x on cpu without the GIL and 1.01x with it
  threads_win.json  the same rows with the figures turned round
  cpython.json      py_asyncio 15,000 vs py_threads 9,000 dishes/s on io; py_threads 1.02x on cpu
  io_depends.json   a tie at 10 chefs (1,810 vs 1,800), async 7.5x at 1,000
"""

import os
import re
import tempfile
import unittest

from script_runner import fixture, run

FEATURES = ("Concurrency model", "CPU-bound tasks", "I/O-bound tasks", "Memory usage",
            "Complexity", "Error handling", "Learning curve")


def verdicts(*inputs):
    """{feature: verdict word} from pros_cons.py's Markdown, as a reader of the table sees it."""
    process = run("pros_cons.py", *map(fixture, inputs))
    assert process.returncode == 0, process.stderr
    found = {}
    for line in process.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if len(cells) == 5 and cells[0] in FEATURES:
            found[cells[0]] = re.match(r"\*\*([a-z ]+)\*\*", cells[4]).group(1)
    return found


class VerdictTest(unittest.TestCase):
    def test_async_wins(self):
        self.assertEqual(verdicts("async_wins.json"), {
            "Concurrency model": "holds",
            "CPU-bound tasks": "depends",       # async half holds; threads half only with the GIL
            "I/O-bound tasks": "holds",
            "Memory usage": "holds",
            "Complexity": "holds",
            "Error handling": "holds",
            "Learning curve": "not measurable"})

    def test_threads_win_flips_every_measured_verdict(self):
        self.assertEqual(verdicts("threads_win.json"), {
            "Concurrency model": "does not hold",
            "CPU-bound tasks": "does not hold",
            "I/O-bound tasks": "does not hold",
            "Memory usage": "does not hold",
            "Complexity": "does not hold",
            "Error handling": "does not hold",
            "Learning curve": "not measurable"})

    def test_languages_that_disagree_make_a_row_depend(self):
        found = verdicts("threads_win.json", "cpython.json")
        self.assertEqual(found["I/O-bound tasks"], "depends")
        self.assertEqual(found["Concurrency model"], "depends")
        self.assertEqual(verdicts("async_wins.json", "cpython.json")["I/O-bound tasks"], "holds")

    def test_io_verdict_depends_on_concurrency(self):
        process = run("pros_cons.py", fixture("io_depends.json"))
        self.assertIn("**depends** (on concurrency)", process.stdout)
        self.assertIn("a tie (1.01x) at chefs:10", process.stdout)
        self.assertIn("async 7.50x the dishes/s at chefs:1000", process.stdout)

    def test_partial_input_says_not_measured(self):
        found = verdicts("io_depends.json")
        for feature in ("CPU-bound tasks", "Memory usage", "Complexity", "Error handling"):
            self.assertEqual(found[feature], "not measured", feature)
        text = run("pros_cons.py", fixture("io_depends.json")).stdout
        self.assertIn("Not measured in this run: spawn cost", text)


class TableTest(unittest.TestCase):
    def setUp(self):
        process = run("pros_cons.py", fixture("async_wins.json"))
        self.assertEqual(process.returncode, 0, process.stderr)
        self.text = process.stdout

    def test_seven_rows_in_the_articles_order(self):
        rows = [line.split(" | ")[0].strip("| ") for line in self.text.splitlines()
                if line.startswith("| ") and line.split(" | ")[0].strip("| ") in FEATURES]
        self.assertEqual(rows, list(FEATURES))

    def test_figures_name_their_rows(self):
        for name in ("kitchen/threads_pool/cpu/chefs:2/customers:100",
                     "kitchen/*/io/chefs:1000/customers:1000", "memory/coro/tasks:1000000",
                     "kitchen/threads_pool/overhead/chefs:2/customers:100000/pantry:unlocked",
                     "switch/coro", "spawn/thread"):
            self.assertIn(f"`{name}`", self.text)
        self.assertIn("150,000 dishes/s", self.text)
        self.assertIn("1,234 lost updates", self.text)

    def test_thresholds_and_failed_rows_are_shown(self):
        self.assertIn("`IO_THROUGHPUT_RATIO = 1.1`", self.text)
        self.assertIn("`CANCEL_RATIO = 2.0`", self.text)
        self.assertIn("`memory/thread/tasks:100000`: thread creation stopped by pid_max", self.text)

    def test_learning_curve_is_not_a_number(self):
        (line,) = [l for l in self.text.splitlines() if l.startswith("| Learning curve")]
        self.assertIn("**not measurable**", line)

    def test_out_file_is_written_whole(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "pros_cons.md")
            process = run("pros_cons.py", fixture("async_wins.json"), "--out", out)
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.text)
            self.assertEqual(os.listdir(d), ["pros_cons.md"])  # no temporary file left


class ThresholdTest(unittest.TestCase):
    def test_a_stricter_threshold_turns_a_win_into_a_tie(self):
        import pros_cons
        import table_rows
        from kitchen_results import load
        results = load([fixture("async_wins.json")])
        strict = table_rows.Thresholds(**{**pros_cons.thresholds().__dict__,
                                          "io_throughput_ratio": 10.0})
        row = table_rows.io_bound(results, strict)
        self.assertEqual(row.verdict.word, "does not hold")
        self.assertIn("a tie", row.verdict.why)

    def test_every_constant_is_documented(self):
        import pros_cons
        names = [name for name, _, _ in pros_cons.threshold_notes()]
        self.assertEqual(names, ["SINGLE_THREADED_MAX", "CPU_SPEEDUP_PARALLEL",
                                 "IO_THROUGHPUT_RATIO", "MEMORY_RATIO", "RACE_LOST_UPDATES",
                                 "SYNC_OPS_RATIO", "CANCEL_RATIO"])


if __name__ == "__main__":
    unittest.main()

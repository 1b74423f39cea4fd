"""The table: seven rows whose verdicts follow the data, short cells, evidence per row.

The fixtures are small and written by make_fixtures.py (see its docstring for each)."""

import os
import re
import tempfile
import unittest

from script_runner import fixture, run

FEATURES = ("Concurrency model", "CPU-bound tasks", "I/O-bound tasks", "Memory usage",
            "Complexity", "Error handling", "Learning curve")


def table(*inputs):
    """{feature: (measured, verdict word, verdict words)} from pros_cons.py's first table."""
    process = run("pros_cons.py", *map(fixture, inputs))
    assert process.returncode == 0, process.stderr
    found = {}
    for line in process.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        m = re.match(r"\[(.+)\]\(#[a-z-]+\)$", cells[0])
        if len(cells) == 4 and m and m.group(1) in FEATURES:
            verdict = re.match(r"\*\*([a-z ]+)\*\*:? ?(.*)", cells[3])
            found[m.group(1)] = (cells[2], verdict.group(1), verdict.group(2))
    return found, process.stdout


def words(*inputs):
    return {k: v[1] for k, v in table(*inputs)[0].items()}


class VerdictTest(unittest.TestCase):
    def test_async_wins(self):
        self.assertEqual(words("async_wins.json"), {
            "Concurrency model": "holds",
            "CPU-bound tasks": "depends",       # loop: another reason; threads gain without GIL
            "I/O-bound tasks": "holds",
            "Memory usage": "holds",
            "Complexity": "by construction",    # the one-thread loop cannot race; threads did
            "Error handling": "holds",          # the threads lost 10 orders of 100
            "Learning curve": "not measurable"})

    def test_threads_win_flips_every_measured_verdict(self):
        self.assertEqual(words("threads_win.json"), {
            "Concurrency model": "depends",     # asio_coro cooked on 2 threads; its mate on 1
            "CPU-bound tasks": "depends",
            "I/O-bound tasks": "does not hold",
            "Memory usage": "does not hold",
            "Complexity": "does not hold",
            "Error handling": "does not hold",
            "Learning curve": "not measurable"})

    def test_both_sides_losing_orders_is_reported_not_a_cancel_time(self):
        found, _ = table("both_lose.json")
        measured, word, why = found["Error handling"]
        self.assertEqual(word, "does not hold")
        self.assertIn("both sides lost or double-counted orders", why)
        self.assertIn("threads_pool 20 + 80 + 79 of 100 (79 counted twice)", measured)
        self.assertIn("asio_coro 60 + 10 + 0 of 100 (30 lost)", measured)
        self.assertNotIn("cancel", why)

    def test_cells_the_intervals_do_not_decide_leave_the_row_undecided(self):
        found, text = table("io_undecided.json")
        self.assertEqual(found["I/O-bound tasks"][1], "undecided")
        self.assertIn("could still be", found["I/O-bound tasks"][2])
        self.assertIn("n=5/5): undecided", text)
        self.assertNotIn("win", found["I/O-bound tasks"][2])

    def test_io_verdict_depends_on_the_chefs(self):
        found, _ = table("io_depends.json")
        self.assertEqual(found["I/O-bound tasks"][1], "depends")
        self.assertIn("async ahead at 1,000 only", found["I/O-bound tasks"][2])

    def test_each_language_is_judged_by_its_own_pair(self):
        found, text = table("async_wins.json", "cpython.json")
        self.assertIn("py_threads vs py_asyncio", text)
        self.assertEqual(found["I/O-bound tasks"][1], "depends")  # CPython ties at 10 chefs

    def test_partial_input_says_not_measured(self):
        found = words("io_depends.json")
        for feature in ("CPU-bound tasks", "Memory usage", "Complexity", "Error handling"):
            self.assertEqual(found[feature], "not measured", feature)


class TableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.found, cls.text = table("async_wins.json", "cpython.json")

    def test_seven_rows_four_columns_short_cells(self):
        self.assertEqual(list(self.found), list(FEATURES))
        first = self.text.split("\n\n")[2].splitlines()
        self.assertEqual(first[0].count(" | "), 3)
        for line in first:
            for c in line.strip("|").split(" | "):
                self.assertLessEqual(len(c.strip()), 160, c)
        for _, _, why in self.found.values():
            self.assertLessEqual(len(why.split()), 12, why)

    def test_every_row_links_to_its_evidence(self):
        for anchor in ("concurrency-model", "cpu-bound-tasks", "io-bound-tasks", "memory-usage",
                       "complexity", "error-handling", "learning-curve"):
            self.assertIn(f"](#{anchor})", self.text)
        for feature in FEATURES:
            self.assertIn(f"\n## {feature}\n", self.text)

    def test_evidence_names_rows_medians_cvs_pairs_and_thresholds(self):
        self.assertIn("| `kitchen/asio_coro/io/chefs:1000/customers:10000` | dishes_per_s | "
                      "150,000 | 1.6% | 147,000 – 153,000 | 5 |", self.text)
        self.assertIn("Pairs compared (from the catalogue): threads_pool vs asio_coro", self.text)
        self.assertIn("`IO_THROUGHPUT_RATIO = 1.1`", self.text)
        self.assertIn("`CANCEL_RATIO = 2.0`", self.text)
        self.assertIn("(cv 2%)", self.found["I/O-bound tasks"][0])

    def test_the_learning_proxy_counts_each_file_with_the_headers_it_includes(self):
        self.assertEqual(self.found["Learning curve"][0].split(":")[0], "proxy")
        self.assertIn("Proxy only: asio_coro is 95 lines, threads_pool 87 lines, each its own "
                      "file with the project headers it includes.", self.text)

    def test_the_pantry_lock_share_of_the_io_loss_is_shown(self):
        self.assertIn("waited 20,000 µs per dish for the pantry lock", self.text)

    def test_cpu_row_compares_with_the_serial_baseline(self):
        measured = self.found["CPU-bound tasks"][0]
        # Both at the point the rule picks: 2 chefs (the usable cores), 100 customers.
        self.assertIn("2 chefs, 100 customers: asio_coro 0.98x serial, threads_pool 1.92x serial",
                      measured)
        self.assertIn("async holds for another reason", self.found["CPU-bound tasks"][2])

    def test_failed_rows_are_listed(self):
        self.assertIn("`memory/thread/tasks:100000`: thread creation stopped by pid_max",
                      self.text)

    def test_out_file_is_written_whole(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "pros_cons.md")
            process = run("pros_cons.py", fixture("async_wins.json"), fixture("cpython.json"),
                          "--out", out)
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.text)
            self.assertEqual(os.listdir(d), ["pros_cons.md"])  # no temporary file left


class ThresholdTest(unittest.TestCase):
    def test_a_stricter_threshold_turns_a_win_into_a_loss(self):
        from kitchen_report.load import load
        from kitchen_report.table import io, io_rule
        results = load([fixture("async_wins.json")])
        saved = io_rule.IO_THROUGHPUT_RATIO
        try:
            io_rule.IO_THROUGHPUT_RATIO = 10.0
            row = io.evaluate(results)
        finally:
            io_rule.IO_THROUGHPUT_RATIO = saved
        self.assertEqual(row.verdict.word, "does not hold")

    def test_every_row_documents_its_constants(self):
        from kitchen_report.load import load
        from kitchen_report.table import evaluate
        from kitchen_report.table.markdown import threshold_notes
        # A row's thresholds are those of its module and of the modules it names in `also`.
        rows = evaluate(load([fixture("async_wins.json")]))
        names = [name for r in rows for module in [r.module] + r.also
                 for name, _, _ in threshold_notes(module)]
        for name in ("SINGLE_THREADED_MAX", "CPU_SPEEDUP_PARALLEL", "IO_THROUGHPUT_RATIO",
                     "MEMORY_RATIO", "RACE_SERVICES", "CANCEL_RATIO", "LOST_ORDERS"):
            self.assertIn(name, names)


if __name__ == "__main__":
    unittest.main()

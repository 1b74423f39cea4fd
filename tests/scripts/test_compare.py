"""compare.py: a run against itself shows no change; a 2x shift shows a significant one. With
--verdicts: the cells whose outcome differs between two verdicts.json, and the exit status."""

import os
import re
import shutil
import tempfile
import unittest

from script_runner import fixture, run

from kitchen_report.verdicts_compare import disjoint


def rows(process):
    """{row name: the printed columns} of compare.py's table."""
    found = {}
    for line in process.stdout.splitlines():
        if line.startswith("kitchen/"):
            found[line.split()[0]] = line.split()[1:]
    return found


class CompareTest(unittest.TestCase):
    def test_a_run_against_itself_shows_no_change(self):
        process = run("compare.py", fixture("compare_base.json"), fixture("compare_base.json"))
        self.assertEqual(process.returncode, 0, process.stderr)
        found = rows(process)
        self.assertEqual(len(found), 4)
        for name, cols in found.items():
            self.assertEqual(cols[0], "+0.0000", name)   # Time, as Google Benchmark prints it
            self.assertEqual(cols[6], "+0.0%", name)
            self.assertEqual(float(cols[7]), 1.0, name)  # p-value
        self.assertIn("0 with a significant change", process.stdout)

    def test_a_2x_shift_is_significant(self):
        process = run("compare.py", fixture("compare_base.json"), fixture("compare_2x.json"))
        self.assertEqual(process.returncode, 0, process.stderr)
        cols = rows(process)["kitchen/asio_coro/io/chefs:10/customers:1000"]
        self.assertEqual(cols[0], "+1.0000")
        self.assertEqual((cols[2], cols[3]), ("500", "1,000"))   # the two medians
        self.assertEqual(cols[6], "+100.0%")
        # Five runs against five, no value shared: the exact two-sided p is 2 / 252.
        self.assertAlmostEqual(float(cols[7]), 2 / 252, places=4)
        self.assertIn("exact, 5 vs 5", process.stdout)
        self.assertIn("1 with a significant change", process.stdout)
        self.assertTrue(re.search(r"threads_pool/io\S* +\+0\.0000", process.stdout))


def verdicts(a, b):
    return run("compare.py", "--verdicts", fixture(f"verdicts_{a}.json"),
               fixture(f"verdicts_{b}.json"))


class CompareVerdictsTest(unittest.TestCase):
    def test_a_contradiction_fails(self):
        process = verdicts("a", "b")
        self.assertEqual(process.returncode, 1, process.stderr)
        out = process.stdout
        self.assertIn("- contradiction: io-bound-tasks | asio_coro vs threads_pool | 1,000 chefs"
                      " | dishes_per_s: win 1.50x [1.40–1.60] n=5/5 -> lose", out)
        self.assertIn("- weakening: io-bound-tasks | asio_coro vs threads_pool | 100 chefs", out)
        self.assertIn("- strengthening: io-bound-tasks | asio_coro vs threads_pool | 10 chefs",
                      out)
        self.assertIn("- shift: error-handling", out)
        self.assertIn("5 cells compared, 1 with the same outcome (20%); 1 contradictions, "
                      "1 weakenings, 1 strengthenings, 1 shifts; undecided: 1 of 5 in A (20%), "
                      "1 of 5 in B (20%)", out)
        self.assertRegex(out, r"I/O-bound tasks +depends +does not hold +differs")
        self.assertIn("5 of 7 verdict words the same", out)

    def test_decided_cells_whose_intervals_do_not_overlap_are_counted_and_named(self):
        out = verdicts("a", "b").stdout
        # 1,000 chefs (win -> lose) and the cancel cell (win -> tie) are apart; the memory
        # cell is decided in both with intervals that meet; the 100 chefs cell is undecided
        # in B, so it is not counted whatever its interval.
        self.assertIn("Cells decided in both runs whose intervals do not overlap: 2 of 3:", out)
        self.assertIn("- disjoint: io-bound-tasks | asio_coro vs threads_pool | 1,000 chefs", out)
        self.assertIn("- disjoint: error-handling | asio_coro vs threads_pool | fail-fast", out)
        self.assertEqual(out.count("- disjoint:"), 2)
        self.assertIn("Cells decided in both runs whose intervals do not overlap: 0 of 4.",
                      verdicts("a", "a").stdout)

    def test_intervals_that_share_an_end_overlap_and_a_null_end_is_infinite(self):
        def cell(outcome, interval):
            return {("r", "t/a", "x", "c", "a", "t"): {"outcome": outcome, "interval": interval}}
        self.assertEqual(disjoint(cell("win", [1.2, 1.5]), cell("tie", [1.0, 1.2])), [])
        self.assertEqual(len(disjoint(cell("win", [1.3, 1.5]), cell("tie", [1.0, 1.2]))), 1)
        self.assertEqual(disjoint(cell("win", [2.0, None]), cell("win", [3.0, None])), [])
        self.assertEqual(disjoint(cell("win", [1.3, 1.5]), cell("undecided", [1.0, 1.2])), [])
        self.assertEqual(disjoint(cell("win", [1.3, 1.5]), cell("disturbed", [1.0, 1.2])), [])

    def test_a_weakening_alone_passes(self):
        process = verdicts("a", "weaker")
        self.assertEqual(process.returncode, 0, process.stderr)
        self.assertIn("0 contradictions, 1 weakenings", process.stdout)
        self.assertNotIn("contradiction:", process.stdout)
        self.assertIn("7 of 7 verdict words the same", process.stdout)

    def test_a_run_against_itself(self):
        process = verdicts("a", "a")
        self.assertEqual(process.returncode, 0, process.stderr)
        self.assertIn("No cell differs in outcome.", process.stdout)
        self.assertIn("5 with the same outcome (100%)", process.stdout)

    def test_run_folders_stand_for_their_verdicts(self):
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(fixture("verdicts_b.json"), os.path.join(d, "verdicts.json"))
            process = run("compare.py", "--verdicts", fixture("verdicts_a.json"), d)
        self.assertEqual(process.returncode, 1, process.stderr)

    def test_bad_input_is_one_line_and_status_2(self):
        for other, says in (("verdicts_nan.json", "NaN, which strict JSON refuses"),
                            ("async_wins.json", "not a verdicts.json"),
                            ("no_such.json", "cannot read")):
            with self.subTest(other=other):
                process = run("compare.py", "--verdicts", fixture("verdicts_a.json"),
                              fixture(other))
                self.assertEqual(process.returncode, 2)
                self.assertEqual(len(process.stderr.splitlines()), 1, process.stderr)
                self.assertIn(says, process.stderr)
                self.assertEqual(process.stdout, "")


if __name__ == "__main__":
    unittest.main()

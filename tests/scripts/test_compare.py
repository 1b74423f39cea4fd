"""compare.py: a run against itself shows no change; a 2x shift shows a significant one."""

import re
import unittest

from script_runner import fixture, run


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


if __name__ == "__main__":
    unittest.main()

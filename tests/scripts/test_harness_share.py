"""harness.py: each executor's harness share, (kitchen per dish - floor per dish) / kitchen per
dish, from the medians of its kitchen row at the floor's point on the overhead profile and of its
floor row; executors without a plain kitchen twin get none; REPORT.md's section says so."""

import os
import tempfile
import unittest

from script_runner import fixture
from kitchen_report import harness, report
from kitchen_report.load import load


class HarnessShareTest(unittest.TestCase):
    def setUp(self):
        self.results = load([fixture("harness_share.json")])

    def test_the_share_is_read_from_both_medians(self):
        found = {s.executor: s for s in harness.shares(self.results)}
        self.assertEqual(set(found), {"threads_pool", "asio_coro"})
        coro = found["asio_coro"]
        self.assertAlmostEqual(coro.kitchen_us, 1.5)
        self.assertAlmostEqual(coro.floor_us, 1.2)
        self.assertAlmostEqual(coro.share, 0.2)
        self.assertAlmostEqual(coro.ratio, 1.25)
        self.assertAlmostEqual(found["threads_pool"].share, 0.75)

    def test_shares_come_in_catalogue_order(self):
        self.assertEqual([s.executor for s in harness.shares(self.results)],
                         ["threads_pool", "asio_coro"])

    def test_a_kitchen_row_with_more_in_its_name_is_no_twin(self):
        # asio_callback has only a /gil row at the point: its floor has no share.
        lines = harness.lines(self.results)
        self.assertIn("No kitchen twin for the floor of: asio_callback.", lines)
        self.assertIn("| asio_coro | 1.500 | 1.200 | 1.25x | 20% |", lines)
        self.assertIn("| threads_pool | 4.000 | 1.000 | 4.00x | 75% |", lines)

    def test_no_negative_share_no_warning(self):
        self.assertFalse(any("negative share" in line for line in harness.lines(self.results)))

    def test_report_md_quotes_each_share(self):
        with tempfile.TemporaryDirectory() as out:
            text = report.document(self.results, "", os.path.join(out, "charts"),
                                   os.path.join(out, "REPORT.md"))
        self.assertIn("## What the harness costs each executor", text)
        self.assertIn("| asio_coro | 1.500 | 1.200 | 1.25x | 20% |", text)

    def test_without_floor_rows_the_report_has_no_section(self):
        self.assertEqual(harness.lines(load([fixture("compare_base.json")])), [])


if __name__ == "__main__":
    unittest.main()

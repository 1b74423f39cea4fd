"""harness.py: each executor's harness share, (kitchen per dish - floor per dish) / kitchen per
dish, from the median of the ratios its floor row measured (the executor's services in the same
iterations as the floor's); a floor row without those ratios gets none, and REPORT.md's section
says so."""

import os
import tempfile
import unittest

from script_runner import fixture
from kitchen_report import harness, report
from kitchen_report.load import load


CORO_LINE = ("| asio_coro | 1.500 (1.364–1.638, n=6) | 1.200 (1.100–1.300, n=6) | "
             "1.25x (1.23–1.27) | 20% | undecided |")
POOL_LINE = ("| threads_pool | 4.000 (4.000–4.000, n=6) | 1.000 (1.000–1.000, n=6) | "
             "4.00x (4.00–4.00) | 75% | missed |")


def share(kitchen, floor):
    """A Share whose repetitions are the pairs (kitchen[i], floor[i])."""
    return harness.Share(executor="asio_coro", chefs=3, customers=10000, floor_row="f",
                         kitchen_values=tuple(kitchen), floor_values=tuple(floor),
                         ratios=tuple(k / f for k, f in zip(kitchen, floor)))


class TargetTest(unittest.TestCase):
    """At most 1.25x its floor, decided by the interval of the paired ratios, not their median."""

    def test_met_when_the_whole_interval_is_at_or_below(self):
        self.assertEqual(share([1.0, 1.05, 1.1, 1.02, 1.08, 1.2], [1.0, 0.98, 1.01, 0.99, 1.0, 1.0])
                         .target, harness.MET)

    def test_missed_when_the_whole_interval_is_above(self):
        self.assertEqual(share([2.0, 2.1, 1.9, 2.0, 2.2, 1.8], [1.0, 1.05, 0.95, 1.0, 1.0, 1.0])
                         .target, harness.MISSED)

    def test_undecided_when_it_reaches_across_even_if_the_median_meets_it(self):
        s = share([1.0, 1.2, 1.6, 1.1, 1.2, 1.3], [1.0] * 6)
        self.assertLessEqual(s.ratio, harness.TARGET)
        self.assertEqual(s.target, harness.UNDECIDED)

    def test_no_decision_below_six_repetitions_however_tight(self):
        # Five ratios of 2x: min to max covers the median only 93.8% of the time.
        s = share([2.0] * 5, [1.0] * 5)
        self.assertIsNone(s.interval)
        self.assertEqual(s.target, harness.UNDECIDED)
        self.assertEqual(share([2.0] * 6, [1.0] * 6).target, harness.MISSED)

    def test_a_negative_share_keeps_its_sign(self):
        self.assertLess(share([0.9, 0.9, 0.9], [1.0, 1.0, 1.0]).share, 0)

    def test_pairs_decide_where_the_two_sides_alone_would_not(self):
        # The machine ran twice as fast in the second repetition and half as fast in the third:
        # each side alone spans 0.5x to 2x, but every pair says 1.1x.
        s = share([1.1, 0.55, 2.2, 1.1, 1.1, 0.55], [1.0, 0.5, 2.0, 1.0, 1.0, 0.5])
        self.assertAlmostEqual(s.ratio, 1.1)
        self.assertAlmostEqual(s.interval[0], 1.1)
        self.assertAlmostEqual(s.interval[1], 1.1)
        self.assertEqual(s.target, harness.MET)


class HarnessShareTest(unittest.TestCase):
    def setUp(self):
        self.results = load([fixture("harness_share.json")])

    def test_the_share_is_read_from_the_pairs(self):
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

    def test_a_floor_row_without_pairs_has_no_share(self):
        # asio_callback's floor row is as an older bench_kitchen wrote it, without the pairs.
        lines = harness.lines(self.results)
        self.assertIn("Floor rows without their paired kitchen services (kitchen_over_floor), "
                      "so no share: asio_callback.", lines)
        self.assertIn(CORO_LINE, lines)
        self.assertIn(POOL_LINE, lines)

    def test_no_negative_share_no_warning(self):
        self.assertFalse(any("negative share" in line for line in harness.lines(self.results)))

    def test_report_md_quotes_each_share(self):
        with tempfile.TemporaryDirectory() as out:
            text = report.document(self.results, "", os.path.join(out, "charts"),
                                   os.path.join(out, "REPORT.md"))
        self.assertIn("## What the harness costs each executor", text)
        self.assertIn(CORO_LINE, text)

    def test_without_floor_rows_the_report_has_no_section(self):
        self.assertEqual(harness.lines(load([fixture("compare_base.json")])), [])


if __name__ == "__main__":
    unittest.main()

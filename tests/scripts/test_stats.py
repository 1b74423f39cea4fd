"""Mann-Whitney U with the standard library, checked against values worked out by hand; the
rank interval of a ratio of medians, the error each of the rounds' looks spends, and the outcome
of a cell against its tie band."""

import unittest

import math

from kitchen_report.calibration import looks_family_error
from kitchen_report.stats import (CONFIDENCE, FAMILY_ERROR, LOOK_ERROR, _u_counts, cv,
                                  look_error, mann_whitney, median_interval,
                                  median_order_interval, median_ratio_interval, outcome, overlap,
                                  planned_looks, possible, shift_rank)


class MannWhitneyTest(unittest.TestCase):
    def test_complete_separation_of_five_against_five_is_exact(self):
        # One ordering of C(10, 5) = 252 gives U = 0, one gives U = 25: p = 2 / 252.
        test = mann_whitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        self.assertEqual((test.u, test.method), (0.0, "exact"))
        self.assertAlmostEqual(test.p, 2 / 252)

    def test_interleaved_samples_are_not_significant(self):
        test = mann_whitney([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])
        self.assertEqual(test.method, "exact")
        self.assertGreater(test.p, 0.5)

    def test_ties_use_the_normal_approximation(self):
        test = mann_whitney([1, 2, 3], [1, 2, 3])
        self.assertEqual((test.method, test.p), ("normal", 1.0))
        test = mann_whitney([1, 1, 1, 1, 1, 2], [2, 2, 2, 2, 2, 2])
        self.assertEqual(test.method, "normal")
        self.assertLess(test.p, 0.05)

    def test_one_value_is_no_test(self):
        self.assertIsNone(mann_whitney([1], [2, 3]))


class SpreadTest(unittest.TestCase):
    def test_cv_and_overlap(self):
        self.assertIsNone(cv([5.0]))
        self.assertAlmostEqual(cv([9.0, 10.0, 11.0]), 0.1)
        self.assertTrue(overlap((1, 3), (3, 4)))
        self.assertFalse(overlap((1, 2), (2.5, 4)))


class IntervalTest(unittest.TestCase):
    A = [3.0, 3.1, 2.9, 3.05, 2.95]
    B = [1.0, 1.02, 0.98, 1.01, 0.99]

    def test_the_same_repetitions_in_any_order_give_the_same_interval(self):
        first = median_ratio_interval(self.A, self.B)
        self.assertEqual(first, median_ratio_interval(self.A[::-1], sorted(self.B)))

    def test_a_clearly_separated_pair_wins_and_its_reverse_loses(self):
        lo, hi = median_ratio_interval(self.A, self.B)
        self.assertLess(lo, 3.0)
        self.assertGreater(hi, 3.0)
        self.assertGreater(lo, 2.8)
        self.assertEqual(outcome((lo, hi), 1.10), "win")
        self.assertEqual(outcome(median_ratio_interval(self.B, self.A), 1.10), "lose")

    def test_identical_samples_tie(self):
        interval = median_ratio_interval(self.B, self.B)
        self.assertLess(interval[0], 1.0)
        self.assertGreater(interval[1], 1.0)
        self.assertEqual(outcome(interval, 1.10), "tie")

    def test_five_a_side_is_the_range_of_the_differences(self):
        # 5 a side: 2 P(U <= 0) = 2/252 = 0.0079 fits a look's 0.01, 2 P(U <= 1) = 4/252 does
        # not: from the smallest to the largest of the 25 log differences.
        self.assertEqual(shift_rank(5, 5, look_error(5, 5)), 1)
        differences = sorted(math.log(a) - math.log(b) for a in self.A for b in self.B)
        lo, hi = median_ratio_interval(self.A, self.B)
        self.assertAlmostEqual(lo, math.exp(differences[0]))
        self.assertAlmostEqual(hi, math.exp(differences[-1]))

    def test_fewer_than_five_a_side_or_a_value_without_a_logarithm_give_no_interval(self):
        self.assertIsNone(median_ratio_interval(self.A[:4], self.B))
        self.assertIsNone(median_ratio_interval([2.0], self.B))
        self.assertIsNone(median_ratio_interval(self.A, [0.0] + self.B[1:]))
        self.assertEqual(outcome(None, 1.10), "undecided")

    def test_unequal_spreads_widen_the_interval_from_seven_a_side(self):
        # The same centres; one side spread far wider: the placements' variance makes the
        # interval wider than the exact rank's alone.
        tight = [1.0 + 0.001 * i for i in range(-4, 5)]
        wide = [1.0 + 0.1 * i for i in range(-4, 5)]
        k = shift_rank(9, 9, look_error(9, 9))
        differences = sorted(math.log(a) - math.log(b) for a in tight for b in wide)
        lo, hi = median_ratio_interval(tight, wide)
        self.assertLess(lo, math.exp(differences[k - 1]))
        self.assertGreater(hi, math.exp(differences[-k]))


class LooksTest(unittest.TestCase):
    def test_a_cell_gets_at_most_eleven_looks_each_at_one_level(self):
        # From 5 to 15 a side, 2 repetitions a round: n_a + n_b from 10 to 30.
        self.assertEqual(planned_looks(), tuple(range(10, 31, 2)))
        self.assertEqual({look_error(n, 5) for n in range(5, 26)}, {LOOK_ERROR})
        self.assertIsNone(look_error(4, 15))

    def test_the_looks_together_miss_with_the_figure_the_table_states(self):
        # Seeded: the same figure on every run, within its Monte Carlo error of FAMILY_ERROR.
        family = looks_family_error(draws=200_000, seed=1)
        self.assertAlmostEqual(family, FAMILY_ERROR, delta=0.001)
        self.assertLessEqual(family, 1 - CONFIDENCE)

    def test_each_look_covers_at_least_what_it_allows(self):
        for n1 in range(5, 16):
            for n2 in range(5, 16):
                error = look_error(n1, n2)
                k = shift_rank(n1, n2, error)
                self.assertGreaterEqual(k, 1, (n1, n2))
                counts = _u_counts(n1, n2)
                self.assertLessEqual(2 * sum(counts[:k]) / sum(counts), error, (n1, n2))
                self.assertGreater(2 * sum(counts[:k + 1]) / sum(counts), error, (n1, n2))


class OutcomeTest(unittest.TestCase):
    def test_the_band_edges_belong_to_the_tie(self):
        band = 1.10
        self.assertEqual(outcome((1.1001, 1.3), band), "win")
        self.assertEqual(outcome((band, 1.3), band), "undecided")      # touches the edge
        self.assertEqual(outcome((1 / band, band), band), "tie")       # edges included
        self.assertEqual(outcome((band, band), band), "tie")
        self.assertEqual(outcome((0.5, 1 / band), band), "undecided")
        self.assertEqual(outcome((0.5, 1 / band - 1e-9), band), "lose")
        self.assertEqual(outcome((1.05, 1.2), band), "undecided")
        self.assertEqual(outcome((0.5, 2.0), band), "undecided")

    def test_what_an_undecided_interval_may_become(self):
        self.assertEqual(possible((1.05, 1.2), 1.1), ("win", "tie"))
        self.assertEqual(possible((0.8, 0.95), 1.1), ("tie", "lose"))
        self.assertEqual(possible((0.5, 2.0), 1.1), ("win", "tie", "lose"))
        self.assertEqual(possible((1.2, 1.3), 1.1), ("win",))


class MedianIntervalTest(unittest.TestCase):
    def test_seeded_order_free_and_none_below_two_values(self):
        values = [float(v) for v in range(1, 21)]
        first = median_interval(values)
        self.assertEqual(first, median_interval(values[::-1]))
        lo, hi = first
        self.assertLess(lo, 10.5)
        self.assertGreater(hi, 10.5)
        self.assertGreater(lo, 1.0)
        self.assertLess(hi, 20.0)
        self.assertIsNone(median_interval([3.0]))

    def test_few_values_give_their_whole_range(self):
        self.assertEqual(median_interval([3.0, 1.0, 2.0]), (1.0, 3.0))
        self.assertEqual(median_interval([5.0, 1.0, 2.0, 4.0, 3.0]), (1.0, 5.0))


class MedianOrderIntervalTest(unittest.TestCase):
    def test_the_ranks_are_the_binomial_ones(self):
        values = [float(v) for v in range(20, 0, -1)]
        self.assertEqual(median_order_interval(values), (6.0, 15.0))
        self.assertEqual(median_order_interval([float(v) for v in range(1, 14)]), (3.0, 11.0))
        self.assertEqual(median_order_interval([float(v) for v in range(1, 7)]), (1.0, 6.0))

    def test_none_where_even_the_whole_range_covers_less_than_asked(self):
        self.assertIsNone(median_order_interval([1.0, 2.0, 3.0, 4.0, 5.0]))
        self.assertIsNone(median_order_interval([]))

    def test_its_coverage_is_at_least_what_it_says(self):
        # The k-th smallest to the k-th largest covers the median with probability
        # 1 - 2 P(Binomial(n, 1/2) < k), whatever the distribution; and k is the largest such.
        for n in range(6, 61):
            lo, _ = median_order_interval([float(v) for v in range(1, n + 1)])
            k = int(lo)
            below = sum(math.comb(n, i) for i in range(k)) / 2 ** n
            self.assertGreaterEqual(1 - 2 * below, 0.95, n)
            wider = below + math.comb(n, k) / 2 ** n
            self.assertLess(1 - 2 * wider, 0.95, n)


if __name__ == "__main__":
    unittest.main()

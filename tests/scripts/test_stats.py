"""Mann-Whitney U with the standard library, checked against values worked out by hand."""

import unittest

from kitchen_report.stats import cv, mann_whitney, overlap


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


if __name__ == "__main__":
    unittest.main()

"""The complexity row: any loss in any service proves a race (k of n services summed over the
repetitions, never a median), and the await-inside-update rows (/pantry:unlocked_await) read
apart from the plain unlocked ones, the words following the data (fixtures races.json,
races_await_safe.json; async_wins.json and threads_win.json have rows from before the
per-service counters)."""

import unittest

from script_runner import fixture
from test_pros_cons import table

from kitchen_report import load as kr
from kitchen_report.table import complexity


class RacesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results = kr.load([fixture("races.json")])
        cls.found, cls.text = table("races.json")

    def test_a_median_of_zero_still_proves_the_race(self):
        found = complexity.races(self.results, "threads_per_order", complexity.PLAIN)
        row = found.rows[0]
        self.assertEqual(row.counters["lost_updates"], 0)   # the median of [5, 0, 0, 6, 0]
        self.assertEqual((found.k, found.n, found.most, found.raced), (2, 5, 6, True))
        self.assertEqual(found.text(), "lost updates in 2 of 5 services, at most 6")

    def test_k_and_n_are_summed_over_the_repetitions_m_is_the_most(self):
        found = complexity.races(self.results, "threads_pool", complexity.PLAIN)
        self.assertEqual(found.text(), "lost updates in 2 of 15 services, at most 1,006")
        found = complexity.races(self.results, "asio_coro", complexity.PLAIN)
        self.assertEqual((found.text(), found.raced), ("lost updates in 0 of 15 services", False))

    def test_the_await_inside_the_update_is_read_apart(self):
        found = complexity.races(self.results, "asio_coro", complexity.AWAIT)
        self.assertEqual(found.rows[0].name,
                         "kitchen/asio_coro/overhead/chefs:10/customers:200/pantry:unlocked_await")
        self.assertEqual(found.text(), "lost updates in 15 of 15 services, at most 41")
        self.assertIsNone(complexity.races(self.results, "asio_callback", complexity.AWAIT))

    def test_the_row_says_async_races_only_where_an_await_sits_inside(self):
        measured, word, short = self.found["Complexity"]
        self.assertEqual(word, "depends")
        self.assertEqual(short, "async races where an await sits inside the update, and only "
                                "there")
        self.assertEqual(measured, "unlocked: asio_coro lost updates in 0 of 15 services, "
                                   "threads_pool in 2 of 15, at most 1,006; awaiting inside: "
                                   "asio_coro in 15 of 15, at most 41")
        self.assertIn("no await inside the update: by construction", self.text)
        self.assertIn("an await inside the update: does not hold", self.text)
        self.assertIn("`RACE_SERVICES = 1`", self.text)

    def test_no_loss_with_the_await_inside_is_said_as_such(self):
        measured, word, short = table("races_await_safe.json")[0]["Complexity"]
        self.assertEqual((word, short), ("holds", "async lost no update, even awaiting inside it"))
        self.assertIn("awaiting inside: asio_coro in 0 of 15", measured)

    def test_rows_without_per_service_counters_count_repetitions(self):
        measured, word, _ = table("async_wins.json")[0]["Complexity"]
        self.assertEqual(word, "by construction")
        self.assertEqual(measured, "unlocked: asio_coro lost updates in 0 of 5 repetitions, "
                                   "threads_pool in 5 of 5 repetitions, at most 1,234 (a "
                                   "repetition's mean)")


if __name__ == "__main__":
    unittest.main()

"""The I/O row's points (fixture io_points.json): the dishes each side kept in preparation at
every chefs level, "filled N of C" when fewer than its chefs, the run-queue wait at the headline
point, and the lock share over the measured dishes in flight."""

import ast
import unittest

from script_runner import fixture
from test_pros_cons import table

from kitchen_report import load as kr
from kitchen_report.table import io, io_net


class IoPointsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.found, cls.text = table("io_points.json")
        cls.row = io.evaluate(kr.load([fixture("io_points.json")]))
        cls.notes = "\n".join(cls.row.notes)

    def test_the_headline_says_the_threads_did_not_fill_their_chefs(self):
        self.assertEqual(self.found["I/O-bound tasks"][0],
                         "1,000 chefs: asio_coro 145,000/s (cv 2%); threads_pool 35,000/s "
                         "(cv 2%), filled 612 of 1,000")

    def test_dishes_kept_in_preparation_at_every_level(self):
        self.assertIn("asio_coro vs threads_pool: Dishes kept in preparation at once "
                      "(peak_in_preparation, median of the repetitions): 10 chefs: threads_pool "
                      "10, asio_coro 10; 100 chefs: threads_pool 100, asio_coro 100; 1,000 chefs: "
                      "threads_pool filled 612 of 1,000 (repetitions 428–784), asio_coro 1,000.",
                      self.notes)

    def test_the_run_queue_wait_of_both_sides_at_the_headline_point(self):
        self.assertIn("At 1,000 chefs and 10,000 customers, threads (threads_pool) waited 850 µs "
                      "per dish for a CPU, async (asio_coro) 3 µs", self.notes)
        used = {(u.row.name, u.counter) for u in self.row.used}
        self.assertIn(("kitchen/threads_pool/io/chefs:1000/customers:10000",
                       "runqueue_wait_us_per_dish"), used)

    def test_the_lock_share_reads_the_dishes_in_flight_not_the_chefs(self):
        # 36 µs of 612 / 35,000 s = 17.5 ms a dish: 0.2%; with 1,000 in flight it would be
        # 28.6 ms and 0.1%, the share the old estimate gave.
        t_row = next(r for r in kr.load([fixture("io_points.json")]).rows
                     if r.name == "kitchen/threads_pool/io/chefs:1000/customers:10000")
        a_row = next(r for r in kr.load([fixture("io_points.json")]).rows
                     if r.name == "kitchen/asio_coro/io/chefs:1000/customers:10000")
        said = io.lock_share(kr.Results([], [], []), t_row, a_row)
        self.assertIn("waited 36 µs per dish for the pantry lock, at least 0% of a dish's time "
                      "with 612 dishes in preparation at most", said)
        c = dict(t_row.counters, pantry_wait_us_per_dish=8750.0)
        heavy = kr.Row(**{**t_row.__dict__, "counters": c})
        # 8,750 µs of 17,486 µs is 50% of a dish's time.
        self.assertIn("at least 50% of a dish's time", io.lock_share(kr.Results([], [], []),
                                                                      heavy, a_row))
        del c["peak_in_preparation"]
        self.assertIn("no peak_in_preparation: its share of a dish's time is not estimated",
                      io.lock_share(kr.Results([], [], []), kr.Row(**{**t_row.__dict__,
                                                                        "counters": c}), a_row))

    def test_io_and_io_net_import_their_rule_not_each_other(self):
        for module in (io, io_net):
            with open(module.__file__, encoding="utf-8") as f:
                tree = ast.parse(f.read())
            froms = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
            # `from .io_rule import ...` or `from . import io_rule`: module or name.
            names = {n.module for n in froms} | {a.name for n in froms for a in n.names}
            self.assertIn("io_rule", names, module.__name__)
            if module is io_net:
                self.assertNotIn("io", names)
            # No import inside a function, where a cycle used to be dodged.
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    inner = [n for n in ast.walk(node)
                             if isinstance(n, (ast.Import, ast.ImportFrom))]
                    self.assertEqual(inner, [], f"{module.__name__}.{node.name}")


if __name__ == "__main__":
    unittest.main()

"""Every comparison reads both sides at one point chosen by a rule written under the table,
never each side's largest or best row (issue 19, point 9; fixture same_point.json)."""

import unittest

from script_runner import fixture
from test_pros_cons import table

from kitchen_report import load as kr
from kitchen_report.table import cpu


class SamePointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.found, cls.text = table("same_point.json")

    def test_concurrency_reads_one_point_both_ran(self):
        # threads_pool's most customers (10,000 at 1,000 chefs) is a point asio_coro never ran.
        self.assertEqual(self.found["Concurrency model"][0],
                         "asio_coro: 1 cooking, 1 OS; threads_pool: 1,000 cooking, 1,001 OS "
                         "(io, 1,000 chefs, 1,000 customers)")

    def test_the_cpu_headline_names_each_figures_point(self):
        # Not the noisy 1.95x at 8 chefs: the rule reads the chefs of the usable cores (2).
        self.assertEqual(self.found["CPU-bound tasks"][0],
                         "2 chefs, 100 customers: asio_coro 0.98x serial, threads_pool 1.60x "
                         "serial; with the GIL threads_pool 1.00x serial at 2 chefs, 20 "
                         "customers")
        self.assertNotIn("1.95x", self.found["CPU-bound tasks"][0])
        self.assertNotIn("at best", self.text)

    def test_the_rule_picks_the_cores_then_the_fewest_above(self):
        rows = {r.name: r for r in kr.load([fixture("same_point.json")]).rows}
        found = [(rows[f"kitchen/threads_pool/cpu/chefs:{c}/customers:100"], None, 1.0)
                 for c in (2, 8)]
        self.assertEqual(cpu.choose(found, 2)[0].name,
                         "kitchen/threads_pool/cpu/chefs:2/customers:100")
        self.assertEqual(cpu.choose(found, 4)[0].name,
                         "kitchen/threads_pool/cpu/chefs:2/customers:100")
        self.assertEqual(cpu.choose(found[1:], 2)[0].name,
                         "kitchen/threads_pool/cpu/chefs:8/customers:100")
        self.assertEqual(cpu.choose(found, 2, at=(8, 100))[0].name,
                         "kitchen/threads_pool/cpu/chefs:8/customers:100")

    def test_fail_fast_and_memory_at_one_point(self):
        self.assertIn("asio_coro 0.10 ms to stop, threads_pool 1.50 ms to stop", self.text)
        self.assertIn("| 1,000 tasks | coro vs thread_small_stack |", self.text)

    def test_the_rules_are_written_under_the_table(self):
        under = self.text.split("Each comparison reads both sides at one point, chosen by a "
                                "rule, never the best of several rows:", 1)[1].split("\n## ")[0]
        for feature in ("Concurrency model", "CPU-bound tasks", "I/O-bound tasks",
                        "Memory usage", "Complexity", "Error handling"):
            self.assertIn(f"\n- {feature}: ", under)


if __name__ == "__main__":
    unittest.main()

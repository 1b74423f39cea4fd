"""kitchen advise and the fibers: the model knows every fiber executor that keeps several dishes
in preparation, the plan measures each against the pair and also_pair the catalogue names, its
cells are seen from the fibers, and the first line names the fibers when they lead.

The fixtures are written by make_fixtures.py (fibers_like_async.json and its mirror)."""

import unittest

from script_runner import fixture

from kitchen_advise import answer, decide, model, plan as plans
from kitchen_advise.flags import Workload
from kitchen_advise.session import fiber_pairs
from kitchen_report.load import load


def fiber_plan(results) -> plans.Plan:
    """The fixtures' io point at 100 chefs and 1,000 customers, the catalogue's pairs and its
    fiber pairs."""
    w = Workload(io_us=1000, cpu_us=0, concurrency=100)
    return plans.Plan(workload=w, executors=[], pairs=results.catalogue.pairs(), extra=[],
                      points=[plans.Point(chefs=100, customers=1000)], steps=5.4,
                      fibers=fiber_pairs(results.catalogue))


class FibersTest(unittest.TestCase):
    def test_traits_cover_every_fiber_executor_that_overlaps_dishes(self):
        results = load([fixture("fibers_like_async.json")])
        fibers = [e for e in results.catalogue if e.side == "fibers" and not e.one_at_a_time]
        self.assertEqual([e.name for e in fibers], ["fibers", "fibers_mt"])
        for e in fibers:
            self.assertTrue(model.modelled(e), e.name)
        # One scheduler thread is one server, like an event loop; one per core, the cores.
        w = Workload(io_us=0, cpu_us=100, concurrency=10)
        self.assertEqual(model.servers(results.catalogue.get("fibers"), w, 2), 1)
        self.assertEqual(model.servers(results.catalogue.get("fibers_mt"), w, 2), 2)

    def test_the_plan_measures_each_fiber_executor_beside_its_partners(self):
        results = load([fixture("fibers_like_async.json")])
        found = fiber_pairs(results.catalogue)
        self.assertEqual(found, [("threads_per_order", "fibers"), ("asio_coro", "fibers")])
        p = plans.make(Workload(io_us=1000, cpu_us=0, concurrency=100),
                       results.catalogue.pairs(), [], False, 100_000, lambda n: 1e5, found)
        self.assertIn("fibers", p.executors)
        self.assertEqual(p.fibers, found)
        self.assertEqual(decide.comparisons(p)[-2:], found)

    def test_the_first_line_names_the_fibers_when_they_lead(self):
        results = load([fixture("fibers_like_async.json")])
        p = fiber_plan(results)
        found = decide.cells(results, p, profile="io")
        mine = [c for c in found if c.pair in p.fibers]
        self.assertEqual(sorted((c.a, c.b, c.outcome) for c in mine),
                         [("fibers", "asio_coro", "tie"), ("fibers", "threads_per_order", "win")])
        here = [c for c in found if c.level == decide.level(p.user)]
        text = answer.verdict_clauses(p, here)
        self.assertIn("; fibers: fibers serves", text)
        self.assertIn("fibers ahead", text)
        self.assertNotIn("fibers lead", text)
        # Ahead of every executor it was compared with: the fibers lead, and it says so.
        ahead = [c for c in here if c.pair in p.fibers and c.outcome == "win"]
        self.assertIn("; fibers lead: fibers serves", answer.verdict_clauses(p, ahead))

    def test_fiber_cells_are_words_of_their_own(self):
        results = load([fixture("fibers_like_threads.json")])
        p = fiber_plan(results)
        found = [c for c in decide.cells(results, p, profile="io") if c.pair in p.fibers]
        behind = next(c for c in found if c.b == "asio_coro")
        self.assertEqual(behind.outcome, "lose")
        self.assertEqual(answer.word(behind, fibers=True), "asio_coro ahead")
        lines = answer.changes(p, found)
        self.assertIn("- fibers vs asio_coro: asio_coro ahead at 100.", lines)
        self.assertIn("- fibers vs threads_per_order: a tie at 100.", lines)


if __name__ == "__main__":
    unittest.main()

"""The section "Fibers: the third answer": where the fibers-side executors land on each of the
seven rows, its words derived from its cells (a word flips when the data flips), its cells in
verdicts.json, its place in pros_cons.md and REPORT.md, and none of it without fiber executors.

The fixtures are written by make_fixtures.py: fibers_like_async.json and its mirror
fibers_like_threads.json."""

import os
import tempfile
import unittest

from script_runner import fixture, run
from test_verdicts import CELL_FIELDS, strict

from kitchen_report import verdicts, verdicts_compare
from kitchen_report.figures import mechanism_side
from kitchen_report.load import load
from kitchen_report.stats import LOSE, TIE, UNDECIDED, WIN
from kitchen_report.table import cells as all_cells, evaluate, fibers, fibers_section
from kitchen_report.table.common import DEPENDS, UNMEASURABLE
from kitchen_report.table.markdown import document
from kitchen_report import report

LIKE_ASYNC, LIKE_THREADS = fibers.LIKE_ASYNC, fibers.LIKE_THREADS


def section(name):
    """{feature without 'Fibers: ': its TableRow}."""
    rows = fibers_section(load([fixture(name)]))
    return {r.feature.split(": ", 1)[1]: r for r in rows}


def part(row, label):
    """The word of one executor's (or kind's) part of a row, from its detail."""
    for piece in row.verdict.detail.split("; "):
        if piece.startswith(f"{label}: "):
            return piece[len(label) + 2:].split(" (", 1)[0]
    raise AssertionError(f"no part {label} in {row.verdict.detail}")


class WordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.like_async = section("fibers_like_async.json")
        cls.like_threads = section("fibers_like_threads.json")

    def test_seven_rows_in_the_table_order(self):
        self.assertEqual(list(self.like_async), [
            "Concurrency model", "CPU-bound tasks", "I/O-bound tasks", "Memory usage",
            "Complexity", "Error handling", "Learning curve"])

    def test_io_lands_like_async_then_like_threads_when_the_data_turn(self):
        self.assertEqual(self.like_async["I/O-bound tasks"].verdict.word, LIKE_ASYNC)
        self.assertEqual(self.like_threads["I/O-bound tasks"].verdict.word, LIKE_THREADS)

    def test_io_cells_per_partner_chefs_level_and_variant_with_intervals(self):
        found = self.like_async["I/O-bound tasks"].cells
        self.assertEqual(sorted((c.a, c.b, c.level) for c in found), [
            ("fibers", "asio_coro", "net, 10 chefs"),
            ("fibers", "asio_coro", "timer, 10 chefs"),
            ("fibers", "asio_coro", "timer, 100 chefs, default slack"),
            ("fibers", "threads_per_order", "net, 10 chefs"),
            ("fibers", "threads_per_order", "timer, 10 chefs"),
            ("fibers", "threads_per_order", "timer, 100 chefs, default slack")])
        self.assertTrue(all(c.interval is not None for c in found))
        # The top timer level reads the default-slack rows, as the I/O row does.
        top = next(c for c in found if "100 chefs" in c.level)
        self.assertTrue(all(name.endswith("/slack:default") for name in top.rows))
        self.assertEqual({c.outcome for c in found if c.b == "asio_coro"}, {TIE})
        self.assertEqual({c.outcome for c in found if c.b == "threads_per_order"}, {WIN})

    def test_memory_between_then_like_threads(self):
        row = self.like_async["Memory usage"]
        self.assertEqual(row.verdict.word, fibers.BETWEEN)
        self.assertEqual(sorted((c.a, c.b, c.outcome) for c in row.cells),
                         [("fiber", "coro", LOSE), ("fiber", "thread_small_stack", WIN)])
        self.assertTrue(all(c.interval is not None and not c.higher_is_better
                            for c in row.cells))
        self.assertEqual(self.like_threads["Memory usage"].verdict.word, LIKE_THREADS)

    def test_complexity_one_thread_races_only_with_the_wait_inside(self):
        row = self.like_async["Complexity"]
        self.assertEqual(part(row, "fibers"), LIKE_ASYNC)
        self.assertEqual(part(row, "fibers_mt"), LIKE_THREADS)
        self.assertEqual(row.verdict.word, DEPENDS)
        flipped = self.like_threads["Complexity"]
        self.assertEqual(part(flipped, "fibers"), LIKE_THREADS)
        self.assertEqual(flipped.verdict.word, LIKE_THREADS)

    def test_complexity_has_the_lock_cost_cell_with_an_interval(self):
        (cell,) = self.like_async["Complexity"].cells
        self.assertEqual(cell.rows, ("kitchen/fibers/overhead/chefs:2/customers:1000/pantry:unlocked",
                                     "kitchen/fibers/overhead/chefs:2/customers:1000"))
        self.assertEqual(cell.outcome, WIN)
        self.assertIsNotNone(cell.interval)

    def test_cpu_fibers_mt_gains_then_does_not(self):
        self.assertEqual(part(self.like_async["CPU-bound tasks"], "fibers_mt"), LIKE_THREADS)
        self.assertEqual(part(self.like_threads["CPU-bound tasks"], "fibers_mt"), LIKE_ASYNC)
        # The one-thread executor cannot gain, whatever its cell says.
        self.assertEqual(part(self.like_async["CPU-bound tasks"], "fibers"), LIKE_ASYNC)
        cell = next(c for c in self.like_async["CPU-bound tasks"].cells if c.a == "fibers_mt")
        self.assertEqual((cell.b, cell.level), ("serial", "2 chefs, 100 customers, over serial"))

    def test_concurrency_counts_the_cooking_threads(self):
        row = self.like_async["Concurrency model"]
        self.assertEqual(part(row, "fibers"), LIKE_ASYNC)
        self.assertEqual(part(row, "fibers_mt"), LIKE_THREADS)
        self.assertIn("fibers_mt: 2 threads of 2 usable cores", row.measured)

    def test_error_handling_cancel_time_against_both_partners(self):
        row = self.like_async["Error handling"]
        self.assertEqual(row.verdict.word, LIKE_ASYNC)
        self.assertEqual(sorted((c.b, c.outcome) for c in row.cells),
                         [("asio_coro", TIE), ("threads_per_order", WIN)])
        self.assertTrue(any("no interruption" in n for n in row.notes))
        self.assertEqual(self.like_threads["Error handling"].verdict.word, LIKE_THREADS)

    def test_learning_is_the_proxy(self):
        row = self.like_async["Learning curve"]
        self.assertEqual(row.verdict.word, UNMEASURABLE)
        self.assertIn("fibers 90", row.measured)

    def test_the_rounds_see_the_sections_cells(self):
        results = load([fixture("fibers_like_async.json")])
        found = {(c.row, c.a, c.b, c.level) for c in all_cells(results)}
        self.assertIn(("fibers-io-bound-tasks", "fibers", "asio_coro", "net, 10 chefs"), found)


class RuleTest(unittest.TestCase):
    def test_against_one_partner(self):
        self.assertEqual(fibers.against([WIN, WIN]), fibers.AHEAD)
        self.assertEqual(fibers.against([LOSE]), fibers.BEHIND)
        self.assertEqual(fibers.against([TIE, TIE]), fibers.LEVEL)
        self.assertEqual(fibers.against([TIE, WIN]), fibers.MIXED)
        self.assertEqual(fibers.against([]), fibers.MIXED)

    def test_landing_against_both_sides(self):
        A, B, L, M = fibers.AHEAD, fibers.BEHIND, fibers.LEVEL, fibers.MIXED
        cases = {((L,), ("async",)): LIKE_ASYNC,
                 ((A, L), ("threads", "async")): LIKE_ASYNC,
                 ((L, B), ("threads", "async")): LIKE_THREADS,
                 ((L, L), ("threads", "async")): fibers.LEVEL_WITH_BOTH,
                 ((A, A), ("threads", "async")): fibers.AHEAD_OF_BOTH,
                 ((B, B), ("threads", "async")): fibers.BEHIND_BOTH,
                 ((A, B), ("threads", "async")): fibers.BETWEEN,
                 ((A, M), ("threads", "async")): DEPENDS,
                 ((A,), ("threads",)): "ahead of threads"}
        for (words, sides), want in cases.items():
            self.assertEqual(fibers.landing(list(zip(sides, words))), want, (words, sides))

    def test_an_undecided_cell_that_could_change_the_word_leaves_it_undecided(self):
        from kitchen_report.table.common import decided
        from kitchen_report.table.cells import Cell

        def cell(outcome, possible=()):
            return Cell(row="", pair=("t", "f"), level="", counter="dishes_per_s", a="f",
                        b="t", median_a=1, median_b=1, ratio=1, interval=None, band=1.1,
                        outcome=outcome, n_a=5, n_b=5, rows=("x", "y"), possible=possible)

        rule = fibers._landing_rule([("threads", 1), ("async", 1)])
        self.assertEqual(decided([cell(WIN), cell(TIE)], rule).word, LIKE_ASYNC)
        open_ = decided([cell(WIN), cell(UNDECIDED, (TIE, LOSE))], rule)
        self.assertEqual(open_.word, UNDECIDED)
        self.assertEqual(set(open_.could), {LIKE_ASYNC, fibers.BETWEEN})
        # An undecided cell whose every way gives one word leaves that word standing.
        self.assertEqual(decided([cell(UNDECIDED, (WIN,)), cell(TIE)], rule).word, LIKE_ASYNC)


class DocumentsTest(unittest.TestCase):
    def test_pros_cons_and_verdicts_hold_the_section(self):
        with tempfile.TemporaryDirectory() as d:
            md, out = os.path.join(d, "pros_cons.md"), os.path.join(d, "verdicts.json")
            process = run("pros_cons.py", fixture("fibers_like_async.json"), "--out", md,
                          "--verdicts", out)
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(md, encoding="utf-8") as f:
                text = f.read()
            with open(out, encoding="utf-8") as f:
                doc = strict(f.read())
        self.assertIn(f"## {fibers.TITLE}\n", text)
        self.assertIn("| [I/O-bound tasks](#fibers-io-bound-tasks) |", text)
        self.assertIn("### Fibers: I/O-bound tasks\n", text)
        # The section follows the table and its legend, before the table's own evidence.
        self.assertLess(text.index(fibers.TITLE), text.index("\n## Concurrency model\n"))
        section = doc[verdicts.FIBERS]
        self.assertEqual(section["title"], fibers.TITLE)
        by_feature = {r["feature"]: r for r in section["rows"]}
        self.assertEqual(by_feature["Fibers: I/O-bound tasks"]["verdict"], LIKE_ASYNC)
        for feature in ("Fibers: I/O-bound tasks", "Fibers: Memory usage", "Fibers: Complexity"):
            cells = by_feature[feature]["cells"]
            self.assertTrue(cells, feature)
            for c in cells:
                self.assertLessEqual(CELL_FIELDS, set(c), feature)
                self.assertEqual(len(c["interval"]), 2, feature)
        # The table's own rows are still seven, without the section's.
        self.assertEqual(len(doc["rows"]), 7)

    def test_compare_matches_the_sections_cells_across_runs(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for name in ("fibers_like_async.json", "fibers_like_threads.json"):
                path = os.path.join(d, name)
                process = run("pros_cons.py", fixture(name), "--out",
                              os.path.join(d, name + ".md"), "--verdicts", path)
                self.assertEqual(process.returncode, 0, process.stderr)
                paths.append(path)
            a, b = (verdicts.read(p) for p in paths)
        old, new = verdicts_compare._cells(a), verdicts_compare._cells(b)
        key = ("fibers-io-bound-tasks", "threads_per_order/fibers", "net, 10 chefs",
               "dishes_per_s", "fibers", "threads_per_order")
        self.assertEqual((old[key]["outcome"], new[key]["outcome"]), (WIN, TIE))

    def test_no_fiber_executor_no_section(self):
        results = load([fixture("async_wins.json")])
        self.assertEqual(fibers_section(results), [])
        text = document(results, evaluate(results), "fixture")
        self.assertNotIn(fibers.TITLE, text)
        self.assertNotIn(verdicts.FIBERS, verdicts.document(evaluate(results)))

    def test_report_puts_the_section_after_the_table(self):
        results = load([fixture("fibers_like_async.json")])
        table_md = document(results, evaluate(results), "fixture", fibers_section(results))
        with tempfile.TemporaryDirectory() as d:
            text = report.document(results, table_md, d, os.path.join(d, "REPORT.md"))
        at = text.index(f"## {fibers.TITLE}\n")
        self.assertLess(text.index("## Summary"), at)
        self.assertLess(at, text.index("## Evidence behind each verdict"))
        self.assertIn("### Fibers: Memory usage", text[at:text.index("## Evidence behind")])


class MechanismsTest(unittest.TestCase):
    def test_fiber_kinds_are_the_fibers_side(self):
        self.assertEqual(mechanism_side("fiber"), "fibers")
        self.assertEqual(mechanism_side("fiber_small_stack"), "fibers")
        self.assertEqual(mechanism_side("fiber_sleep"), "fibers")
        self.assertEqual(mechanism_side("thread_small_stack"), "threads")

    def test_the_memory_row_still_compares_a_thread_with_a_coroutine(self):
        results = load([fixture("fibers_like_async.json")])
        (row,) = [r for r in evaluate(results) if r.anchor == "memory-usage"]
        (cell,) = row.cells
        self.assertEqual((cell.a, cell.b), ("coro", "thread_small_stack"))


if __name__ == "__main__":
    unittest.main()

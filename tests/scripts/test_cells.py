"""Cells: one comparison each, seen from its first side (turned round when lower is better), its
text, a row's word derived from its cells' outcomes, the undecided cells a driver would
measure again, and the launches a side's repetitions must come from."""

import re
import unittest
from dataclasses import replace

from script_runner import fixture

from kitchen_report.load import Row, load
from kitchen_report.table import cells, open_cells, undecided_cells, undecided_rows
from kitchen_report.table.cells import compare
from kitchen_report.table.common import (DEPENDS, FAILS, HOLDS, UNDECIDED, Verdict, combine,
                                         decided, short)
from kitchen_report.table.io_rule import _word as io_word


# A pass's two launches, as bench.sh runs it: the first launch's repetitions name the pass, the
# second's its own monitor record.
LAUNCHES = ("p", "p.launch2")


def row(name, kind, counter, samples, launches=LAUNCHES):
    """A row whose repetitions come from `launches`: the first ceil(n / 2) from the first, the
    rest from the last, as bench.sh splits a pass's."""
    ordered = sorted(samples)
    median = ordered[len(ordered) // 2]
    first = (len(samples) + 1) // 2
    return Row(name=name, family="kitchen", kind=kind, profile="io", params={}, flags=frozenset(),
               counters={counter: median}, real_ms=1.0, cpu_ms=1.0, source="test",
               samples={counter: tuple(samples)},
               measured_by=tuple(launches[0] if i < first else launches[-1]
                                 for i in range(len(samples))))


def cell(first, second, band=1.1, higher_is_better=True, counter="dishes_per_s"):
    return compare(row(f"kitchen/{first[0]}/x", first[0], counter, first[1]),
                   row(f"kitchen/{second[0]}/x", second[0], counter, second[1]),
                   counter, band, pair=(second[0], first[0]), level="10 chefs",
                   higher_is_better=higher_is_better)


FAST = ("asio_coro", [1.0, 1.02, 0.98, 1.01, 0.99])
SLOW = ("threads_pool", [10.0, 10.2, 9.8, 10.1, 9.9])


class CellTest(unittest.TestCase):
    def test_higher_is_better_is_seen_from_the_first(self):
        c = cell(SLOW, FAST)
        self.assertEqual((c.a, c.b, c.outcome), ("threads_pool", "asio_coro", "win"))
        self.assertAlmostEqual(c.ratio, 10.0)
        self.assertEqual((c.median_a, c.median_b, c.n_a, c.n_b), (10.0, 1.0, 5, 5))
        self.assertEqual(c.rows, ("kitchen/threads_pool/x", "kitchen/asio_coro/x"))

    def test_lower_is_better_turns_the_ratio_round(self):
        # Cancel times: 1 ms against 10 ms is a win for the first, 10 times sooner.
        c = cell(FAST, SLOW, band=2.0, higher_is_better=False, counter="cancel_ms")
        self.assertAlmostEqual(c.ratio, 10.0)
        self.assertEqual(c.outcome, "win")
        self.assertGreater(c.interval[0], 2.0)
        self.assertEqual(cell(SLOW, FAST, 2.0, False, "cancel_ms").outcome, "lose")
        self.assertEqual(cell(FAST, SLOW, 2.0, True, "cancel_ms").outcome, "lose")

    def test_text_shows_the_ratio_interval_and_repetitions(self):
        self.assertRegex(cell(SLOW, FAST).text(),
                         r"^10\.00x \(95% CI \d+\.\d\d–\d+\.\d\d, n=5/5\): win$")
        one = compare(row("a", "a", "d", [2.0]), row("b", "b", "d", [1.0, 1.0]), "d", 1.1,
                      pair=("b", "a"), level="x")
        self.assertEqual(one.text(), "2.00x (no interval, n=1/2, 1/2 launches, fewer than 2 a "
                                     "side): undecided")

    def test_no_cell_is_decided_below_five_repetitions_a_side(self):
        # Ten times apart, but 4 a side: no interval, undecided, whatever it may become.
        four = cell(("threads_pool", SLOW[1][:4]), FAST)
        self.assertEqual((four.interval, four.outcome, four.n_a), (None, "undecided", 4))
        self.assertEqual(set(four.possible), {"win", "tie", "lose"})
        self.assertEqual(cell(SLOW, FAST).outcome, "win")


def busy(name, kind, samples, flags, launches=LAUNCHES):
    return replace(row(name, kind, "dishes_per_s", samples, launches), disturbed=tuple(flags))


class DisturbedTest(unittest.TestCase):
    """Repetitions measured while the machine was busy are never pooled with quiet ones."""

    def test_a_cell_only_its_disturbed_repetitions_decide_is_disturbed_and_measured_again(self):
        a = busy("kitchen/asio_coro/x", "asio_coro", SLOW[1], [True] * 5)
        b = busy("kitchen/threads_pool/x", "threads_pool", FAST[1], [False] * 5)
        c = compare(a, b, "dishes_per_s", 1.1, pair=("threads_pool", "asio_coro"), level="x")
        self.assertEqual((c.outcome, c.disturbed_a, c.disturbed_b, c.left_out),
                         ("disturbed", 5, 0, False))
        self.assertEqual(set(c.possible), {"win", "tie", "lose"})
        self.assertEqual(open_cells([c]), [c])
        self.assertIn("disturbed 5/0", c.text())

    def test_with_five_quiet_repetitions_a_side_the_disturbed_ones_are_left_out(self):
        # Two disturbed repetitions far off the others: left out, they move nothing.
        a = busy("kitchen/asio_coro/x", "asio_coro", SLOW[1] + [1.0, 1.0],
                 [False] * 5 + [True] * 2)
        b = busy("kitchen/threads_pool/x", "threads_pool", FAST[1], [False] * 5)
        c = compare(a, b, "dishes_per_s", 1.1, pair=("threads_pool", "asio_coro"), level="x")
        self.assertEqual((c.outcome, c.n_a, c.n_b, c.disturbed_a, c.left_out),
                         ("win", 5, 5, 2, True))
        self.assertAlmostEqual(c.median_a, 10.0)
        self.assertEqual(open_cells([c]), [])

    def test_an_interval_that_decides_nothing_stays_undecided(self):
        a = busy("kitchen/asio_coro/x", "asio_coro", [1.0, 1.3, 1.2, 1.1, 1.15], [True] * 5)
        b = busy("kitchen/threads_pool/x", "threads_pool", FAST[1], [False] * 5)
        c = compare(a, b, "dishes_per_s", 1.1, pair=("threads_pool", "asio_coro"), level="x")
        self.assertEqual(c.outcome, "undecided")


class LaunchTest(unittest.TestCase):
    """A side's repetitions must come from two launches of the program (Row.measured_by), as
    bench.sh's passes and rounds measure them, for its cell to be decided."""

    def one_launch(self, samples, kind="threads_pool"):
        return row(f"kitchen/{kind}/x", kind, "dishes_per_s", samples, launches=("p",))

    def test_five_a_side_from_one_launch_is_undecided_and_says_why(self):
        c = compare(self.one_launch(SLOW[1]), self.one_launch(FAST[1], "asio_coro"),
                    "dishes_per_s", 1.1, pair=("asio_coro", "threads_pool"), level="x")
        # The interval alone would decide it (ten times apart).
        self.assertGreater(c.interval[0], 1.1)
        self.assertEqual((c.outcome, c.n_a, c.n_b, c.launches_a, c.launches_b),
                         ("undecided", 5, 5, 1, 1))
        self.assertEqual(set(c.possible), {"win", "tie", "lose"})
        self.assertIn("n=5/5, 1/1 launches, fewer than 2 a side): undecided", c.text())
        # The rounds measure it again.
        self.assertEqual(open_cells([c]), [c])

    def test_one_side_from_one_launch_is_enough_to_leave_it_undecided(self):
        c = compare(self.one_launch(SLOW[1]), row("kitchen/asio_coro/x", "asio_coro",
                                                  "dishes_per_s", FAST[1]),
                    "dishes_per_s", 1.1, pair=("asio_coro", "threads_pool"), level="x")
        self.assertEqual((c.outcome, c.launches_a, c.launches_b), ("undecided", 1, 2))
        self.assertIn("1/2 launches", c.text())

    def test_the_same_repetitions_from_two_launches_a_side_decide_it(self):
        c = cell(SLOW, FAST)
        self.assertEqual((c.outcome, c.launches_a, c.launches_b), ("win", 2, 2))
        self.assertNotIn("launches", c.text())
        # A round is a launch of its own: one launch's 5 and a round's 2 decide.
        rounds = ("p", "p.round1.0")
        c = compare(row("kitchen/threads_pool/x", "threads_pool", "dishes_per_s",
                        SLOW[1] + [10.0, 10.1], rounds),
                    row("kitchen/asio_coro/x", "asio_coro", "dishes_per_s",
                        FAST[1] + [1.0, 1.01], rounds),
                    "dishes_per_s", 1.1, pair=("asio_coro", "threads_pool"), level="x")
        self.assertEqual((c.outcome, c.launches_a, c.launches_b), ("win", 2, 2))

    def test_only_the_launches_of_the_repetitions_read_count(self):
        # Five quiet repetitions of one launch, two disturbed of another: the disturbed are left
        # out, and so is their launch.
        a = busy("kitchen/threads_pool/x", "threads_pool", SLOW[1] + [10.0, 10.0],
                 [False] * 5 + [True] * 2)
        a = replace(a, measured_by=("p",) * 5 + ("p.launch2",) * 2)
        b = busy("kitchen/asio_coro/x", "asio_coro", FAST[1], [False] * 5)
        c = compare(a, b, "dishes_per_s", 1.1, pair=("asio_coro", "threads_pool"), level="x")
        self.assertEqual((c.left_out, c.n_a, c.launches_a, c.outcome), (True, 5, 1, "undecided"))

    def test_a_row_that_does_not_name_each_repetitions_launch_is_one_launch(self):
        a = replace(row("kitchen/threads_pool/x", "threads_pool", "dishes_per_s", SLOW[1]),
                    measured_by=())
        c = compare(a, row("kitchen/asio_coro/x", "asio_coro", "dishes_per_s", FAST[1]),
                    "dishes_per_s", 1.1, pair=("asio_coro", "threads_pool"), level="x")
        self.assertEqual((c.launches_a, c.outcome), (1, "undecided"))


def io_cells(*outcomes):
    """Cells with the given outcomes (and what an undecided one may become: win or tie)."""
    found = []
    for o in outcomes:
        a = {"win": [2.0, 2.1, 1.9, 2.05, 1.95], "tie": [1.0, 1.01, 0.99, 1.005, 0.995],
             "undecided": [1.0, 1.3, 1.2, 1.1, 1.15]}[o]
        found.append(cell(("asio_coro", a), ("threads_pool", [1.0, 1.01, 0.99, 1.005, 0.995])))
        assert found[-1].outcome == o, (o, found[-1].interval)
    return found


class DerivedWordTest(unittest.TestCase):
    def test_a_word_every_way_agrees_on_is_decided(self):
        # Ahead at one level, a tie at another: "depends" whatever the undecided one becomes.
        self.assertEqual(decided(io_cells("win", "tie", "undecided"), io_word).word, DEPENDS)
        self.assertEqual(decided(io_cells("win", "win"), io_word).word, HOLDS)
        self.assertEqual(decided(io_cells("tie", "tie"), io_word).word, FAILS)

    def test_an_undecided_cell_that_could_change_the_word_is_not_rounded(self):
        v = decided(io_cells("win", "undecided"), io_word)
        self.assertEqual(v.word, UNDECIDED)
        self.assertEqual(set(v.could), {HOLDS, DEPENDS})

    def test_combining_undecided_parts(self):
        open_ = Verdict(UNDECIDED, could=(HOLDS, DEPENDS))
        self.assertEqual(combine([("x", Verdict(HOLDS)), ("y", open_)], "the pair").word,
                         UNDECIDED)
        self.assertEqual(combine([("x", Verdict(DEPENDS)), ("y", open_)], "the pair").word,
                         DEPENDS)  # holds + depends and depends + depends both depend
        both = combine([("x", Verdict(HOLDS)), ("y", Verdict(FAILS)), ("z", open_)], "the pair")
        self.assertEqual((both.word, both.short), (DEPENDS, "on the pair"))
        unknown = combine([("x", Verdict(HOLDS)), ("y", Verdict(UNDECIDED))], "the pair")
        self.assertEqual(unknown.word, UNDECIDED)


class UndecidedCellsTest(unittest.TestCase):
    def test_the_undecided_cells_name_the_rows_to_measure_again(self):
        results = load([fixture("io_undecided.json")])
        found = undecided_cells(results)
        self.assertEqual(len(found), 2)
        self.assertEqual({c.row for c in found}, {"io-bound-tasks"})
        names = {r.name for r in results.rows}
        self.assertTrue(all(n in names for c in found for n in c.rows))
        self.assertEqual(len(undecided_rows(results)), 4)

    def test_every_cell_of_a_decided_fixture_is_decided(self):
        results = load([fixture("async_wins.json"), fixture("cpython.json")])
        self.assertEqual(undecided_cells(results), [])
        every = cells(results)
        self.assertEqual({c.row for c in every},
                         {"cpu-bound-tasks", "io-bound-tasks", "memory-usage"})
        for c in every:
            self.assertTrue(re.match(r"^[a-z-]+$", c.row), c.row)
            self.assertGreaterEqual(min(c.n_a, c.n_b), 2, c)

    def test_it_is_pure(self):
        results = load([fixture("net.json")])
        self.assertEqual(undecided_cells(results), undecided_cells(results))


class ShortWords(unittest.TestCase):
    def test_a_cut_is_marked_and_not_left_on_a_comma(self):
        text = "on the chefs: async ahead at 100, 1,000 only"
        self.assertEqual(short(text, 7), "on the chefs: async ahead at 100 …")
        self.assertEqual(short(text, 9), text)
        self.assertEqual(short(text, 3), "on the chefs …")


if __name__ == "__main__":
    unittest.main()

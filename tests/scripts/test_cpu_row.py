"""The CPU row's async half is measured, and its words move with the data (fixtures
async_wins.json, loop_overhead.json, threads_win.json): a loop that gains beyond the band does
not hold; one that does not gain holds when its overhead per dish (overhead profile, less
serial's) is a large share of a cpu dish, and holds for another reason when that share is tiny
(one thread cooks: said beside, never the word alone); undecided while the repetitions' spread
reaches across the threshold."""

import dataclasses
import unittest

from script_runner import fixture

from kitchen_report import load as kr
from kitchen_report.table import cpu
from kitchen_report.table.common import FAILS, HOLDS, OTHER_REASON, UNDECIDED

LOOP_OVERHEAD = "kitchen/asio_coro/overhead/chefs:1/customers:10000"


def evaluate(name, drop_threads_gain=False, loop_samples=None):
    """The CPU row of a fixture; drop_threads_gain: without the threads' rows of more than 1
    chef and no GIL, so that the row's word is the async half's with the GIL's threads half;
    loop_samples: asio_coro's us_per_dish per repetition on the overhead profile."""
    results = kr.load([fixture(name)])
    if drop_threads_gain:
        results.rows[:] = [r for r in results.rows
                           if not (r.kind == "threads_pool" and r.profile == "cpu" and not r.gil
                                   and r.params.get("chefs") != "1")]
    if loop_samples is not None:
        results.rows[:] = [dataclasses.replace(
            r, samples=dict(r.samples, us_per_dish=tuple(loop_samples)),
            counters=dict(r.counters, us_per_dish=sorted(loop_samples)[len(loop_samples) // 2]))
            if r.name == LOOP_OVERHEAD else r for r in results.rows]
    return cpu.evaluate(results)


class AsyncHalfTest(unittest.TestCase):
    def test_a_one_thread_loop_with_a_tiny_overhead_holds_for_another_reason(self):
        row = evaluate("async_wins.json")
        self.assertTrue(row.verdict.short.startswith(f"async {OTHER_REASON};"), row.verdict.short)
        note = next(n for n in row.notes if "not for its reason" in n)
        self.assertIn("asio_coro 0.33 µs per dish on the overhead profile", note)
        self.assertIn("serial 0.11 µs", note)
        self.assertIn("0.022% of a cpu dish", note)
        # The one thread is said beside the measurement.
        self.assertIn("cooked on one thread: it cannot use a second core (by construction)", note)

    def test_a_large_loop_overhead_makes_the_reason_hold(self):
        row = evaluate("loop_overhead.json")
        self.assertTrue(row.verdict.short.startswith(f"async {HOLDS};"), row.verdict.short)
        self.assertFalse(any("not for its reason" in n for n in row.notes))
        self.assertIn("asio_coro 600 µs per dish", row.verdict.detail)

    def test_a_multi_threaded_loop_that_gains_does_not_hold(self):
        row = evaluate("threads_win.json")
        self.assertTrue(row.verdict.short.startswith(f"async {FAILS};"), row.verdict.short)
        self.assertIn("asio_coro cooked on up to 2 threads", row.verdict.detail)

    def test_the_row_word_flips_with_the_async_half(self):
        words = {name: evaluate(name, drop_threads_gain=True).verdict.word
                 for name in ("async_wins.json", "loop_overhead.json", "threads_win.json")}
        self.assertEqual(words, {"async_wins.json": OTHER_REASON, "loop_overhead.json": HOLDS,
                                 "threads_win.json": FAILS})

    def test_a_spread_across_the_threshold_leaves_the_reason_undecided(self):
        # 400 to 600 µs against a cpu dish of 980 to 1,020: 39% to 61% of it, across 50%.
        row = evaluate("loop_overhead.json", drop_threads_gain=True,
                       loop_samples=(400, 450, 500, 550, 600))
        self.assertEqual(row.verdict.word, UNDECIDED)
        self.assertIn(OTHER_REASON, row.verdict.could)

    def test_the_threshold_is_the_tie_band_of_a_gain(self):
        self.assertAlmostEqual(cpu.LOOP_OVERHEAD_SHARE, cpu.CPU_SPEEDUP_PARALLEL - 1)


if __name__ == "__main__":
    unittest.main()

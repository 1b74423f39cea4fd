"""I/O-bound tasks. The article: async is "well suited", threads "less efficient (thread
management overhead)". Per catalogue pair, on the io profile, the async executor's median
dishes/s against the threads executor's at each chefs level (the most customers both ran).

At many chefs the threads also wait for the process-wide pantry lock. How much of their loss
that explains is shown from the same point with /pantry:unlocked when measured, else estimated
from pantry_wait_us_per_dish: by Little's law a dish is in preparation chefs / (dishes/s)
seconds, and the lock's share of that time is throughput the lock took.

The same rule runs again on the net rows (/io:net, and /reactor:io_uring), where each fetch is a
request and a reply over a loopback socket: io_net.py says whether the verdict changes with
real I/O and what share of each net row's time the pantry server used."""

from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple

from .. import openloop
from ..figures import IO_TIMER, chefs, customers, fmt, io_rows, num_label
from ..load import Results, Row
from ..stats import UNDECIDED as OPEN, WIN
from .cells import Cell, chefs_label, compare
from .common import (DEPENDS, FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict, combine,
                     cv_text, decided, pair_label, pairs)

IO_THROUGHPUT_RATIO = 1.10
"""The tie band of a chefs level: async wins it when the 95% interval of its median dishes/s
over the paired threads executor's lies wholly above this; wholly within 1/this to this is a
tie."""


def levels_of(results: Results, t: str, a: str,
              variant: str = IO_TIMER) -> Dict[int, Tuple[Row, Row]]:
    """Per chefs level, the (threads row, async row) at the most customers both ran, among the
    io profile's rows of one I/O variant (timer, net or net io_uring)."""
    cells: Dict[Tuple[int, int], Dict[str, Row]] = {}
    for r in io_rows(results, variant):
        if r.kind in (t, a):
            cells.setdefault((chefs(r), customers(r)), {})[r.kind] = r
    levels: Dict[int, Tuple[Row, Row]] = {}
    for (c, _), here in sorted(cells.items()):
        if t in here and a in here:
            levels[c] = (here[t], here[a])
    return levels


def lock_share(results: Results, t_row: Row, a_row: Row) -> Optional[str]:
    """How much of the threads' loss at this point the pantry lock explains, in words."""
    d_t, d_a = t_row.counters["dishes_per_s"], a_row.counters["dishes_per_s"]
    if d_a <= d_t:
        return None
    unlocked = next((r for r in results.family("kitchen")
                     if r.name == t_row.name + "/pantry:unlocked"), None)
    if unlocked is not None:
        share = (unlocked.counters["dishes_per_s"] - d_t) / (d_a - d_t)
        return (f"unlocked, {t_row.kind} reaches {fmt(unlocked.counters['dishes_per_s'])} "
                f"dishes/s: the lock explains {share * 100:.0f}% of the gap")
    wait = t_row.counters.get("pantry_wait_us_per_dish")
    if wait is None:
        return None
    in_preparation_us = min(chefs(t_row), customers(t_row)) / d_t * 1e6
    share_of_dish = min(wait / in_preparation_us, 0.99)
    without = d_t / (1 - share_of_dish)
    gap = min(max((without - d_t) / (d_a - d_t), 0.0), 1.0)
    return (f"{t_row.kind} waited {fmt(wait)} µs per dish for the pantry lock, "
            f"{share_of_dish * 100:.0f}% of a dish's time: about {gap * 100:.0f}% of the gap "
            "(estimate)")


def _word(outcomes: Sequence[str]) -> str:
    """Ahead (a win) at every chefs level holds; at none does not hold; at some, depends."""
    ahead = sum(o == WIN for o in outcomes)
    return HOLDS if ahead == len(outcomes) else DEPENDS if ahead else FAILS


def judge(levels, pair: Tuple[str, str], where: str = "") -> Tuple[Verdict, List[Cell]]:
    """The verdict over one pair's chefs levels (`where` names the I/O variant in each cell's
    level), and the cells it read."""
    cells = [compare(a_row, t_row, "dishes_per_s", IO_THROUGHPUT_RATIO, pair=pair,
                     level=where + chefs_label(c))
             for c, (t_row, a_row) in sorted(levels.items())]
    found = list(zip(sorted(levels), cells))
    ahead = ", ".join(num_label(c) for c, cell in found if cell.outcome == WIN)
    open_ = ", ".join(num_label(c) for c, cell in found if cell.outcome == OPEN)
    verdict = decided(cells, _word)
    if verdict.word == HOLDS:
        phrase = "async ahead at every chefs level"
    elif verdict.word == FAILS:
        phrase = "async not ahead at any chefs level"
    elif verdict.word == DEPENDS:
        phrase = (f"on the chefs: async ahead at {ahead} only" if not open_ else
                  f"on the chefs: async ahead at {ahead}, undecided at {open_}")
    else:
        phrase = f"undecided at {open_} chefs" + (f"; ahead at {ahead}" if ahead else "")
    detail = "; ".join(f"{chefs_label(c)}: async {cell.text()}" for c, cell in found)
    return replace(verdict, short=phrase, detail=detail), cells


def _knees(results: Results, row: TableRow) -> None:
    """Per io point swept open loop, per pair and arrival pattern both members were swept with:
    each one's sustainable load and its p99 knee (openloop.py; evidence only: the verdict above
    reads the closed batches). Any point will do, 100 chefs alone included."""
    for point, by_label in openloop.sustained(results).items():
        if point[0] != "io":
            continue
        series = {(s.executor, s.pattern): s for s in by_label.values()}
        patterns = sorted({p for _, p in series})
        for t, a in pairs(results):
            for pattern in patterns:
                if (t, pattern) not in series or (a, pattern) not in series:
                    continue
                found = [series[(e, pattern)] for e in (a, t)]
                arrivals = f" ({pattern} arrivals)" if pattern else ""
                said = "; ".join(
                    f"{s.executor} sustains {openloop.cell(s)}, {openloop.p99_knee_phrase(s)}"
                    for s in found)
                row.notes.append(
                    f"Open loop, {openloop.point_short(point)}{arrivals}, pooled p99 of the "
                    f"repetitions with its interval (REPORT.md's sustainable throughput and "
                    f"p99 knee): {said}.")
                for s in found:
                    row.used += [Used(r, "p99_ms", s.executor) for r in (s.knee, s.p99_knee.leaves)
                                 if r is not None]


def evaluate(results: Results) -> TableRow:
    row = TableRow("I/O-bound tasks", "io-bound-tasks", "well suited",
                   "less efficient (thread management overhead)",
                   "io profile, per pair and chefs level: async median dishes/s over threads', "
                   "a win when its interval is above IO_THROUGHPUT_RATIO", __name__)
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            levels = levels_of(results, t, a)
            if not levels:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            verdict, cells = judge(levels, (t, a))
            row.add(cells)
            parts.append((f"{a} vs {t}", verdict))
            top = max(levels)
            t_row, a_row = levels[top]
            for c, (tr, ar) in sorted(levels.items()):
                row.used += [Used(tr, "dishes_per_s", t), Used(ar, "dishes_per_s", a)]
            share = lock_share(results, t_row, a_row)
            if share:
                row.notes.append(f"At {num_label(top)} chefs, {share} (`{t_row.name}`).")
                for r in (t_row, a_row):
                    if "pantry_wait_us_per_dish" in r.counters:
                        row.used.append(Used(r, "pantry_wait_us_per_dish", r.kind))
            if not row.measured:
                row.measured = (f"{num_label(top)} chefs: {a} {fmt(a_row.counters['dishes_per_s'])}"
                                f"/s ({cv_text(a_row, 'dishes_per_s')}); {t} "
                                f"{fmt(t_row.counters['dishes_per_s'])}/s "
                                f"({cv_text(t_row, 'dishes_per_s')})")
    _knees(results, row)
    row.verdict = combine(parts, "the pair") if parts else Verdict(
        UNMEASURED, "no io point with both members of a pair")
    # Imported here: io_net reads this module's rule.
    from . import io_net
    io_net.add(results, row)
    return row

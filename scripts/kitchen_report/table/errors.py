"""Error handling. The claim: async is "easier to reason about", threads "trickier (race
conditions)". Per catalogue pair: first, does every order come back exactly once when
ingredients run out (served + failed + cancelled = customers, in every row with failures)?
An executor that loses or double-counts orders decides the verdict. When both account for
every order, the time from the first failure until the last cooking chef stopped (fail-fast
cancel_ms) is compared within the pair: a proxy for how easy stopping is, not a measure of
reasoning. The teardown after it (teardown_ms: waking every idle thread and joining it, or
draining the loop) is quoted beside it, not compared, so that a reader sees how much of the
thread side's cost is noticing the stop and how much is ending the threads."""

from dataclasses import replace
from typing import Optional, Tuple

from ..figures import fmt, kitchen
from ..load import Results, Row
from ..stats import WIN
from .cells import compare
from .common import (FAILS, HOLDS, UNDECIDED, UNMEASURED, TableRow, Used, Verdict, combine,
                     decided, pair_label, pairs)

CANCEL_RATIO = 2.0
"""The tie band of the cancel times: async stops sooner after the first failure when the 95%
interval of the threads' median cancel time over its own lies wholly above this."""

LOST_ORDERS = 0.5
"""An executor loses (or double-counts) orders when served + failed + cancelled is this far or
more from the customers of a row (counters are means over a run's iterations)."""


def injected(r: Row) -> bool:
    return (((r.param("fail_rate") or 0) > 0 or r.counters.get("failed", 0) > 0)
            and "served" in r.counters and "failed" in r.counters)


def fail_fast(r: Row) -> bool:
    return "fail_fast" in r.flags and "cancel_ms" in r.counters


def _missing(r: Row) -> float:
    c = r.counters
    return c["customers"] - c["served"] - c["failed"] - c.get("cancelled", 0.0)


def worst_account(results: Results, executor: str) -> Optional[Tuple[float, Row]]:
    rows = [r for r in kitchen(results) if r.kind == executor and injected(r)]
    return max(((_missing(r), r) for r in rows), key=lambda m: abs(m[0]), default=None)


def _account(executor: str, missing: float, r: Row) -> str:
    c = r.counters
    sums = (f"{fmt(c['served'])} + {fmt(c['failed'])} + {fmt(c.get('cancelled', 0))} of "
            f"{fmt(c['customers'])}")
    what = "lost" if missing > 0 else "counted twice"
    return f"{executor} {sums} ({fmt(abs(missing))} {what})"


POINT = ("fail-fast rows: the point both sides ran (the same name but for the executor) with "
         "the most customers, then the most chefs")


def cancel_point(results: Results, t: str, a: str) -> Optional[Tuple[Row, Row]]:
    """(threads row, async row) of fail-fast at one point, by POINT's rule."""
    found = {}
    for r in kitchen(results):
        if r.kind in (t, a) and fail_fast(r):
            found.setdefault(r.name.split("/", 2)[2], {})[r.kind] = r
    both = [(rows[t], rows[a]) for rows in found.values() if t in rows and a in rows]
    return max(both, key=lambda p: (p[0].counters["customers"], p[0].counters["chefs"],
                                    p[0].name), default=None)


def stop_text(r: Row) -> str:
    """'0.12 ms to stop + 0.40 ms teardown': cancel_ms ends when the last cooking chef noticed
    the stop; the teardown (waking and joining every thread, draining the loop) is apart."""
    text = f"{fmt(r.counters['cancel_ms'])} ms to stop"
    if "teardown_ms" in r.counters:
        text += f" + {fmt(r.counters['teardown_ms'])} ms teardown"
    return text


def _pair(results: Results, row: TableRow, t: str, a: str) -> Optional[Verdict]:
    worst = {e: worst_account(results, e) for e in (t, a)}
    if None in worst.values():
        return None
    bad = {e: w for e, w in worst.items() if w is not None and abs(w[0]) >= LOST_ORDERS}
    for e, w in worst.items():
        if w is not None:
            row.used.append(Used(w[1], "served", e))
    if bad:
        detail = "; ".join(_account(e, *bad[e]) for e in (a, t) if e in bad)
        if not row.measured:
            row.measured = detail
        if len(bad) == 2:
            return Verdict(FAILS, "both sides lost or double-counted orders", detail)
        if a in bad:
            return Verdict(FAILS, f"{a} lost or double-counted orders", detail)
        return Verdict(HOLDS, f"{t} lost or double-counted orders; {a} none", detail)
    point = cancel_point(results, t, a)
    if point is None:
        return Verdict(FAILS, "both account for every order; no cancel times",
                       "no fail-fast rows of both at one point to compare")
    t_row, a_row = point
    row.used += [Used(a_row, "cancel_ms", a), Used(t_row, "cancel_ms", t)]
    cell = compare(a_row, t_row, "cancel_ms", CANCEL_RATIO, higher_is_better=False,
                   pair=(t, a), level="fail-fast")
    row.add([cell])
    times_ = f"{a} {stop_text(a_row)}, {t} {stop_text(t_row)}"
    if not row.measured:
        row.measured = f"every order accounted for; cancel (proxy): {times_}"
    verdict = replace(decided([cell], lambda o: HOLDS if o[0] == WIN else FAILS),
                      detail=f"{times_}; async sooner by {cell.text()}")
    sooner = cell.text().split(" (", 1)[0]
    if verdict.word == UNDECIDED:
        return replace(verdict, short="cancel-time proxy: undecided, its interval reaches the band")
    if verdict.word == HOLDS:
        return replace(verdict, short=f"cancel-time proxy: async stops {sooner} sooner")
    return replace(verdict, short="cancel-time proxy: async not sooner")


def evaluate(results: Results) -> TableRow:
    row = TableRow("Error handling", "error-handling", "easier to reason about",
                   "trickier (race conditions)",
                   "per pair: an executor losing orders (LOST_ORDERS) decides; else fail-fast "
                   "cancel time, async sooner by CANCEL_RATIO (a proxy)", __name__)
    row.point = POINT
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            verdict = _pair(results, row, t, a)
            if verdict is not None:
                row.pairs.append(pair_label(results, (t, a)))
                parts.append((f"{a} vs {t}", verdict))
    row.verdict = combine(parts, "the pair") if parts else Verdict(
        UNMEASURED, "no failure injection for both members of a pair")
    return row

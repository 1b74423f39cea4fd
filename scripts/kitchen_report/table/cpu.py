"""CPU-bound tasks. The article: async is "not ideal (context-switch overhead)", threads have
"limited benefit due to the GIL". Throughput on the cpu profile is compared with the baseline
of the same language, customers and GIL mode (the `baseline` side of the catalogue, one order
after another), or with the executor's own 1-chef row where the language has no baseline.

An event loop that cooks on one thread cannot gain from more chefs: that half of the claim
holds by construction, and what is measured is its cost against the baseline. The threads half
is measured: the paired threads executor's best gain, with and without the GIL."""

from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..figures import chefs, customers, kitchen, num_label, times
from ..load import Results, Row
from ..stats import WIN
from .cells import Cell, chefs_label, compare
from .common import (BY_CONSTRUCTION, DEPENDS, FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict,
                     combine, decided, pair_label, pairs)

CPU_SPEEDUP_PARALLEL = 1.5
"""The tie band of a gain: dishes/s with more chefs over the baseline's is a real parallel
gain when its 95% interval lies wholly above this; within 1/this to this, or below, a limited
one."""

SINGLE_THREADED_MAX = 1
"""A loop that cooked on at most this many threads cannot gain from chefs (by construction)."""


def _base(results: Results, row: Row) -> Optional[Row]:
    """The baseline row for `row`: same language, customers and GIL mode."""
    c = results.catalogue
    for r in kitchen(results, profile="cpu", sweep_only=True):
        if (c.side(r.kind) == "baseline" and c.language(r.kind) == c.language(row.kind)
                and customers(r) == customers(row) and r.gil == row.gil):
            return r
    for r in kitchen(results, profile="cpu", sweep_only=True):
        if r.kind == row.kind and chefs(r) == 1 and customers(r) == customers(row) \
                and r.gil == row.gil:
            return r
    return None


def gains(results: Results, executor: str, gil: bool) -> List[Tuple[Row, Row, float]]:
    """(row, its baseline, dishes/s ratio) of every cpu row of `executor` with a baseline (the
    1-chef row that is its own baseline included, at 1.00x)."""
    found = []
    for r in kitchen(results, profile="cpu", gil=gil, sweep_only=True):
        if r.kind != executor:
            continue
        base = _base(results, r)
        if base is not None and base.counters["dishes_per_s"] > 0:
            found.append((r, base, r.counters["dishes_per_s"] / base.counters["dishes_per_s"]))
    return sorted(found, key=lambda g: (customers(g[0]), chefs(g[0])))


def _base_name(results: Results, base: Row) -> str:
    return base.kind if results.catalogue.side(base.kind) == "baseline" else "its 1 chef"


def _level(results: Results, r: Row, base: Row) -> str:
    """'2 chefs, 100 customers, GIL, over serial'."""
    return (f"{chefs_label(chefs(r))}, {num_label(customers(r))} customers"
            + (", GIL" if r.gil else "") + f", over {_base_name(results, base)}")


def _cells(results: Results, found, pair: Tuple[str, str]) -> List[Cell]:
    """A cell per row with a baseline other than itself: its dishes/s over the baseline's."""
    return [compare(r, base, "dishes_per_s", CPU_SPEEDUP_PARALLEL, pair=pair,
                    level=_level(results, r, base))
            for r, base, _ in found if r is not base]


def _best(cells: Sequence[Cell], r: Row) -> str:
    """': 1.92x (95% CI ...): win', the cell of the best row, when it has one."""
    cell = next((c for c in cells if c.rows[0] == r.name), None)
    return f": {cell.text()}" if cell else ""


def _gain_word(outcomes: Sequence[str]) -> str:
    """A real parallel gain (a win) at any level means the benefit is not limited."""
    return FAILS if WIN in outcomes else HOLDS


def _async_half(results: Results, row: TableRow, pair: Tuple[str, str]):
    a = pair[1]
    found = gains(results, a, gil=False)
    if not found:
        return None
    r, base, ratio = max(found, key=lambda g: g[2])
    row.used += [Used(r, "dishes_per_s", a), Used(base, "dishes_per_s", "baseline")]
    cells = _cells(results, found, pair)
    row.add(cells)
    threads = max(g[0].counters.get("cooking_threads", 2) for g in found)
    against = f"{a} {times(ratio)} {_base_name(results, base)}"
    evidence = f"{a} at {_level(results, r, base)}{_best(cells, r) or ': ' + times(ratio)}"
    if threads <= SINGLE_THREADED_MAX:
        return Verdict(BY_CONSTRUCTION, "a one-thread loop cannot gain from chefs",
                       f"{a} cooked on one thread; at best {evidence}"), against
    verdict = decided(cells, _gain_word)
    return replace(verdict, short=f"{a} gained {times(ratio)}", detail=evidence), against


def _threads_half(results: Results, row: TableRow, pair: Tuple[str, str]):
    t = pair[0]
    parts, texts = [], []
    for gil in (False, True):
        found = [g for g in gains(results, t, gil) if chefs(g[0]) > 1]
        if not found:
            continue
        r, base, ratio = max(found, key=lambda g: g[2])
        row.used += [Used(r, "dishes_per_s", t), Used(base, "dishes_per_s", "baseline")]
        cells = _cells(results, found, pair)
        row.add(cells)
        # CPython always runs with its GIL; the C++ emulation marks its rows with /gil.
        cpython = results.catalogue.language(t) == "CPython"
        scope = "CPython" if cpython else "C++ with the GIL" if gil else "C++ without a GIL"
        text = f"{times(ratio)} {_base_name(results, base)} at {chefs(r)} chefs"
        texts.append(f"{t} {text}" if not gil else f"{times(ratio)} with the GIL")
        verdict = decided(cells, _gain_word)
        parts.append((scope, replace(verdict, detail=f"{t} at {_level(results, r, base)}"
                                     f"{_best(cells, r) or ': ' + times(ratio)}")))
    return (combine(parts, "the GIL") if parts else None), texts


def evaluate(results: Results) -> TableRow:
    row = TableRow("CPU-bound tasks", "cpu-bound-tasks", "not ideal (context-switch overhead)",
                   "limited benefit due to the GIL",
                   "cpu profile, per pair: dishes/s over the baseline; threads gain when its "
                   "interval is above CPU_SPEEDUP_PARALLEL; a loop on SINGLE_THREADED_MAX "
                   "thread cannot",
                   __name__)
    halves = {}
    headline = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            got_a = None if f"async {a}" in halves else _async_half(results, row, (t, a))
            got_t = ((None, []) if f"threads {t}" in halves
                     else _threads_half(results, row, (t, a)))
            if got_a is None and got_t[0] is None:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            if got_a is not None:
                halves[f"async {a}"] = got_a[0]
            if got_t[0] is not None:
                halves[f"threads {t}"] = got_t[0]
            if not headline:
                headline = ([got_a[1]] if got_a else []) + [", ".join(got_t[1])]
    if not halves:
        row.verdict = Verdict(UNMEASURED, "no cpu rows with a baseline")
        return row
    row.measured = "; ".join(h for h in headline if h)
    verdict = combine(list(halves.items()), "the side and the GIL")
    by_side = {}
    for label, v in halves.items():
        by_side.setdefault(label.split()[0], []).append((label, v))
    summary = "; ".join(f"{side} {combine(parts, 'the executor').word}"
                        for side, parts in by_side.items())
    on_gil = any(v.word == DEPENDS for label, v in halves.items() if label.startswith("threads"))
    row.verdict = replace(verdict, short=summary + (" (on the GIL)" if on_gil else ""))
    return row

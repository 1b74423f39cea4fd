"""CPU-bound tasks. The claim: async is "not ideal (context-switch overhead)", threads have
"limited benefit due to the GIL". Throughput on the cpu profile is compared with the baseline
of the same language, customers and GIL mode (the `baseline` side of the catalogue, one order
after another), or with the executor's own 1-chef row where the language has no baseline.

An event loop that cooks on one thread cannot gain from more chefs: that half of the claim
holds by construction, and what is measured is its cost against the baseline. The threads half
is measured: the paired threads executor's best gain, with and without the GIL.

Beside the threads under the GIL, the article's remedy: an executor of the catalogue's
`processes` side (a pool of worker processes, each with its own GIL) over serial CPython, the
1-chef row of the threads executor it names as its pair, at the same point rule. Its cell is
evidence kept with the row's (verdicts.json); the claim's word is the threads' and the async
side's."""

from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..figures import chefs, customers, kitchen, num_label, times
from ..load import Results, Row
from ..provenance import usable_cores
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


def _rows(results: Results, profile: str = "cpu") -> List[Row]:
    """The plain sweep's rows of a profile at its own costs: rows whose costs are named
    (/io_us:I/cpu_us:W, a sweep of costs such as the processes crossover) are left out, since
    a row is compared with others at its customers, not at its costs."""
    return [r for r in kitchen(results, profile=profile, sweep_only=True)
            if "cpu_us" not in r.params and "io_us" not in r.params]


def _base(results: Results, row: Row) -> Optional[Row]:
    """The baseline row for `row`: same language, customers and GIL mode (a baseline cooks one
    order after another whatever its chefs: its row with the fewest chefs)."""
    c = results.catalogue
    found = [r for r in _rows(results)
             if c.side(r.kind) == "baseline" and c.language(r.kind) == c.language(row.kind)
             and customers(r) == customers(row) and r.gil == row.gil]
    if found:
        return min(found, key=lambda r: (chefs(r), r.name))
    for r in _rows(results):
        if r.kind == row.kind and chefs(r) == 1 and customers(r) == customers(row) \
                and r.gil == row.gil:
            return r
    return None


def gains(results: Results, executor: str, gil: bool) -> List[Tuple[Row, Row, float]]:
    """(row, its baseline, dishes/s ratio) of every cpu row of `executor` with a baseline (the
    1-chef row that is its own baseline included, at 1.00x)."""
    found = []
    for r in _rows(results):
        if r.kind != executor or r.gil != gil:
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


POINT = ("each half at one point of the cpu profile, a row against its baseline at the same "
         "customers and GIL mode: the most customers the threads executor ran with more than 1 "
         "chef, and there the most chefs no more than the usable cores (else the fewest above); "
         "the async executor at that same point (else by the same rule); with the GIL by the "
         "same rule, its customers named when they differ")


def choose(found: List[Tuple[Row, Row, float]], cores: Optional[int],
           at: Optional[Tuple[int, int]] = None) -> Optional[Tuple[Row, Row, float]]:
    """The gain POINT reads: the row at `at` (chefs, customers) when there is one, else among
    the rows with more than 1 chef (all rows when none has), the most customers, then the most
    chefs no more than `cores` (the fewest above when none is)."""
    if at is not None:
        same = [g for g in found if (chefs(g[0]), customers(g[0])) == at]
        if same:
            return same[0]
    several = [g for g in found if chefs(g[0]) > 1] or list(found)
    if not several:
        return None
    n = max(customers(g[0]) for g in several)
    here = [g for g in several if customers(g[0]) == n]
    within = [g for g in here if cores is None or chefs(g[0]) <= cores]
    if within:
        return max(within, key=lambda g: chefs(g[0]))
    return min(here, key=lambda g: chefs(g[0]))


def _at(cells: Sequence[Cell], r: Row) -> str:
    """': 1.92x (95% CI ...): win', the cell of the chosen row, when it has one."""
    cell = next((c for c in cells if c.rows[0] == r.name), None)
    return f": {cell.text()}" if cell else ""


def _gain_word(outcomes: Sequence[str]) -> str:
    """A real parallel gain (a win) at any level means the benefit is not limited."""
    return FAILS if WIN in outcomes else HOLDS


def _point(r: Row) -> Tuple[int, int]:
    return chefs(r), customers(r)


def _async_half(results: Results, row: TableRow, pair: Tuple[str, str],
                at: Optional[Tuple[int, int]]):
    a = pair[1]
    found = gains(results, a, gil=False)
    if not found:
        return None
    r, base, ratio = choose(found, usable_cores(results), at)
    row.used += [Used(r, "dishes_per_s", a), Used(base, "dishes_per_s", "baseline")]
    cells = _cells(results, found, pair)
    row.add(cells)
    threads = max(g[0].counters.get("cooking_threads", 2) for g in found)
    evidence = f"{a} at {_level(results, r, base)}{_at(cells, r) or ': ' + times(ratio)}"
    said = (r, f"{a} {times(ratio)} {_base_name(results, base)}")
    if threads <= SINGLE_THREADED_MAX:
        return Verdict(BY_CONSTRUCTION, "a one-thread loop cannot gain from chefs",
                       f"{a} cooked on one thread; {evidence}"), said
    verdict = decided(cells, _gain_word)
    return replace(verdict, short=f"{a} gained {times(ratio)}", detail=evidence), said


def _threads_half(results: Results, row: TableRow, pair: Tuple[str, str]):
    """(verdict, [(row, words)] without then with the GIL) of the threads executor."""
    t = pair[0]
    parts, said = [], []
    for gil in (False, True):
        found = [g for g in gains(results, t, gil) if chefs(g[0]) > 1]
        if not found:
            continue
        r, base, ratio = choose(found, usable_cores(results))
        row.used += [Used(r, "dishes_per_s", t), Used(base, "dishes_per_s", "baseline")]
        cells = _cells(results, found, pair)
        row.add(cells)
        # CPython always runs with its GIL; the C++ emulation marks its rows with /gil.
        cpython = results.catalogue.language(t) == "CPython"
        scope = "CPython" if cpython else "C++ with the GIL" if gil else "C++ without a GIL"
        said.append((r, f"{times(ratio)} {_base_name(results, base)}"))
        verdict = decided(cells, _gain_word)
        parts.append((scope, replace(verdict, detail=f"{t} at {_level(results, r, base)}"
                                     f"{_at(cells, r) or ': ' + times(ratio)}")))
    return (combine(parts, "the GIL") if parts else None), said


def process_gains(results: Results, executor: str,
                  profile: str = "cpu") -> List[Tuple[Row, Row, float]]:
    """(row, serial row, dishes/s ratio) of every row of a processes-side `executor` with more
    than 1 chef on `profile`: serial is its paired threads executor's 1-chef row at the same
    customers (one order after another on one thread, nothing pickled)."""
    c = results.catalogue
    serial = c.get(executor).pair if c.get(executor) else ""
    rows = _rows(results, profile)
    found = []
    for r in rows:
        if r.kind != executor or chefs(r) <= 1:
            continue
        base = next((b for b in rows if b.kind == serial and chefs(b) == 1
                     and customers(b) == customers(r) and b.gil == r.gil), None)
        if base is not None and base.counters["dishes_per_s"] > 0:
            found.append((r, base, r.counters["dishes_per_s"] / base.counters["dishes_per_s"]))
    return sorted(found, key=lambda g: (customers(g[0]), chefs(g[0])))


def process_cell(results: Results, executor: str, band: float,
                 profile: str = "cpu") -> Optional[Tuple[Cell, Row, Row]]:
    """The cell of a processes-side executor over serial CPython on `profile`, at the point
    choose() reads (the usable cores at the most customers), or None when not measured."""
    got = choose(process_gains(results, executor, profile), usable_cores(results))
    if got is None:
        return None
    r, base, _ = got
    level = (f"{chefs_label(chefs(r))}, {num_label(customers(r))} customers, over {base.kind} "
             "at 1 chef")
    return compare(r, base, "dishes_per_s", band, pair=(executor, base.kind), level=level), r, base


def _processes(results: Results, row: TableRow) -> List[str]:
    """The processes cells beside the threads' under the GIL: kept with the row's cells, told
    in its notes; the headline's words for each."""
    said = []
    for e in results.catalogue:
        if e.side != "processes":
            continue
        got = process_cell(results, e.name, CPU_SPEEDUP_PARALLEL)
        if got is None:
            continue
        cell, r, base = got
        row.add([cell])
        row.used += [Used(r, "dishes_per_s", e.name), Used(base, "dishes_per_s", "serial")]
        # The threads' cell at the same point, when the row has one.
        same = {(g[0].name, g[1].name) for g in gains(results, base.kind, r.gil)
                if _point(g[0]) == _point(r)}
        beside = next((c for c in row.cells if c.rows in same), None)
        threads = f"; {base.kind} at {beside.level}: {beside.text()}" if beside else ""
        row.notes.append(f"The article's remedy, processes: {e.name} at {cell.level}: "
                         f"{cell.text()}{threads}.")
        said.append(f"{e.name} {times(cell.ratio)} serial at "
                    f"{num_label(chefs(r))} chefs")
    return said


def _headline(t: str, a: str, got_a, said_t) -> str:
    """'2 chefs, 100 customers: asio_coro 0.98x serial, threads_pool 1.92x serial; with the GIL
    (20 customers): 1.01x', every figure at the point it was read."""
    def at(r: Row) -> str:
        return f"{num_label(chefs(r))} chefs, {num_label(customers(r))} customers"
    figures = ([got_a[1]] if got_a else []) + [s for s in said_t if not s[0].gil]
    gil = [s for s in said_t if s[0].gil]
    if not figures and not gil:
        return ""
    text = ""
    if figures:
        points = {_point(r) for r, _ in figures}
        if len(points) == 1:
            text = f"{at(figures[0][0])}: " + ", ".join(
                w if r.kind == a else f"{t} {w}" for r, w in figures)
        else:
            text = "; ".join(f"{w if r.kind == a else t + ' ' + w} at {at(r)}"
                             for r, w in figures)
    for r, w in gil:
        same = figures and _point(r) == _point(figures[-1][0])
        gil_text = f"with the GIL {t} {w}" + ("" if same else f" at {at(r)}")
        text = f"{text}; {gil_text}" if text else gil_text
    return text


def evaluate(results: Results) -> TableRow:
    row = TableRow("CPU-bound tasks", "cpu-bound-tasks", "not ideal (context-switch overhead)",
                   "limited benefit due to the GIL",
                   "cpu profile, per pair: dishes/s over the baseline; threads gain when its "
                   "interval is above CPU_SPEEDUP_PARALLEL; a loop on SINGLE_THREADED_MAX "
                   "thread cannot",
                   __name__)
    row.point = POINT
    halves = {}
    headline = ""
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            got_t = ((None, []) if f"threads {t}" in halves
                     else _threads_half(results, row, (t, a)))
            plain = [r for r, _ in got_t[1] if not r.gil]
            at = _point(plain[0]) if plain else None
            got_a = None if f"async {a}" in halves else _async_half(results, row, (t, a), at)
            if got_a is None and got_t[0] is None:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            if got_a is not None:
                halves[f"async {a}"] = got_a[0]
            if got_t[0] is not None:
                halves[f"threads {t}"] = got_t[0]
            if not headline:
                headline = _headline(t, a, got_a, got_t[1])
    remedy = _processes(results, row)
    if not halves:
        row.verdict = Verdict(UNMEASURED, "no cpu rows with a baseline")
        return row
    row.measured = "; ".join([headline] + remedy) if headline else "; ".join(remedy)
    verdict = combine(list(halves.items()), "the side and the GIL")
    by_side = {}
    for label, v in halves.items():
        by_side.setdefault(label.split()[0], []).append((label, v))
    summary = "; ".join(f"{side} {combine(parts, 'the executor').word}"
                        for side, parts in by_side.items())
    on_gil = any(v.word == DEPENDS for label, v in halves.items() if label.startswith("threads"))
    row.verdict = replace(verdict, short=summary + (" (on the GIL)" if on_gil else ""))
    return row

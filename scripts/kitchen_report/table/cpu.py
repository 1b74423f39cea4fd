"""CPU-bound tasks. The claim: async is "not ideal (context-switch overhead)", threads have
"limited benefit due to the GIL". Throughput on the cpu profile is compared with the baseline
of the same language, customers and GIL mode (the `baseline` side of the catalogue, one order
after another), or with the executor's own 1-chef row where the language has no baseline.

Both halves are measured. The async half: the paired async executor's dishes/s over the
baseline at each chefs level (a gain beyond the tie band anywhere: the claim does not hold),
and the claim's reason, the loop's own cost per dish: its us_per_dish on the overhead profile,
where a dish has nothing to wait for or compute, less the baseline's there, as a share of a cpu
dish's time (the baseline's). Where the loop does not gain but that share is too small to be
the reason (below LOOP_OVERHEAD_SHARE), the word is "holds for another reason", and the row
names what the data show instead: a loop that cooked on one thread cannot use a second core
(by construction, said beside the measurement, never a word alone). The threads half: the
paired threads executor's best gain, with and without the GIL.

Beside the threads under the GIL, the article's remedy: an executor of the catalogue's
`processes` side (a pool of worker processes, each with its own GIL) over serial CPython, the
1-chef row of the threads executor it names as its pair, at the same point rule. Its cell is
evidence kept with the row's (verdicts.json); the claim's word is the threads' and the async
side's."""

from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..figures import chefs, customers, fmt, kitchen, num_label, times
from ..load import Results, Row
from ..provenance import usable_cores
from ..stats import WIN
from .cells import Cell, chefs_label, compare
from .cells import settled
from .common import (DEPENDS, FAILS, HOLDS, OTHER_REASON, UNDECIDED, UNMEASURED, TableRow, Used,
                     Verdict, combine, could_text, decided, pair_label, pairs)

CPU_SPEEDUP_PARALLEL = 1.5
"""The tie band of a gain: dishes/s with more chefs over the baseline's is a real parallel
gain when its 95% interval lies wholly above this; within 1/this to this, or below, a limited
one."""

SINGLE_THREADED_MAX = 1
"""A loop that cooked on at most this many threads cannot gain from chefs (by construction:
said beside the measured words, never deciding one)."""

LOOP_OVERHEAD_SHARE = CPU_SPEEDUP_PARALLEL - 1
"""The claim's reason, the loop's switching overhead, is what keeps it from being ideal when its
own cost per dish (overhead profile, less the baseline's) is at least this share of a cpu dish:
then the overhead alone would put the loop on one thread below 1/CPU_SPEEDUP_PARALLEL of the
baseline, outside the tie band. Read from the repetitions' spread (min to max, each side): it
is the reason when even the smallest overhead reaches it, not the reason when even the largest
stays below, else undecided."""


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


US = "us_per_dish"


def _overhead_rows(results: Results, a: str, pair: Tuple[str, str],
                   near: int) -> Optional[Tuple[Row, Row]]:
    """(the async executor's overhead-profile row, the baseline's at the same customers): the
    language's baseline executor (its fewest chefs) when it ran there, else the paired threads
    executor's 1-chef row (one order after another on one thread). At the most customers such
    a pair exists, the async row with chefs nearest `near` (the fewer on a tie)."""
    c = results.catalogue
    rows = [r for r in _rows(results, "overhead") if not r.gil and US in r.counters]
    found = []
    for r in rows:
        if r.kind != a:
            continue
        bases = [b for b in rows if customers(b) == customers(r)
                 and ((c.side(b.kind) == "baseline" and c.language(b.kind) == c.language(a))
                      or (b.kind == pair[0] and chefs(b) == 1))]
        if bases:
            base = min(bases, key=lambda b: (c.side(b.kind) != "baseline", chefs(b), b.name))
            found.append((r, base))
    if not found:
        return None
    most = max(customers(r) for r, _ in found)
    return min((g for g in found if customers(g[0]) == most),
               key=lambda g: (abs(chefs(g[0]) - near), chefs(g[0])))


def _reason(results: Results, row: TableRow, a: str, pair: Tuple[str, str], r: Row,
            base: Row) -> Tuple[Tuple[str, ...], str, Optional[float]]:
    """The words the claim's reason allows (HOLDS: the loop's overhead is a large enough share
    of a cpu dish; OTHER_REASON: too small; both while the spread reaches across
    LOOP_OVERHEAD_SHARE; HOLDS alone, unconfirmed, when not measured), the evidence, and the
    share (None when not measured)."""
    got = _overhead_rows(results, a, pair, chefs(r))
    dish = base.counters["dishes_per_s"]
    if got is None or dish <= 0:
        return ((HOLDS,), "the loop's overhead per dish is not measured (no overhead profile "
                "rows): the reason is not confirmed", None)
    loop, serial = got
    row.used += [Used(loop, US, f"{a}, overhead profile"),
                 Used(serial, US, f"{serial.kind}, overhead profile"),
                 Used(base, "dishes_per_s", "a cpu dish")]
    dish_lo, dish_hi = (1e6 / x for x in reversed(base.spread("dishes_per_s")))
    loop_lo, loop_hi = loop.spread(US)
    serial_lo, serial_hi = serial.spread(US)
    share = (loop.counters[US] - serial.counters[US]) / (1e6 / dish)
    least = (loop_lo - serial_hi) / dish_hi
    most = (loop_hi - serial_lo) / dish_lo
    words = ((HOLDS,) if least >= LOOP_OVERHEAD_SHARE else
             (OTHER_REASON,) if most < LOOP_OVERHEAD_SHARE else (HOLDS, OTHER_REASON))
    said = (f"the loop's overhead: {a} {fmt(loop.counters[US])} µs per dish on the overhead "
            f"profile ({chefs_label(chefs(loop))}, {num_label(customers(loop))} customers), "
            f"{serial.kind} {fmt(serial.counters[US])} µs ({chefs_label(chefs(serial))}): "
            f"{_percent(share)} of a cpu dish ({fmt(1e6 / dish)} µs, {base.kind}; repetitions "
            f"{_percent(least)} to {_percent(most)}; the reason when at least "
            f"{_percent(LOOP_OVERHEAD_SHARE)})")
    return words, said, share


def _percent(x: float) -> str:
    """'0.21%', '48%'."""
    return f"{x * 100:.2g}%" if abs(x) < 0.1 else f"{x * 100:.0f}%"


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
    reasons, reason_text, share = _reason(results, row, a, pair, r, base)
    # Gained beyond the band anywhere: the claim does not hold, whatever the overhead; else
    # the reason decides between holds and holds for another reason.
    words = set()
    for gained in settled(cells, _gain_word) if cells else {HOLDS}:
        words |= {FAILS} if gained == FAILS else set(reasons)
    one_thread = (f"; {a} cooked on one thread: it cannot use a second core (by construction)"
                  if threads <= SINGLE_THREADED_MAX else f"; {a} cooked on up to "
                  f"{fmt(threads)} threads")
    detail = f"{evidence}; {reason_text}{one_thread}"
    if len(words) != 1:
        could = tuple(sorted(words))
        return Verdict(UNDECIDED, could_text(could), detail, could), said
    word = words.pop()
    switching = "" if share is None else f"; switching {_percent(share)} of a dish"
    short = {FAILS: f"{a} gained {times(ratio)}",
             HOLDS: f"{a} {times(ratio)}" + (switching or "; overhead not measured"),
             OTHER_REASON: ("one thread cooks" if threads <= SINGLE_THREADED_MAX
                            else f"{a} {times(ratio)}") + switching}[word]
    return Verdict(word, short, detail), said


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


def _as_holds(v: Verdict) -> Verdict:
    """A verdict with OTHER_REASON read as HOLDS, in its word and in the words it could be."""
    def plain(w: str) -> str:
        return HOLDS if w == OTHER_REASON else w
    return replace(v, word=plain(v.word), could=tuple(sorted({plain(w) for w in v.could})))


def _combined(parts, on: str) -> Verdict:
    """combine() over the halves, where holding for another reason agrees with holding: the
    claim's word is the same; the whole holds for another reason when it holds and some part
    only for another reason."""
    verdict = replace(combine([(label, _as_holds(v)) for label, v in parts], on),
                      detail=combine(parts, on).detail)
    surely = any(v.word == OTHER_REASON for _, v in parts)
    maybe = surely or any(OTHER_REASON in v.could for _, v in parts)
    if verdict.word == HOLDS and surely:
        return replace(verdict, word=OTHER_REASON)
    if verdict.word == HOLDS and maybe:
        could = (HOLDS, OTHER_REASON)
        return replace(verdict, word=UNDECIDED, short=could_text(could), could=could)
    if verdict.word == UNDECIDED and maybe and HOLDS in verdict.could:
        could = tuple(sorted(set(verdict.could) | {OTHER_REASON}
                             - ({HOLDS} if surely else set())))
        return replace(verdict, short=could_text(could), could=could)
    return verdict


def evaluate(results: Results) -> TableRow:
    row = TableRow("CPU-bound tasks", "cpu-bound-tasks", "not ideal (context-switch overhead)",
                   "limited benefit due to the GIL",
                   "cpu profile, per pair: dishes/s over the baseline, a gain when its "
                   "interval is above CPU_SPEEDUP_PARALLEL; the loop's overhead per dish "
                   "(overhead profile) is the claim's reason from LOOP_OVERHEAD_SHARE of a "
                   "cpu dish",
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
    verdict = _combined(list(halves.items()), "the side and the GIL")
    by_side = {}
    for label, v in halves.items():
        by_side.setdefault(label.split()[0], []).append((label, v))
    summary = "; ".join(f"{side} {_combined(parts, 'the executor').word}"
                        for side, parts in by_side.items())
    for label, v in halves.items():
        if v.word == OTHER_REASON:
            row.notes.append(f"The claim's word holds for {label}, but not for its reason "
                             f"(context-switch overhead): {v.detail}.")
    on_gil = any(v.word == DEPENDS for label, v in halves.items() if label.startswith("threads"))
    row.verdict = replace(verdict, short=summary + (" (on the GIL)" if on_gil else ""))
    return row

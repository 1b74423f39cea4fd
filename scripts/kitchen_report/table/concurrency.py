"""Concurrency model. The claim: async is "single-threaded, event loop driven", threads are
"multi-threaded". Judged per catalogue pair from the measured cooking_threads (distinct OS
threads that ran a cooking step) at more than one chef; os_threads (peak live threads, the main
thread included) is quoted beside it.

Both sides are read at one point: the row both ran (the same name but for the executor) with the
most chefs, then the most customers, rows of the plain sweep first, io first (POINT). There the
threads executor must cook on more than one thread; the async executor on at most one there and at
every other point both ran, since one row on two threads is enough to say it is not
single-threaded."""

from typing import Dict, Optional, Tuple

from ..figures import chefs, customers, fmt, is_sweep_row, kitchen, num_label, profile_key
from ..load import Results, Row
from .common import (FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict, combine, pair_label,
                     pairs)

SINGLE_THREADED_MAX = 1
"""An executor whose cooking ran on at most this many distinct OS threads is single-threaded."""

POINT = ("the row both sides ran (its name the same but for the executor) with the most chefs, "
         "then the most customers, plain sweep rows first, then profiles in the order io, "
         "mixed, cpu, overhead; the async side is also read at every other such row")


def where(r: Row) -> str:
    """A row's point: its name without the family and the executor."""
    return r.name.split("/", 2)[2]


def point_label(r: Row) -> str:
    """'io, 1,000 chefs, 10,000 customers' (with the name's other segments after it)."""
    rest = [s for s in where(r).split("/")[1:]
            if not s.startswith(("chefs:", "customers:"))]
    return (f"{r.profile}, {num_label(chefs(r))} chefs, {num_label(customers(r))} customers"
            + (f" ({', '.join(rest)})" if rest else ""))


def common_points(results: Results, t: str, a: str) -> Dict[str, Tuple[Row, Row]]:
    """{point: (threads row, async row)} over the rows both ran at more than one chef with
    cooking_threads."""
    found: Dict[str, Dict[str, Row]] = {}
    for r in kitchen(results):
        if r.kind in (t, a) and chefs(r) > 1 and "cooking_threads" in r.counters:
            found.setdefault(where(r), {})[r.kind] = r
    return {p: (rows[t], rows[a]) for p, rows in found.items() if t in rows and a in rows}


def headline(points: Dict[str, Tuple[Row, Row]]) -> Optional[Tuple[Row, Row]]:
    """The pair's point by POINT's rule."""
    if not points:
        return None
    return max(points.values(), key=lambda p: (is_sweep_row(p[0]), chefs(p[0]), customers(p[0]),
                                               -profile_key(p[0].profile or "")[0],
                                               where(p[0])))


def _most_threads(results: Results, executor: str) -> Optional[Row]:
    rows = [r for r in kitchen(results) if r.kind == executor and chefs(r) > 1
            and "cooking_threads" in r.counters]
    return max(rows, key=lambda r: (r.counters["cooking_threads"], chefs(r)), default=None)


def _threads(row) -> str:
    c = row.counters
    os_part = f", {fmt(c['os_threads'])} OS" if "os_threads" in c else ""
    return f"{fmt(c['cooking_threads'])} cooking{os_part}"


def evaluate(results: Results) -> TableRow:
    row = TableRow("Concurrency model", "concurrency-model", "single-threaded, event loop driven",
                   "multi-threaded",
                   "per pair, at more than 1 chef: the async executor cooks on at most "
                   "SINGLE_THREADED_MAX thread and the threads executor on more, both at one "
                   "point (POINT, under the table)",
                   __name__)
    row.point = POINT
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            points = common_points(results, t, a)
            top = headline(points)
            if top is None:
                continue
            t_row, a_row = top
            row.pairs.append(pair_label(results, (t, a)))
            row.used += [Used(t_row, "cooking_threads", t), Used(a_row, "cooking_threads", a)]
            row.used += [Used(r, "os_threads", r.kind) for r in (t_row, a_row)
                         if "os_threads" in r.counters]
            at = point_label(t_row)
            if not row.measured:
                row.measured = f"{a}: {_threads(a_row)}; {t}: {_threads(t_row)} ({at})"
            # The async side anywhere both ran: one row on more threads decides against it.
            a_most = max((p[1] for p in points.values()),
                         key=lambda r: (r.counters["cooking_threads"], chefs(r)))
            a_n, t_n = a_row.counters["cooking_threads"], t_row.counters["cooking_threads"]
            a_top = a_most.counters["cooking_threads"]
            label = f"{a} vs {t}"
            if a_top > SINGLE_THREADED_MAX:
                row.used.append(Used(a_most, "cooking_threads", a))
                parts.append((label, Verdict(FAILS, f"{a} cooked on {fmt(a_top)} threads",
                                             f"{a} cooked on {fmt(a_top)} threads at "
                                             f"{point_label(a_most)}")))
            elif t_n > SINGLE_THREADED_MAX:
                parts.append((label, Verdict(HOLDS, "the paired loops cooked on one thread",
                                             f"at {at}: {a} cooked on {fmt(a_n)} thread, {t} "
                                             f"on {fmt(t_n)}; {a} on at most {fmt(a_top)} at "
                                             f"each of the {len(points)} points both ran")))
            else:
                parts.append((label, Verdict(FAILS, f"{t} cooked on one thread",
                                             f"{t} cooked on {fmt(t_n)} thread at {at}")))
    paired = {n for p in pairs(results) for n in p}
    for e in results.catalogue:
        if e.side == "async" and e.name not in paired:
            r = _most_threads(results, e.name)
            if r is not None:
                row.notes.append(f"Outside the pairs, {e.name} cooked on up to "
                                 f"{fmt(r.counters['cooking_threads'])} threads "
                                 f"(`{r.name}`).")
    row.verdict = combine(parts, "the pair") if parts else Verdict(
        UNMEASURED, "no pair with cooking_threads at more than 1 chef")
    return row

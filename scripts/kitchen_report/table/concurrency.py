"""Concurrency model. The article: async is "single-threaded, event loop driven", threads are
"multi-threaded". Judged per catalogue pair from the measured cooking_threads (distinct OS
threads that ran a cooking step) at more than one chef; os_threads (peak live threads, the main
thread included) is quoted beside it."""

from ..figures import chefs, fmt, kitchen
from ..load import Results
from .common import (FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict, combine, pair_label,
                     pairs)

SINGLE_THREADED_MAX = 1
"""An executor whose cooking ran on at most this many distinct OS threads is single-threaded."""


def _most_threads(results: Results, executor: str):
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
                   "SINGLE_THREADED_MAX thread and the threads executor on more", __name__)
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            t_row, a_row = _most_threads(results, t), _most_threads(results, a)
            if t_row is None or a_row is None:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            row.used += [Used(t_row, "cooking_threads", t), Used(a_row, "cooking_threads", a)]
            row.used += [Used(r, "os_threads", r.kind) for r in (t_row, a_row)
                         if "os_threads" in r.counters]
            if not row.measured:
                row.measured = f"{a}: {_threads(a_row)}; {t}: up to {_threads(t_row)}"
            a_n, t_n = a_row.counters["cooking_threads"], t_row.counters["cooking_threads"]
            label = f"{a} vs {t}"
            if a_n <= SINGLE_THREADED_MAX < t_n:
                parts.append((label, Verdict(HOLDS, "the paired loops cooked on one thread",
                                             f"{a} cooked on {fmt(a_n)} thread, {t} on up to "
                                             f"{fmt(t_n)}")))
            elif a_n > SINGLE_THREADED_MAX:
                parts.append((label, Verdict(FAILS, f"{a} cooked on {fmt(a_n)} threads",
                                             f"{a} cooked on {fmt(a_n)} threads")))
            else:
                parts.append((label, Verdict(FAILS, f"{t} cooked on one thread",
                                             f"{t} cooked on {fmt(t_n)} thread at "
                                             f"{chefs(t_row)} chefs")))
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

"""Memory usage. The article: async is "lower (fewer threads)", threads "higher (more threads)".
Judged from the memory/<kind>/tasks:<N> mechanism rows: the cheapest thread kind against the
cheapest coroutine kind, bytes per idle task (resident + kernel stacks) at the most tasks each
ran. These are mechanisms, not executors: the pair compared is named in the evidence."""

from ..figures import fmt_bytes, largest_param_rows, mechanism_side, times
from ..load import Results
from .common import (FAILS, HOLDS, NOISE, UNMEASURED, TableRow, Used, Verdict)
from ..stats import overlap

MEMORY_RATIO = 2.0
"""Async is lower when the cheapest thread kind needs at least this many times the bytes per
task of the cheapest coroutine kind."""


def _total(r) -> float:
    return r.counters["bytes_per_task"] + r.counters.get("kernel_bytes_per_task", 0.0)


def _spread(r):
    lo, hi = r.spread("bytes_per_task")
    kernel = r.counters.get("kernel_bytes_per_task", 0.0)
    return (lo + kernel, hi + kernel)


def evaluate(results: Results) -> TableRow:
    row = TableRow("Memory usage", "memory-usage", "lower (fewer threads)",
                   "higher (more threads)",
                   "bytes per idle task (resident + kernel) of the cheapest thread kind over "
                   "the cheapest coroutine kind, at or above MEMORY_RATIO", __name__)
    best = {"async": None, "threads": None}
    for kind, r in sorted(largest_param_rows(results.family("memory"), "tasks").items()):
        side = mechanism_side(kind)
        if side is None:
            continue
        row.used.append(Used(r, "bytes_per_task", kind))
        if "kernel_bytes_per_task" in r.counters:
            row.used.append(Used(r, "kernel_bytes_per_task", kind))
        if best[side] is None or _total(r) < _total(best[side]):
            best[side] = r
    a, t = best["async"], best["threads"]
    if a is None or t is None:
        row.verdict = Verdict(UNMEASURED, "no memory rows for both sides")
        return row
    row.pairs.append(f"{t.kind} vs {a.kind} (mechanisms: an idle thread vs an idle coroutine)")
    row.measured = f"{a.kind} {fmt_bytes(_total(a))}/task; {t.kind} {fmt_bytes(_total(t))}/task"
    ratio = _total(t) / _total(a) if _total(a) > 0 else float("inf")
    detail = f"{t.kind} needs {times(ratio)} the bytes per task of {a.kind}"
    if overlap(_spread(a), _spread(t)):
        row.verdict = Verdict(NOISE, "the two kinds' spreads overlap", detail)
    elif ratio >= MEMORY_RATIO:
        row.verdict = Verdict(HOLDS, f"a thread costs {times(ratio)} a coroutine", detail)
    else:
        row.verdict = Verdict(FAILS, f"a thread costs only {times(ratio)} a coroutine", detail)
    return row

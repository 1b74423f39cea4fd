"""Memory usage. The article: async is "lower (fewer threads)", threads "higher (more threads)".
Judged from the memory/<kind>/tasks:<N> mechanism rows: the cheapest thread kind against the
cheapest coroutine kind, bytes per idle task (resident + kernel stacks) at the most tasks each
ran. These are mechanisms, not executors: the pair compared is named in the evidence."""

from dataclasses import replace
from typing import Tuple

from ..figures import fmt_bytes, largest_param_rows, mechanism_side, times
from ..load import Results, Row
from ..stats import WIN
from .cells import compare, values
from .common import FAILS, HOLDS, UNDECIDED, UNMEASURED, TableRow, Used, Verdict, decided

MEMORY_RATIO = 2.0
"""The tie band of the bytes per task: async is lower when the 95% interval of the cheapest
thread kind's bytes per task over the cheapest coroutine kind's lies wholly above this."""

COUNTER = "bytes_per_task + kernel_bytes_per_task"


def _total(r) -> float:
    return r.counters["bytes_per_task"] + r.counters.get("kernel_bytes_per_task", 0.0)


def _totals(r: Row) -> Tuple[float, ...]:
    """Resident plus kernel bytes per task, per repetition (both are read in each one); the
    kernel's median is added to each when its repetitions are not kept."""
    resident = values(r, "bytes_per_task")
    if "kernel_bytes_per_task" not in r.counters:
        return resident
    kernel = r.samples.get("kernel_bytes_per_task", ())
    if len(kernel) != len(resident):
        kernel = (r.counters["kernel_bytes_per_task"],) * len(resident)
    return tuple(x + k for x, k in zip(resident, kernel))


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
    cell = compare(a, t, COUNTER, MEMORY_RATIO, higher_is_better=False, pair=(t.kind, a.kind),
                   level="the most tasks each kind ran",
                   first_values=_totals(a), second_values=_totals(t))
    row.add([cell])
    detail = f"{t.kind} over {a.kind}, bytes per task: {cell.text()}"
    verdict = replace(decided([cell], lambda o: HOLDS if o[0] == WIN else FAILS), detail=detail)
    ratio = times(cell.ratio)
    row.verdict = replace(verdict, short={
        HOLDS: f"a thread costs {ratio} a coroutine",
        FAILS: f"a thread costs only {ratio} a coroutine",
        UNDECIDED: f"a thread costs {ratio} a coroutine, undecided"}[verdict.word])
    return row

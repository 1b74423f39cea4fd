"""Memory usage. The claim: async is "lower (fewer threads)", threads "higher (more threads)".
Judged from the memory/<kind>/tasks:<N> mechanism rows: the cheapest thread kind against the
cheapest coroutine kind, bytes per idle task, both at the most tasks at which each side has a
kind (POINT): the row's total_bytes_per_task (resident + kernel stacks + page tables + the
task_struct slab for threads), or, in results written before it, resident + kernel stacks. These are mechanisms, not executors: the pair compared is
named in the evidence."""

from dataclasses import replace
from typing import Tuple

from ..figures import fmt_bytes, mechanism_side, num_label, times
from ..load import Results, Row
from ..stats import WIN
from .cells import compare, values
from .common import FAILS, HOLDS, UNDECIDED, UNMEASURED, TableRow, Used, Verdict, decided

MEMORY_RATIO = 2.0
"""The tie band of the bytes per task: async is lower when the 95% interval of the cheapest
thread kind's bytes per task over the cheapest coroutine kind's lies wholly above this."""

TOTAL = "total_bytes_per_task"
"""What a memory row adds up per task itself, page tables and slab included."""

COUNTER = "bytes_per_task + kernel_bytes_per_task"
"""The total of results written before TOTAL existed."""

POINT = ("the most tasks at which a thread kind and a coroutine kind both ran, and there the "
         "cheapest kind of each side")


def _total(r) -> float:
    if TOTAL in r.counters:
        return r.counters[TOTAL]
    return r.counters["bytes_per_task"] + r.counters.get("kernel_bytes_per_task", 0.0)


def _totals(r: Row) -> Tuple[float, ...]:
    """Resident plus kernel bytes per task, per repetition (both are read in each one); the
    kernel's median is added to each when its repetitions are not kept."""
    if TOTAL in r.counters:
        return values(r, TOTAL)
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
                   "bytes per idle task (resident + kernel + page tables + slab) of the cheapest "
                   "thread kind over the cheapest coroutine kind, at or above MEMORY_RATIO",
                   __name__)
    row.point = POINT
    by_side = {"async": {}, "threads": {}}      # side -> tasks -> [rows]
    for r in results.family("memory"):
        side, tasks = mechanism_side(r.kind), r.param("tasks")
        if side is not None and tasks is not None:
            by_side[side].setdefault(tasks, []).append(r)
    common = set(by_side["async"]) & set(by_side["threads"])
    if not common:
        row.verdict = Verdict(UNMEASURED, "no memory rows for both sides at one task count")
        return row
    tasks = max(common)
    a, t = (min(by_side[side][tasks], key=lambda r: (_total(r), r.kind))
            for side in ("async", "threads"))
    for r in sorted(by_side["async"][tasks] + by_side["threads"][tasks], key=lambda r: r.kind):
        row.used.append(Used(r, "bytes_per_task", r.kind))
        if TOTAL in r.counters:
            row.used.append(Used(r, TOTAL, r.kind))
        elif "kernel_bytes_per_task" in r.counters:
            row.used.append(Used(r, "kernel_bytes_per_task", r.kind))
    row.pairs.append(f"{t.kind} vs {a.kind} (mechanisms: an idle thread vs an idle coroutine)")
    row.measured = f"{a.kind} {fmt_bytes(_total(a))}/task; {t.kind} {fmt_bytes(_total(t))}/task"
    counter = TOTAL if TOTAL in a.counters and TOTAL in t.counters else COUNTER
    cell = compare(a, t, counter, MEMORY_RATIO, higher_is_better=False, pair=(t.kind, a.kind),
                   level=f"{num_label(tasks)} tasks",
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

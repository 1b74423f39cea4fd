"""Memory usage. The claim: async is "lower (fewer threads)", threads "higher (more threads)".
Judged from the memory/<kind>/tasks:<N> mechanism rows: the cheapest thread kind against the
cheapest coroutine kind, bytes per idle task, both at the most tasks at which each side has a
kind (POINT): the row's total_bytes_per_task (resident + kernel stacks + page tables + the
task_struct slab for threads), or, in results written before it, resident + kernel stacks. These are mechanisms, not executors: the pair compared is
named in the evidence.

Beside them, what a worker process of a pool costs (an executor of the catalogue's `processes`
side): its unique set (pages no other process maps) and proportional set (shared pages split
between the processes that map them), measured after a service, since forked workers share
most of their pages with the parent and RSS alone would count those once per worker."""

from dataclasses import replace
from typing import Dict, List, Tuple

from ..figures import chefs, customers, fmt_bytes, kitchen, mechanism_side, num_label, times
from ..load import Results, Row
from ..provenance import usable_cores
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


def total(r) -> float:
    if TOTAL in r.counters:
        return r.counters[TOTAL]
    return r.counters["bytes_per_task"] + r.counters.get("kernel_bytes_per_task", 0.0)


def totals(r: Row) -> Tuple[float, ...]:
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


def by_side_and_tasks(results: Results) -> Dict[str, Dict[float, List[Row]]]:
    """{side: {tasks: [memory rows]}} for the threads, async and fibers sides (figures'
    mechanism_side), each side present even when it has no row."""
    found: Dict[str, Dict[float, List[Row]]] = {"async": {}, "threads": {}, "fibers": {}}
    for r in results.family("memory"):
        side, tasks = mechanism_side(r.kind), r.param("tasks")
        if side in found and tasks is not None:
            found[side].setdefault(tasks, []).append(r)
    return found


def _pool_workers(results: Results, row: TableRow) -> List[str]:
    """A note per processes-side executor: a worker's USS and PSS at its row with the most
    chefs no more than the usable cores (then the most customers), else its row with the fewest
    chefs; and the headline's words for each."""
    said = []
    cores = usable_cores(results)
    for e in results.catalogue:
        if e.side != "processes":
            continue
        rows = [r for r in kitchen(results, sweep_only=True)
                if r.kind == e.name and "pool_pss_kib" in r.counters]
        if not rows:
            continue
        within = [r for r in rows if not cores or chefs(r) <= cores]
        r = (max(within, key=lambda r: (chefs(r), customers(r), r.name)) if within
             else min(rows, key=lambda r: (chefs(r), r.name)))
        uss, pss = r.counters["pool_uss_kib"] * 1024, r.counters["pool_pss_kib"] * 1024
        row.used += [Used(r, "pool_uss_kib", e.name), Used(r, "pool_pss_kib", e.name)]
        row.notes.append(
            f"A worker process of {e.name} ({r.profile} profile, {num_label(chefs(r))} "
            f"workers, `{r.name}`), after a service: {fmt_bytes(uss)} unique (USS), "
            f"{fmt_bytes(pss)} proportional (PSS), {fmt_bytes(pss * chefs(r))} PSS for the "
            "pool; not part of the verdict, which compares a thread with a coroutine.")
        said.append(f"{e.name} {fmt_bytes(pss)}/worker (PSS)")
    return said


def evaluate(results: Results) -> TableRow:
    row = TableRow("Memory usage", "memory-usage", "lower (fewer threads)",
                   "higher (more threads)",
                   "bytes per idle task (resident + kernel + page tables + slab) of the cheapest "
                   "thread kind over the cheapest coroutine kind, at or above MEMORY_RATIO",
                   __name__)
    row.point = POINT
    workers = _pool_workers(results, row)
    by_side = by_side_and_tasks(results)
    common = set(by_side["async"]) & set(by_side["threads"])
    if not common:
        row.verdict = Verdict(UNMEASURED, "no memory rows for both sides at one task count")
        row.measured = "; ".join(workers)
        return row
    tasks = max(common)
    a, t = (min(by_side[side][tasks], key=lambda r: (total(r), r.kind))
            for side in ("async", "threads"))
    for r in sorted(by_side["async"][tasks] + by_side["threads"][tasks], key=lambda r: r.kind):
        row.used.append(Used(r, "bytes_per_task", r.kind))
        if TOTAL in r.counters:
            row.used.append(Used(r, TOTAL, r.kind))
        elif "kernel_bytes_per_task" in r.counters:
            row.used.append(Used(r, "kernel_bytes_per_task", r.kind))
    row.pairs.append(f"{t.kind} vs {a.kind} (mechanisms: an idle thread vs an idle coroutine)")
    row.measured = "; ".join([f"{a.kind} {fmt_bytes(total(a))}/task",
                              f"{t.kind} {fmt_bytes(total(t))}/task"] + workers)
    counter = TOTAL if TOTAL in a.counters and TOTAL in t.counters else COUNTER
    cell = compare(a, t, counter, MEMORY_RATIO, higher_is_better=False, pair=(t.kind, a.kind),
                   level=f"{num_label(tasks)} tasks",
                   first_values=totals(a), second_values=totals(t))
    row.add([cell])
    detail = f"{t.kind} over {a.kind}, bytes per task: {cell.text()}"
    verdict = replace(decided([cell], lambda o: HOLDS if o[0] == WIN else FAILS), detail=detail)
    ratio = times(cell.ratio)
    row.verdict = replace(verdict, short={
        HOLDS: f"a thread costs {ratio} a coroutine",
        FAILS: f"a thread costs only {ratio} a coroutine",
        UNDECIDED: f"a thread costs {ratio} a coroutine, undecided"}[verdict.word])
    return row

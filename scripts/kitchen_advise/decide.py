"""The decisions behind kitchen advise's answer, without their words (answer.py says them):
which rows measure what, the cells (the table's own compare, interval and outcome:
kitchen_report.table.cells), which cells to measure again, the sustainable point, and the
recommendation: the executor that serves most at the user's N, its margin over the best of
each other side, and what bounds the workload."""

import math
from dataclasses import dataclass, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from kitchen_report.figures import fmt, num_label
from kitchen_report.load import Results, Row
from kitchen_report.openloop import ACHIEVED_SHARE, p99_cell
from kitchen_report.stats import MIN_REPETITIONS, TIE, UNDECIDED, median_interval
from kitchen_report.table.cells import Cell, compare
from kitchen_report.table.io_rule import IO_THROUGHPUT_RATIO

from . import model, plan as plans

# The tie band of every cell the advisor makes: the I/O row's (the table's throughput cells).
BAND = IO_THROUGHPUT_RATIO
RATE, P99, PEAK = "dishes_per_s", "p99_ms", "peak_in_preparation"


# The name segments of the rows advise asks for; a row with any other (a pantry mode, failures,
# the default slack) measures something else.
_PARAMS = frozenset(("chefs", "customers", "io_us", "cpu_us", "rate", "arrivals", "io"))


def find_row(results: Results, executor: str, point: plans.Point,
             profile: str = plans.PROFILE) -> Optional[Row]:
    """The row of `executor` at `point`, of the profile advise runs (another in tests); for
    an open loop, the row at the point's rate."""
    for r in results.family("kitchen"):
        if (r.kind == executor and r.profile == profile and set(r.params) <= _PARAMS
                and r.param("chefs") == point.chefs
                and r.param("customers") == point.customers
                and ("rate" in r.params) == point.open_loop
                and (not point.open_loop or abs(float(r.params["rate"]) - point.rate) < 0.5)):
            return r
    return None


def level(point: plans.Point) -> str:
    """Where a cell is: '100 in flight', or '100 in flight, open loop at 2,100/s' (the user's
    rate and the sustainable one are two open loops at the same N)."""
    text = f"{num_label(point.chefs)} in flight"
    return text + (f", open loop at {fmt(point.rate)}/s" if point.open_loop else "")


# The repetitions a row at the user's point needs before a cell there may be decided: the
# table's interval gives none below them.
USER_MIN_REPETITIONS = MIN_REPETITIONS


def over_capacity(row: Row, rate: Optional[float]) -> bool:
    """An open-loop row that served less than ACHIEVED_SHARE of the rate: its queue grew for the
    whole service, so its p99 measures that backlog and grows with the service's length, it
    is not a steady state's."""
    achieved = row.counters.get("achieved_per_s")
    return bool(rate) and achieved is not None and achieved < ACHIEVED_SHARE * rate


def comparisons(plan: plans.Plan) -> List[Tuple[str, str]]:
    """(threads, async) pairs compared: the catalogue's, then each async executor outside them
    (asio_coro_mt, asio_offload, when measured) against each thread executor; then (partner,
    fiber executor) for the fibers (plan.fibers), a cell's ratio seen from the fibers."""
    found = list(plan.pairs)
    threads = list(dict.fromkeys(t for t, _ in plan.pairs))
    for a in plan.extra:
        found += [(t, a) for t in threads if (t, a) not in found]
    return found + [p for p in plan.fibers if p not in found]


def cells(results: Results, plan: plans.Plan, profile: str = plans.PROFILE) -> List[Cell]:
    """Per pair and point, async over threads: dishes/s in the closed loops, p99 (lower is
    better) in the open loops; the table's compare, interval and outcome, on the I/O row's band.
    An open-loop row over capacity makes no cell; at the user's N (closed loop, and both open
    loops) a cell with fewer than USER_MIN_REPETITIONS repetitions a side stays undecided."""
    found = []
    for point in plan.points:
        for t, a in comparisons(plan):
            t_row = find_row(results, t, point, profile)
            a_row = find_row(results, a, point, profile)
            if t_row is None or a_row is None:
                continue
            # An over-capacity p99 measures one service's backlog and grows with its length:
            # its ratio to another p99 says whose queue grew faster in this service, not who
            # answers faster, so it makes no cell, against a backlog or a steady state alike.
            if point.open_loop and (over_capacity(t_row, point.rate)
                                    or over_capacity(a_row, point.rate)):
                continue
            counter = P99 if point.open_loop else RATE
            c = compare(a_row, t_row, counter, BAND, pair=(t, a), level=level(point),
                        higher_is_better=not point.open_loop, row="advise")
            if (point.chefs == plan.workload.concurrency and c.outcome != UNDECIDED
                    and min(c.n_a, c.n_b) < USER_MIN_REPETITIONS):
                c = replace(c, outcome=UNDECIDED, possible=tuple(sorted({c.outcome})))
            found.append(c)
    return found


def undecided(results: Results, plan: plans.Plan,
              profile: str = plans.PROFILE) -> List[Tuple[str, List[str]]]:
    """The cells to measure again, as (what each compares, the rows behind it): those still
    undecided at the user's N (closed and open loop) first, the neighbours' only once every
    one of those is decided, so that the budget goes where the first line reads."""
    found = [c for c in cells(results, plan, profile) if c.outcome == UNDECIDED]
    user = tuple(level(p) for p in (plan.user, plan.open_point, plan.sustainable) if p)
    first = [c for c in found if c.level in user]
    return [(f"{c.a} vs {c.b} at {c.level}", list(c.rows)) for c in (first or found)]


@dataclass
class Measured:
    executor: str
    point: plans.Point
    row: Row

    def rate(self) -> Tuple[float, Optional[Tuple[float, float]]]:
        values = self.row.samples.get(RATE) or (self.row.counters[RATE],)
        return self.row.counters[RATE], median_interval(values)

    @property
    def over(self) -> bool:
        """An open-loop row that did not keep up with its rate (over_capacity)."""
        return self.point.open_loop and over_capacity(self.row, self.point.rate)

    @property
    def served(self) -> float:
        return self.row.counters.get("achieved_per_s", math.nan)

    def as_json(self) -> dict:
        r, ci = self.rate()
        c = self.row.counters
        doc = {"executor": self.executor, "chefs": self.point.chefs,
               "customers": self.point.customers, "open_loop": self.point.open_loop,
               "row": self.row.name, "repetitions": self.row.repetitions,
               "dishes_per_s": r, "dishes_per_s_interval": list(ci) if ci else None,
               "peak_in_preparation": c.get(PEAK), "os_threads": c.get("os_threads"),
               "cpu_util": c.get("cpu_util"), "open_us": c.get("open_us")}
        if self.point.open_loop:
            # A closed batch places every order at time 0: its p99 is the batch's length, not
            # a request's latency, so only the open loops have one.
            doc.update(open_loop_json(self))
            doc["p50_ms"] = c.get("p50_ms")
            doc["p99_counter"] = p99_cell(self.row).counter
            doc["achieved_per_s"] = c.get("achieved_per_s")
            doc["arrival_lag_suspect"] = c.get("arrival_lag_suspect")
            doc["arrival_lag_ms"] = c.get("arrival_lag_ms")
        return doc


def open_loop_json(m: Measured) -> dict:
    """An open-loop row's p99 as measured (the median over its repetitions, with its interval),
    over capacity or not, and what says which: the rates offered and served, the orders."""
    p = p99_cell(m.row)
    return {"sustainable_point": m.point.sustainable, "over_capacity": m.over,
            "median_p99_ms": p.median,
            "median_p99_interval": list(p.interval) if p.interval else None,
            "offered_per_s": m.point.rate, "served_per_s": m.row.counters.get("achieved_per_s"),
            "orders": m.point.customers}


def measured(results: Results, plan: plans.Plan,
             profile: str = plans.PROFILE) -> List[Measured]:
    out = []
    for point in plan.points:
        for e in plan.executors:
            r = find_row(results, e, point, profile)
            if r is not None:
                out.append(Measured(e, point, r))
    return out


def lowest_capacity(rows: Sequence[Measured],
                    plan: plans.Plan) -> Optional[plans.Capacity]:
    """The lowest capacity measured at the user's N: each executor's closed-loop requests/s,
    and where the user's rate was over an executor's capacity, what it served there. An open
    loop's arrivals take CPU that a closed loop does not spend, so a saturated open loop may
    serve less than the closed loop at the same N; the lower of the two is what an open loop
    can be offered. An open loop that kept up says nothing of its capacity: it is left out."""
    found = [plans.Capacity(m.executor, m.rate()[0], "in the closed loop")
             for m in rows if m.point == plan.user]
    found += [plans.Capacity(m.executor, m.served, "served at your rate")
              for m in rows if m.point == plan.open_point and m.over]
    return min(found, key=lambda c: c.per_s, default=None)


def sustainable_points(results: Results, plan: plans.Plan,
                       profile: str = plans.PROFILE) -> List[plans.Point]:
    """After round 1, when an executor was over capacity at the user's rate: the open loop at
    SUSTAINABLE_SHARE of the lowest capacity measured (lowest_capacity), so that the answer has
    steady-state p99s to compare; it records where the rate came from in plan.capacity. Its
    rate is measured, not predicted: the model's largest errors are on thread executors at many
    in flight (`kitchen advise accuracy`, per band)."""
    op = plan.open_point
    if op is None or plan.sustainable is not None:
        return []
    rows = measured(results, plan, profile)
    cap = lowest_capacity(rows, plan)
    if cap is None or not any(m.over for m in rows if m.point == op):
        return []
    plan.capacity = cap
    rate = plans.sustainable_rate(cap.per_s)
    return [plans.open_loop_point(plan.workload, rate, rate, sustainable=True)]


# A row is bound by the cores when its threads kept this share of its servers busy (cpu_util).
CORES_BUSY = 0.8
# The workload is bound by memory when N idle tasks of the recommended executor would take
# more than this share of the memory available (MemAvailable).
MEMORY_SHARE = 0.5
BOUNDS = ("cores", "waits", "memory", "thread budget")


@dataclass(frozen=True)
class Margin:
    """The recommended executor against the best (by median) of another side, at the user's
    N: the table's cell, seen from the recommended executor (ratio above 1: it serves more)."""
    other: str
    side: str
    cell: Cell

    @property
    def ratio(self) -> float:
        return self.cell.ratio

    def as_json(self) -> dict:
        c = self.cell
        return {"executor": self.other, "side": self.side, "ratio": c.ratio,
                "interval": list(c.interval) if c.interval else None,
                "interval_kind": "median_ratio_interval, 99% a look" if c.interval else None,
                "outcome": c.outcome, "repetitions": [c.n_a, c.n_b],
                "median_per_s": c.median_b}


@dataclass(frozen=True)
class Recommendation:
    executor: str
    side: str
    per_s: float
    point: str
    margins: Tuple[Margin, ...]
    bound: str
    # What the bound was read from: cpu_util against the servers, the threads against the
    # budget, or the memory of N idle tasks against the memory available.
    bound_evidence: Dict[str, Optional[float]]

    @property
    def tied(self) -> Tuple[str, ...]:
        return tuple(m.other for m in self.margins if m.cell.outcome == TIE)

    def as_json(self) -> dict:
        return {"executor": self.executor, "side": self.side, "dishes_per_s": self.per_s,
                "point": self.point, "tied_with": list(self.tied),
                "margins": [m.as_json() for m in self.margins], "bound": self.bound,
                "bound_evidence": self.bound_evidence}


def workload_bound(rec: Measured, pred: Optional[model.Prediction], budget: Optional[int],
                   memory_available: Optional[float]) -> Tuple[str, Dict[str, Optional[float]]]:
    """What bounds the workload for the recommended executor: the thread budget (it needs more
    threads than the machine can still start), memory (N idle tasks over MEMORY_SHARE of the
    memory available), else the cores when its measured cpu_util kept CORES_BUSY of its
    servers busy, else the waits; the model's bound when no cpu_util was measured."""
    threads = pred.threads if pred else None
    memory = pred.memory_bytes if pred else None
    cpu = rec.row.counters.get("cpu_util")
    servers = pred.servers if pred else None
    evidence = {"threads": threads, "thread_budget": budget, "memory_bytes": memory,
                "memory_available_bytes": memory_available, "cpu_util": cpu,
                "servers": servers}
    if budget and threads and threads > budget:
        return "thread budget", evidence
    if memory and memory_available and memory > MEMORY_SHARE * memory_available:
        return "memory", evidence
    if cpu is not None and servers:
        return ("cores" if cpu >= CORES_BUSY * servers else "waits"), evidence
    if pred is not None:
        return ("cores" if pred.bound == "cpu" else "waits"), evidence
    return "waits", evidence


def recommend(plan: plans.Plan, rows: Sequence[Measured],
              preds: Dict[Tuple[str, str], model.Prediction], side_of: Callable[[str], str],
              budget: Optional[int] = None,
              memory_available: Optional[float] = None) -> Optional[Recommendation]:
    """The executor with the highest median requests/s at the user's N (closed loop), its
    cell against the best of each other side (the table's compare on the I/O row's band; at
    the user's N undecided below USER_MIN_REPETITIONS a side), and what bounds the workload.
    None when nothing was measured there."""
    here = [m for m in rows if m.point == plan.user]
    if not here:
        return None
    best = max(here, key=lambda m: m.rate()[0])
    side = side_of(best.executor) or ""
    margins = []
    others = dict.fromkeys(side_of(m.executor) or "" for m in here)
    for other_side in others:
        if other_side == side:
            continue
        theirs = max((m for m in here if (side_of(m.executor) or "") == other_side),
                     key=lambda m: m.rate()[0])
        c = compare(best.row, theirs.row, RATE, BAND, pair=(theirs.executor, best.executor),
                    level=level(plan.user), higher_is_better=True, row="advise")
        if c.outcome != UNDECIDED and min(c.n_a, c.n_b) < USER_MIN_REPETITIONS:
            c = replace(c, outcome=UNDECIDED, possible=tuple(sorted({c.outcome})))
        margins.append(Margin(theirs.executor, other_side, c))
    bound, evidence = workload_bound(best, preds.get((best.executor, plan.user.key)), budget,
                                     memory_available)
    return Recommendation(best.executor, side, best.rate()[0], plan.user.key, tuple(margins),
                          bound, evidence)


def memory_available(meminfo: str = "/proc/meminfo") -> Optional[float]:
    """MemAvailable in bytes, None where it cannot be read."""
    try:
        with open(meminfo) as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None

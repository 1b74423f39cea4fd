"""From measured rows to the answer: the cells (the table's own compare, interval and outcome:
kitchen_report.table.cells), the first line, the tables, the model against the measurement,
where the answer changes, the commands, and the JSON document."""

import math
import statistics
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from kitchen_report.figures import fmt, fmt_bytes, num_label
from kitchen_report.load import Results, Row
from kitchen_report.openloop import ACHIEVED_SHARE, p99_cell
from kitchen_report.stats import LOSE, TIE, UNDECIDED, WIN, median_interval
from kitchen_report.table.cells import Cell, bound, compare, factor
from kitchen_report.table.io_rule import IO_THROUGHPUT_RATIO
from kitchen_report.verdicts import cell_json

from . import model, plan as plans

# The tie band of every cell the advisor makes: the I/O row's (the table's throughput cells).
BAND = IO_THROUGHPUT_RATIO
RATE, P99, PEAK = "dishes_per_s", "p99_ms", "peak_in_preparation"


# The name segments of the rows advise asks for; a row with any other (a pantry mode, failures,
# the default slack) measures something else.
_PARAMS = frozenset(("chefs", "customers", "io_us", "cpu_us", "rate", "arrivals", "io"))


def find_row(results: Results, executor: str, point: plans.Point,
             profile: str = plans.PROFILE) -> Optional[Row]:
    """The row of `executor` at `point`, of the profile advise runs (another in tests)."""
    for r in results.family("kitchen"):
        if (r.kind == executor and r.profile == profile and set(r.params) <= _PARAMS
                and r.param("chefs") == point.chefs
                and r.param("customers") == point.customers
                and ("rate" in r.params) == point.open_loop):
            return r
    return None


def level(point: plans.Point) -> str:
    return f"{num_label(point.chefs)} in flight" + (", open loop" if point.open_loop else "")


def cells(results: Results, plan: plans.Plan, profile: str = plans.PROFILE) -> List[Cell]:
    """Per pair and point, async over threads: dishes/s in the closed loops, p99 (lower is
    better) in the open loop; the table's compare, interval and outcome, on the I/O row's band."""
    found = []
    for point in plan.points:
        for t, a in plan.pairs:
            t_row = find_row(results, t, point, profile)
            a_row = find_row(results, a, point, profile)
            if t_row is None or a_row is None:
                continue
            counter = P99 if point.open_loop else RATE
            found.append(compare(a_row, t_row, counter, BAND, pair=(t, a), level=level(point),
                                 higher_is_better=not point.open_loop, row="advise"))
    return found


def undecided(results: Results, plan: plans.Plan) -> List[Tuple[str, List[str]]]:
    """The cells to measure again, as (what each compares, the rows behind it): those still
    undecided at the user's N (closed and open loop) first, the neighbours' only once every
    one of those is decided, so that the budget goes where the first line reads."""
    found = [c for c in cells(results, plan) if c.outcome == UNDECIDED]
    user = (level(plan.user),) + ((level(plan.open_point),) if plan.open_point else ())
    first = [c for c in found if c.level in user]
    return [(f"{c.a} vs {c.b} at {c.level}", list(c.rows)) for c in (first or found)]


def interval_text(lo: float, hi: float) -> str:
    return f"95% CI {bound(lo)}–{bound(hi)}x"


def _inverse(x: float) -> float:
    return 1 / x if x else math.inf


def clause(c: Cell) -> str:
    """'asio_coro serves 3.1x threads_pool (95% CI 2.8–3.4x)', seen from the side ahead (for
    a tie or an undecided cell, from the side whose median is ahead)."""
    lead, other, r, ci = c.a, c.b, c.ratio, c.interval
    if c.ratio < 1:
        lead, other, r = c.b, c.a, _inverse(c.ratio)
        ci = (_inverse(ci[1]), _inverse(ci[0])) if ci else None
    spread = interval_text(*ci) if ci else f"no interval, n={c.n_a}/{c.n_b}"
    if c.higher_is_better:
        return f"{lead} serves {factor(r)} {other} ({spread})"
    return f"{lead}'s p99 is {factor(r)} lower than {other}'s ({spread})"


def word(c: Cell) -> str:
    return {WIN: "async ahead", LOSE: "threads ahead", TIE: "a tie",
            UNDECIDED: "undecided: the interval reaches across the tie band"}[c.outcome]


def verdict(found: Sequence[Cell]) -> str:
    """The words over the pairs' cells at one point. Where some are undecided, what every way
    they may still turn out agrees on (each cell's `possible` outcomes) is still said."""
    outcomes = [c.outcome for c in found]
    allowed = [set(c.possible or (c.outcome,)) for c in found]
    if not outcomes:
        return "nothing measured"
    if all(o == WIN for o in outcomes):
        return "async leads"
    if all(o == LOSE for o in outcomes):
        return "threads lead"
    if all(o == TIE for o in outcomes):
        return f"neither side leads (every pair within the ±{(BAND - 1) * 100:.0f}% tie band)"
    pending = " (some cells undecided between those)" if UNDECIDED in outcomes else ""
    if all(LOSE not in a for a in allowed):
        return "threads do not lead: async ahead or a tie" + pending
    if all(WIN not in a for a in allowed):
        return "async does not lead: threads ahead or a tie" + pending
    if UNDECIDED in outcomes:
        return "undecided for some pairs"
    return "it depends on the pair"


@dataclass
class Measured:
    executor: str
    point: plans.Point
    row: Row

    def rate(self) -> Tuple[float, Optional[Tuple[float, float]]]:
        values = self.row.samples.get(RATE) or (self.row.counters[RATE],)
        return self.row.counters[RATE], median_interval(values)

    def as_json(self) -> dict:
        r, ci = self.rate()
        c = self.row.counters
        doc = {"executor": self.executor, "chefs": self.point.chefs,
               "customers": self.point.customers, "open_loop": self.point.open_loop,
               "row": self.row.name, "repetitions": self.row.repetitions,
               "dishes_per_s": r, "dishes_per_s_interval": list(ci) if ci else None,
               "p50_ms": c.get("p50_ms"), "p99_ms": c.get(P99),
               "peak_in_preparation": c.get(PEAK), "os_threads": c.get("os_threads"),
               "cpu_util": c.get("cpu_util")}
        if self.point.open_loop:
            p = p99_cell(self.row)
            doc["pooled_p99_ms"] = p.median
            doc["pooled_p99_interval"] = list(p.interval) if p.interval else None
            doc["achieved_per_s"] = c.get("achieved_per_s")
            doc["arrival_lag_suspect"] = c.get("arrival_lag_suspect")
        return doc


def measured(results: Results, plan: plans.Plan) -> List[Measured]:
    out = []
    for point in plan.points:
        for e in plan.executors:
            r = find_row(results, e, point)
            if r is not None:
                out.append(Measured(e, point, r))
    return out


def first_line(plan: plans.Plan, found: Sequence[Cell], rows: Sequence[Measured]) -> str:
    w = plan.workload
    at = level(plan.user)
    here = [c for c in found if c.level == at]
    head = f"At {num_label(w.concurrency)} in flight"
    if w.gil:
        head += " under the GIL"
    parts = [f"{head}, {verdict(here)}: "
             + "; ".join(f"{clause(c)}, {word(c)}" for c in here)]
    op = plan.open_point
    if op is not None:
        p99s = []
        for m in rows:
            if m.point == op:
                p = p99_cell(m.row)
                ci = (f" (95% CI {fmt(p.interval[0])}–{fmt(p.interval[1])})"
                      if p.interval else "")
                achieved = m.row.counters.get("achieved_per_s")
                served = (f", served {fmt(achieved)}/s only" if achieved is not None
                          and achieved < ACHIEVED_SHARE * w.rate else "")
                p99s.append(f"{m.executor} {fmt(p.median)} ms{ci}{served}")
        parts.append(f"at your {fmt(w.rate)}/s (open loop, Poisson) p99 is " + ", ".join(p99s))
    short = []
    for m in rows:
        if m.point == plan.user and m.row.counters.get(PEAK, w.concurrency) < w.concurrency:
            short.append(f"{m.executor} kept only {fmt(m.row.counters[PEAK])} of "
                         f"{num_label(w.concurrency)} in flight")
    if short:
        parts.append("; ".join(short))
    return "; ".join(parts) + "."


def changes(plan: plans.Plan, found: Sequence[Cell]) -> List[str]:
    """Per pair, the outcome at each closed point, and where it changes."""
    lines = []
    closed = [p for p in plan.points if not p.open_loop]
    for t, a in plan.pairs:
        by = [(p, next((c for c in found if c.pair == (t, a) and c.level == level(p)), None))
              for p in closed]
        by = [(p, c) for p, c in by if c is not None]
        if not by:
            continue
        said = ", ".join(f"{word(c).split(':')[0]} at {num_label(p.chefs)}" for p, c in by)
        flips = [f"between {num_label(p.chefs)} and {num_label(q.chefs)} in flight"
                 for (p, c), (q, d) in zip(by, by[1:])
                 if c.outcome != d.outcome and UNDECIDED not in (c.outcome, d.outcome)]
        tail = ("; the answer changes " + " and ".join(flips)) if flips else (
            "; the answer does not change within these neighbours" if len(by) > 1 else "")
        lines.append(f"- {a} vs {t}: {said}{tail}.")
    return lines


def table(plan: plans.Plan, rows: Sequence[Measured],
          preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    lines = []
    for point in plan.points:
        here = [m for m in rows if m.point == point]
        if not here:
            continue
        kind = (f"open loop at {fmt(plan.workload.rate)}/s, Poisson" if point.open_loop
                else "closed loop")
        lines += [f"{num_label(point.chefs)} in flight ({kind}, {num_label(point.customers)} "
                  "requests a service):",
                  f"  {'executor':<18} {'requests/s (95% CI)':<28} {'p99 ms':>16} "
                  f"{'in flight':>9} {'threads':>7} {'cpu':>5} {'memory for N':>12} n"]
        for m in here:
            r, ci = m.rate()
            rate = f"{fmt(r)} ({fmt(ci[0])}–{fmt(ci[1])})" if ci else fmt(r)
            c = m.row.counters
            if point.open_loop:
                p = p99_cell(m.row)
                p99 = (f"{fmt(p.median)} ({fmt(p.interval[0])}–{fmt(p.interval[1])})"
                       if p.interval else fmt(p.median))
            else:
                p99 = fmt(c.get(P99, math.nan))
            pred = preds.get((m.executor, point.key))
            mem = fmt_bytes(pred.memory_bytes) if pred and pred.memory_bytes else "-"
            lines.append(f"  {m.executor:<18} {rate:<28} {p99:>16} "
                         f"{fmt(c.get(PEAK, math.nan)):>9} {fmt(c.get('os_threads', math.nan)):>7} "
                         f"{c.get('cpu_util', math.nan):>5.2f} {mem:>12} {m.row.repetitions}")
    return lines


def model_lines(plan: plans.Plan, rows: Sequence[Measured],
                preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    lines = [f"  {'executor':<18} {'in flight':>9} {'predicted/s':>12} {'bound':>9} "
             f"{'measured/s':>11} {'error':>7} {'N*':>8}"]
    for m in rows:
        if m.point.open_loop:
            continue
        p = preds[(m.executor, m.point.key)]
        err = model.error_pct(p.rate, m.rate()[0])
        lines.append(f"  {m.executor:<18} {num_label(m.point.chefs):>9} {fmt(p.rate):>12} "
                     f"{p.bound:>9} {fmt(m.rate()[0]):>11} "
                     f"{'-' if err is None else f'{err:+.0f}%':>7} {fmt(p.pool_size):>8}")
    op = plan.open_point
    if op is not None:
        lines.append(f"  open loop at {fmt(plan.workload.rate)}/s, p99 lower bound (Erlang C) "
                     "against the pooled p99 measured:")
        for m in rows:
            if m.point != op:
                continue
            p = preds[(m.executor, op.key)]
            bound_ = ("over the predicted capacity: unbounded" if p.over_capacity
                      else f"at least {fmt(p.p99_lower_s * 1e3)} ms")
            lines.append(f"  {m.executor:<18} {bound_}, measured {fmt(p99_cell(m.row).median)} ms")
    return lines


def resources(plan: plans.Plan, preds: Dict[Tuple[str, str], model.Prediction],
              budget: Optional[int]) -> List[str]:
    """Per executor at the user's N: the threads it starts and the memory of N idle tasks (the
    model, from the memory rows), against the threads this machine can still start."""
    here = [(e, preds[(e, plan.user.key)]) for e in plan.executors
            if (e, plan.user.key) in preds]
    of = f" of the {budget:,} this machine can still start (thread_budget)" if budget else ""
    lines = [f"  threads for {num_label(plan.workload.concurrency)} in flight{of}: "
             + ", ".join(f"{e} {p.threads:,}" for e, p in here)]
    over = [e for e, p in here if budget and p.threads > budget]
    if over:
        lines.append(f"  over the budget: {', '.join(over)} cannot start that many threads here")
    lines.append("  memory of N idle tasks (memory rows): " + ", ".join(
        f"{e} {fmt_bytes(p.memory_bytes)}" for e, p in here if p.memory_bytes))
    return lines


def errors(rows: Sequence[Measured], preds: Dict[Tuple[str, str], model.Prediction]) -> List[dict]:
    out = []
    for m in rows:
        p = preds[(m.executor, m.point.key)]
        doc = {"executor": m.executor, "chefs": m.point.chefs, "open_loop": m.point.open_loop,
               "predicted_per_s": p.rate, "measured_per_s": m.rate()[0],
               "rate_error_pct": None if m.point.open_loop else model.error_pct(p.rate,
                                                                                 m.rate()[0])}
        if m.point.open_loop:
            doc["p99_lower_bound_ms"] = None if p.p99_lower_s is None else p.p99_lower_s * 1e3
            doc["pooled_p99_ms"] = p99_cell(m.row).median
            doc["p99_bound_held"] = (None if p.p99_lower_s is None
                                     else p.p99_lower_s * 1e3 <= p99_cell(m.row).median)
        out.append(doc)
    return out


def median_abs(values: Sequence[Optional[float]]) -> Optional[float]:
    kept = [abs(v) for v in values if v is not None]
    return statistics.median(kept) if kept else None


def cells_json(found: Sequence[Cell]) -> List[dict]:
    return [dict(cell_json(c), text=c.text()) for c in found]

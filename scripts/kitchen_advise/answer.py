"""From measured rows to the answer: the cells (the table's own compare, interval and outcome:
kitchen_report.table.cells), the first line, the tables, the model against the measurement,
where the answer changes, the commands, and the JSON document."""

import math
import statistics
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Tuple

from kitchen_report.figures import fmt, fmt_bytes, num_label
from kitchen_report.load import Results, Row
from kitchen_report.openloop import ACHIEVED_SHARE, p99_cell
from kitchen_report.stats import (DISTURBED, LOSE, MIN_REPETITIONS, TIE, UNDECIDED, WIN,
                                  median_interval)
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


def interval_text(lo: float, hi: float, n: int = USER_MIN_REPETITIONS) -> str:
    """A 95% bootstrap interval, or with 3 repetitions or fewer a side what it is: the range."""
    if n <= 3:
        return f"range {bound(lo)}–{bound(hi)}x, n={n}"
    return f"95% CI {bound(lo)}–{bound(hi)}x"


def cell_text(c: Cell) -> str:
    """The table's cell text, with a 3-repetition interval called what it is: the range."""
    if c.interval is None or min(c.n_a, c.n_b) > 3:
        return c.text()
    return (f"{factor(c.ratio)} (range {bound(c.interval[0])}–{bound(c.interval[1])}, "
            f"n={c.n_a}/{c.n_b}): {c.outcome}")


def _inverse(x: float) -> float:
    return 1 / x if x else math.inf


def clause(c: Cell) -> str:
    """'asio_coro serves 3.1x threads_pool (95% CI 2.8–3.4x)', seen from the side ahead (for
    a tie or an undecided cell, from the side whose median is ahead)."""
    lead, other, r, ci = c.a, c.b, c.ratio, c.interval
    if c.ratio < 1:
        lead, other, r = c.b, c.a, _inverse(c.ratio)
        ci = (_inverse(ci[1]), _inverse(ci[0])) if ci else None
    spread = interval_text(*ci, min(c.n_a, c.n_b)) if ci else f"no interval, n={c.n_a}/{c.n_b}"
    if c.higher_is_better:
        return f"{lead} serves {factor(r)} {other} ({spread})"
    ms = {c.a: c.median_a, c.b: c.median_b}
    return (f"{lead}'s p99 is {fmt(ms[lead])} ms against {other}'s {fmt(ms[other])} ms "
            f"({factor(r)} lower, {spread})")


def word(c: Cell, fibers: bool = False) -> str:
    """The cell's outcome in words: async or threads ahead, or for a fiber cell (fibers) the
    executor ahead by name."""
    if c.outcome == UNDECIDED and c.possible and len(c.possible) == 1 and min(
            c.n_a, c.n_b) < USER_MIN_REPETITIONS:
        return f"undecided: fewer than {USER_MIN_REPETITIONS} repetitions a side"
    ahead, behind = (c.a, c.b) if fibers else ("async", "threads")
    return {WIN: f"{ahead} ahead", LOSE: f"{behind} ahead", TIE: "a tie",
            UNDECIDED: "undecided: the interval reaches across the tie band",
            DISTURBED: "undecided: measured while the machine was busy"}[c.outcome]


def fiber_clause(plan: plans.Plan, here: Sequence[Cell]) -> str:
    """'; fibers lead: fibers serves 1.2x asio_coro (...), ...' when a fiber executor is ahead
    of every executor it was compared with at this point, else '; fibers: <clause>, <word>;
    ...'; '' without fiber cells."""
    said = []
    for f in dict.fromkeys(fiber for _, fiber in plan.fibers):
        mine = [c for c in here if c.pair in plan.fibers and c.a == f]
        if not mine:
            continue
        head = "fibers lead" if all(c.outcome == WIN for c in mine) else "fibers"
        said.append(f"{head}: " + "; ".join(f"{clause(c)}, {word(c, fibers=True)}"
                                             for c in mine))
    return "".join(f"; {text}" for text in said)

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
    rate is measured, not predicted: the model's largest errors are on thread executors, which
    it has overestimated by several times at a thousand in flight (README)."""
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


def span(values: Sequence[float]) -> str:
    """'3,003–4,859', or the one figure when they agree."""
    lo, hi = fmt(min(values)), fmt(max(values))
    return lo if lo == hi else f"{lo}–{hi}"


def backlog_text(point: plans.Point, many: bool = False) -> str:
    """Why an over-capacity p99 is no steady state's."""
    this = "these p99s measure" if many else "this p99 measures"
    grows = "grow" if many else "grows"
    return (f"the queue grew for the whole {num_label(point.customers)}-order service, so "
            f"{this} that backlog and {grows} with the service's length, "
            f"{'they are' if many else 'it is'} not a steady state")


def open_loop_text(m: Measured) -> str:
    """One executor's open-loop p99 as measured; over capacity, labelled with what it served."""
    p = p99_cell(m.row)
    ci = f" (95% CI {fmt(p.interval[0])}–{fmt(p.interval[1])})" if p.interval else ""
    if not m.over:
        return f"{m.executor} {fmt(p.median)} ms{ci}"
    return (f"{m.executor} {fmt(p.median)} ms{ci}, over capacity: served {fmt(m.served)}/s of "
            f"{fmt(m.point.rate)}/s offered")


def verdict_clauses(plan: plans.Plan, here: Sequence[Cell]) -> str:
    """'<verdict>: <clause>, <word>; ...' over the catalogued pairs' cells at one point, then
    'but ...' for the executors outside those pairs where they change the answer."""
    pairs = set(plan.pairs)
    catalogued = [c for c in here if c.pair in pairs]
    text = f"{verdict(catalogued)}: " + "; ".join(f"{clause(c)}, {word(c)}" for c in catalogued)
    # The executors outside the catalogue's pairs, where they change the answer: a cell whose
    # outcome differs from every catalogued cell of the same thread executor.
    changed = [c for c in here if c.pair not in pairs and c.pair not in plan.fibers
               and all(d.outcome != c.outcome for d in catalogued if d.pair[0] == c.pair[0])]
    if changed:
        text += "; but " + "; ".join(f"{clause(c)}, {word(c)}" for c in changed)
    return text + fiber_clause(plan, here)


def user_rate_clause(plan: plans.Plan, rows: Sequence[Measured]) -> str:
    """The p99 at the user's rate, every executor's as measured; over capacity, labelled so."""
    op = plan.open_point
    here = [m for m in rows if m.point == op]
    head = f"at your {fmt(op.rate)}/s (open loop, Poisson)"
    over = [m for m in here if m.over]
    if here and len(over) == len(here):
        return (f"{head} every executor is over capacity on this machine (served "
                f"{span([m.served for m in here])}/s; p99 "
                f"{span([p99_cell(m.row).median for m in here])} ms: "
                f"{backlog_text(op, many=True)})")
    text = f"{head} p99 is " + ", ".join(open_loop_text(m) for m in here)
    if over:
        text += "; where over capacity, " + backlog_text(op, many=len(over) > 1)
    return text


def sustainable_why(plan: plans.Plan) -> str:
    """'70% of the lowest capacity measured, asio_coro's 3,002/s served at your rate'."""
    cap = plan.capacity
    return (f"{plans.SUSTAINABLE_SHARE * 100:.0f}% of the lowest capacity measured, "
            f"{cap.executor}'s {fmt(cap.per_s)}/s {cap.source}")


def sustainable_clause(plan: plans.Plan, found: Sequence[Cell],
                       rows: Sequence[Measured]) -> Optional[str]:
    """The steady-state p99s at the sustainable rate, their cells read as the closed loop's
    are; an executor still over capacity there is labelled and not compared."""
    sp = plan.sustainable
    if sp is None or plan.capacity is None:
        return None
    head = f"at {fmt(sp.rate)}/s ({sustainable_why(plan)}; open loop)"
    here_rows = [m for m in rows if m.point == sp]
    if not here_rows:
        return f"{head} no row was measured (see the error rows)"
    here = [c for c in found if c.level == level(sp)]
    text = (f"{head}, {verdict_clauses(plan, here)}" if here
            else f"{head} no pair has both sides under capacity to compare")
    over = [m for m in here_rows if m.over]
    if over:
        text += ("; still over capacity there, so not compared: "
                 + ", ".join(open_loop_text(m) for m in over))
    return text


def first_line(plan: plans.Plan, found: Sequence[Cell], rows: Sequence[Measured]) -> str:
    w = plan.workload
    head = f"At {num_label(w.concurrency)} in flight"
    if w.gil:
        head += " under the GIL"
    parts = [f"{head}, {verdict_clauses(plan, [c for c in found if c.level == level(plan.user)])}"]
    if plan.open_point is not None:
        parts.append(user_rate_clause(plan, rows))
    steady = sustainable_clause(plan, found, rows)
    if steady:
        parts.append(steady)
    short = []
    for m in rows:
        if m.point == plan.user and m.row.counters.get(PEAK, w.concurrency) < w.concurrency:
            short.append(f"{m.executor} reached at most {fmt(m.row.counters[PEAK])} of "
                         f"{num_label(w.concurrency)} in flight")
    if short:
        parts.append("peak in preparation: " + ", ".join(short))
    return "; ".join(parts) + "."


def changes(plan: plans.Plan, found: Sequence[Cell]) -> List[str]:
    """Per pair, the outcome at each closed point, and where it changes."""
    lines = []
    closed = [p for p in plan.points if not p.open_loop]
    for t, a in comparisons(plan):
        by = [(p, next((c for c in found if c.pair == (t, a) and c.level == level(p)), None))
              for p in closed]
        by = [(p, c) for p, c in by if c is not None]
        if not by:
            continue
        fibers = (t, a) in plan.fibers
        said = ", ".join(f"{word(c, fibers).split(':')[0]} at {num_label(p.chefs)}"
                         for p, c in by)
        flips = [f"between {num_label(p.chefs)} and {num_label(q.chefs)} in flight"
                 for (p, c), (q, d) in zip(by, by[1:])
                 if c.outcome != d.outcome and UNDECIDED not in (c.outcome, d.outcome)]
        tail = ("; the answer changes " + " and ".join(flips)) if flips else (
            "; the answer does not change within these neighbours" if len(by) > 1 else "")
        lines.append(f"- {a} vs {t}: {said}{tail}.")
    return lines


# Marks an over-capacity p99 in the table; the line under the point's rows says why.
OVER_MARK = "†"


def point_header(plan: plans.Plan, point: plans.Point) -> List[str]:
    """A point's title and column heads."""
    if point.sustainable:
        kind = f"open loop at {fmt(point.rate)}/s, Poisson: {sustainable_why(plan)}"
    elif point.open_loop:
        kind = f"open loop at your {fmt(point.rate)}/s, Poisson"
    else:
        kind = ("closed loop: every order is placed at time 0, so a closed batch has no "
                "request latency and no p99")
    lines = [f"{num_label(point.chefs)} in flight ({kind}; {num_label(point.customers)} "
             "requests a service; open ms = starting the chefs' threads or tasks, inside "
             "the wall clock):",
             f"  {'executor':<18} {'requests/s (interval)':<34} {'p99 ms':>16} "
             f"{'peak in prep.':>13} {'threads':>7} {'cpu':>5} {'open ms':>7} "
             f"{'model: N idle tasks':>19} n"]
    if not point.open_loop and point.customers < plans.ROUNDS_PER_CHEF * point.chefs:
        lines.append(f"  (only {point.customers / point.chefs:.1f} orders a chef, the "
                     f"service capped at {plans.SERVICE_S:g} s of the predicted rate: "
                     "the opening and drain weigh in, and the rates may depend on the "
                     "customer count)")
    return lines


def p99_column(m: Measured) -> str:
    """'-' in a closed loop; the median p99 with its interval, marked when over capacity."""
    if not m.point.open_loop:
        return "-"
    p = p99_cell(m.row)
    text = (f"{fmt(p.median)} ({fmt(p.interval[0])}–{fmt(p.interval[1])})" if p.interval
            else fmt(p.median))
    return f"{text} {OVER_MARK}" if m.over else text


def table_row(m: Measured, preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    """One executor's line, and a note under it when its opening weighs in."""
    r, ci = m.rate()
    n = m.row.repetitions
    label = "range" if n <= 3 else "95% CI"
    rate = f"{fmt(r)} ({label} {fmt(ci[0])}–{fmt(ci[1])})" if ci else fmt(r)
    c = m.row.counters
    pred = preds.get((m.executor, m.point.key))
    mem = fmt_bytes(pred.memory_bytes) if pred and pred.memory_bytes else "-"
    open_ms = fmt(c["open_us"] / 1e3) if "open_us" in c else "-"
    lines = [f"  {m.executor:<18} {rate:<34} {p99_column(m):>16} "
             f"{fmt(c.get(PEAK, math.nan)):>13} {fmt(c.get('os_threads', math.nan)):>7} "
             f"{c.get('cpu_util', math.nan):>5.2f} {open_ms:>7} {mem:>19} {n}"]
    service = m.point.customers / r if r else 0.0
    if "open_us" in c and service and c["open_us"] * 1e-6 > 0.05 * service:
        lines.append(f"    ({m.executor}: opening is {c['open_us'] * 1e-4 / service:.0f}% "
                     "of the service, so its rate depends on the customer count)")
    return lines


def over_note(point: plans.Point, here: Sequence[Measured]) -> List[str]:
    """The line under an open loop's rows that says which p99s are over capacity, and why
    they are no steady state's."""
    over = [m for m in here if m.over]
    if not over:
        return []
    served = ", ".join(f"{m.executor} {fmt(m.served)}/s" for m in over)
    return [f"  {OVER_MARK} over capacity: served under {ACHIEVED_SHARE:g}x the "
            f"{fmt(point.rate)}/s offered ({served}); {backlog_text(point, len(over) > 1)}"]


def lag_note(here: Sequence[Measured]) -> List[str]:
    """The line under an open loop's rows whose arrival schedule bench_kitchen marked late
    (arrival_lag_suspect: its p99 hand-over later than a tenth of a dish). Each latency still
    runs from the order's scheduled time, so the p99 counts that lateness; but the orders came
    in lumps, so the kitchen was not offered the even rate the row names."""
    late = [m for m in here if m.row.counters.get("arrival_lag_suspect", 0) >= 0.5]
    if not late:
        return []
    lags = [m.row.counters.get("arrival_lag_ms", math.nan) for m in late]
    return [f"  late arrivals: bench_kitchen handed orders over later than a tenth of a dish "
            f"(p99 {fmt(min(lags))}–{fmt(max(lags))} ms) in {len(late)} of {len(here)} rows "
            f"({', '.join(m.executor for m in late)}): their orders came in lumps, not at the "
            "even rate named; latency still runs from each order's scheduled time"]


def table(plan: plans.Plan, rows: Sequence[Measured],
          preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    lines = []
    for point in plan.points:
        here = [m for m in rows if m.point == point]
        if not here:
            continue
        lines += point_header(plan, point)
        for m in here:
            lines += table_row(m, preds)
        lines += over_note(point, here)
        if point.open_loop:
            lines += lag_note(here)
    return lines


def measured_pool_size(m: Measured, p: model.Prediction) -> Optional[float]:
    """N* = c (1 + W / (C + o_measured)), with C + o_measured the CPU a request took in this
    row: cpu_util (cores busy) over requests/s. None without cpu_util or a rate."""
    r = m.rate()[0]
    cpu = m.row.counters.get("cpu_util")
    if not cpu or not r:
        return None
    per_request = cpu / r
    return p.servers * (1 + p.wait_s / per_request)


def measured_overhead_s(m: Measured, p: model.Prediction) -> Optional[float]:
    """o measured: the CPU a request took (cpu_util / requests/s) minus its work C."""
    r = m.rate()[0]
    cpu = m.row.counters.get("cpu_util")
    if cpu is None or not r:
        return None
    return cpu / r - p.work_s


def model_lines(plan: plans.Plan, rows: Sequence[Measured],
                preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    lines = [f"  ({model.OVERHEAD_SOURCE}; N* measured = c (1 + W / (C + o measured)), o "
             "measured = cpu_util / requests/s - C, of the row at your N)",
             f"  {'executor':<18} {'in flight':>9} {'predicted/s':>12} {'bound':>9} "
             f"{'measured/s':>11} {'error':>7} {'o model us':>10} {'N* model':>9} "
             f"{'o meas. us':>10} {'N* meas.':>9}"]
    for m in rows:
        if m.point.open_loop:
            continue
        p = preds[(m.executor, m.point.key)]
        err = model.error_pct(p.rate, m.rate()[0])
        o_m, n_m = "", ""
        if m.point == plan.user:
            o = measured_overhead_s(m, p)
            n = measured_pool_size(m, p)
            o_m = "-" if o is None else fmt(o * 1e6)
            n_m = "-" if n is None else fmt(n)
        lines.append(f"  {m.executor:<18} {num_label(m.point.chefs):>9} {fmt(p.rate):>12} "
                     f"{p.bound:>9} {fmt(m.rate()[0]):>11} "
                     f"{'-' if err is None else f'{err:+.0f}%':>7} "
                     f"{fmt(p.overhead_s * 1e6):>10} {fmt(p.pool_size):>9} {o_m:>10} {n_m:>9}")
    return lines + open_loop_model_lines(plan, rows, preds)


def open_loop_model_lines(plan: plans.Plan, rows: Sequence[Measured],
                          preds: Dict[Tuple[str, str], model.Prediction]) -> List[str]:
    """Per open loop, each executor's M/M/c estimate against the p99 measured, the over-
    capacity ones labelled with what they served."""
    lines = []
    for op in (plan.open_point, plan.sustainable):
        here = [m for m in rows if m.point == op]
        if not here:
            continue
        lines.append(f"  open loop at {fmt(op.rate)}/s: the model's p99 (an M/M/c "
                     "estimate: Erlang C assumes exponential service times, the kitchen's "
                     "fixed steps queue less; not a bound) against the median of the "
                     "repetitions' p99 measured:")
        for m in here:
            p = preds[(m.executor, op.key)]
            est = ("over the predicted capacity: no estimate" if p.over_capacity
                   else f"M/M/c estimate {fmt(p.p99_estimate_s * 1e3)} ms")
            got = f"measured median p99 {fmt(p99_cell(m.row).median)} ms"
            if m.over:
                got += (f", over capacity: served {fmt(m.served)}/s of {fmt(op.rate)}/s "
                        "offered, so the p99 of a backlog, not of a steady state")
            lines.append(f"  {m.executor:<18} {est}, {got}")
    return lines


def resources(plan: plans.Plan, preds: Dict[Tuple[str, str], model.Prediction],
              budget: Optional[int], rows: Sequence[Measured] = ()) -> List[str]:
    """Per executor at the user's N: the threads it starts (the model's, and os_threads
    measured) and the model's memory of N idle tasks (from the memory rows), against the
    threads this machine can still start."""
    here = [(e, preds[(e, plan.user.key)]) for e in plan.executors
            if (e, plan.user.key) in preds]
    seen = {m.executor: m.row.counters.get("os_threads") for m in rows if m.point == plan.user}
    of = f" of the {budget:,} this machine can still start (thread_budget)" if budget else ""

    def measured_threads(e: str) -> str:
        t = seen.get(e)
        return "" if t is None else f" (measured os_threads {fmt(t)})"

    lines = [f"  threads for {num_label(plan.workload.concurrency)} in flight (model; "
             f"threads_per_order starts one per order){of}: "
             + ", ".join(f"{e} {p.threads:,}{measured_threads(e)}" for e, p in here)]
    over = [e for e, p in here if budget and p.threads > budget]
    if over:
        lines.append(f"  over the budget: {', '.join(over)} cannot start that many threads here")
    lines.append("  model: memory of N idle tasks (N x bytes per task of the memory rows): "
                 + ", ".join(f"{e} {fmt_bytes(p.memory_bytes) if p.memory_bytes else '- (no memory row of its kind)'}"
                             for e, p in here))
    return lines


def errors(rows: Sequence[Measured], preds: Dict[Tuple[str, str], model.Prediction],
           plan: Optional[plans.Plan] = None) -> List[dict]:
    out = []
    for m in rows:
        p = preds[(m.executor, m.point.key)]
        doc = {"executor": m.executor, "chefs": m.point.chefs, "open_loop": m.point.open_loop,
               "predicted_per_s": p.rate, "measured_per_s": m.rate()[0],
               "rate_error_pct": None if m.point.open_loop else model.error_pct(p.rate,
                                                                                 m.rate()[0]),
               "overhead_source": model.OVERHEAD_SOURCE,
               "overhead_model_us": p.overhead_s * 1e6, "pool_size_model": p.pool_size}
        if not m.point.open_loop and plan is not None and m.point == plan.user:
            o = measured_overhead_s(m, p)
            doc["overhead_measured_us"] = None if o is None else o * 1e6
            doc["pool_size_measured"] = measured_pool_size(m, p)
        if m.point.open_loop:
            doc["p99_mmc_estimate_ms"] = (None if p.p99_estimate_s is None
                                          else p.p99_estimate_s * 1e3)
            doc.update(open_loop_json(m))
        out.append(doc)
    return out


def median_abs(values: Sequence[Optional[float]]) -> Optional[float]:
    kept = [abs(v) for v in values if v is not None]
    return statistics.median(kept) if kept else None


def cells_json(found: Sequence[Cell]) -> List[dict]:
    return [dict(cell_json(c), text=cell_text(c),
                 interval_kind="range" if min(c.n_a, c.n_b) <= 3 else "bootstrap 95% CI")
            for c in found]

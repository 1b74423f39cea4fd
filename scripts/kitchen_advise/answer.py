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
             profile: str = plans.PROFILE, rate: Optional[float] = None) -> Optional[Row]:
    """The row of `executor` at `point`, of the profile advise runs (another in tests); an
    open-loop row at `rate` when one is given."""
    for r in results.family("kitchen"):
        if (r.kind == executor and r.profile == profile and set(r.params) <= _PARAMS
                and r.param("chefs") == point.chefs
                and r.param("customers") == point.customers
                and ("rate" in r.params) == point.open_loop
                and (not point.open_loop or rate is None
                     or abs(float(r.params["rate"]) - rate) < 0.5)):
            return r
    return None


def level(point: plans.Point) -> str:
    return f"{num_label(point.chefs)} in flight" + (", open loop" if point.open_loop else "")


# The repetitions a row at the user's point needs before a cell there may be decided: with 3,
# the bootstrap interval of a median is the min-max range (about 75% coverage).
USER_MIN_REPETITIONS = 5


def over_capacity(row: Row, rate: Optional[float]) -> bool:
    """An open-loop row that served less than ACHIEVED_SHARE of the rate: its queue grew for the
    whole service, so its p99 is the service's length, not a steady state's."""
    achieved = row.counters.get("achieved_per_s")
    return bool(rate) and achieved is not None and achieved < ACHIEVED_SHARE * rate


def comparisons(plan: plans.Plan) -> List[Tuple[str, str]]:
    """(threads, async) pairs compared: the catalogue's, then each async executor outside them
    (asio_coro_mt, asio_offload, when measured) against each thread executor."""
    found = list(plan.pairs)
    threads = list(dict.fromkeys(t for t, _ in plan.pairs))
    for a in plan.extra:
        found += [(t, a) for t in threads if (t, a) not in found]
    return found


def cells(results: Results, plan: plans.Plan, profile: str = plans.PROFILE) -> List[Cell]:
    """Per pair and point, async over threads: dishes/s in the closed loops, p99 (lower is
    better) in the open loop; the table's compare, interval and outcome, on the I/O row's band.
    An open-loop row over capacity has no p99 to compare (no cell); at the user's point a cell
    with fewer than USER_MIN_REPETITIONS repetitions a side stays undecided."""
    found = []
    for point in plan.points:
        for t, a in comparisons(plan):
            t_row = find_row(results, t, point, profile, plan.workload.rate)
            a_row = find_row(results, a, point, profile, plan.workload.rate)
            if t_row is None or a_row is None:
                continue
            if point.open_loop and (over_capacity(t_row, plan.workload.rate)
                                    or over_capacity(a_row, plan.workload.rate)):
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
    user = (level(plan.user),) + ((level(plan.open_point),) if plan.open_point else ())
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
    return f"{lead}'s p99 is {factor(r)} lower than {other}'s ({spread})"


def word(c: Cell) -> str:
    if c.outcome == UNDECIDED and c.possible and len(c.possible) == 1 and min(
            c.n_a, c.n_b) < USER_MIN_REPETITIONS:
        return f"undecided: fewer than {USER_MIN_REPETITIONS} repetitions a side"
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
               "peak_in_preparation": c.get(PEAK), "os_threads": c.get("os_threads"),
               "cpu_util": c.get("cpu_util"), "open_us": c.get("open_us")}
        if self.point.open_loop:
            # A closed batch places every order at time 0: its p99 is the batch's length, not
            # a request's latency, so only the open loop has one.
            p = p99_cell(self.row)
            doc["p50_ms"] = c.get("p50_ms")
            doc["median_p99_ms"] = p.median
            doc["median_p99_interval"] = list(p.interval) if p.interval else None
            doc["p99_counter"] = p.counter
            doc["achieved_per_s"] = c.get("achieved_per_s")
            doc["arrival_lag_suspect"] = c.get("arrival_lag_suspect")
        return doc


def measured(results: Results, plan: plans.Plan,
             profile: str = plans.PROFILE) -> List[Measured]:
    out = []
    for point in plan.points:
        for e in plan.executors:
            r = find_row(results, e, point, profile, plan.workload.rate)
            if r is not None:
                out.append(Measured(e, point, r))
    return out


def capacity(rows: Sequence[Measured], plan: plans.Plan) -> Optional[float]:
    """The lowest closed-loop requests/s measured at the user's N: the rate every executor
    served, below which an open loop's p99 is a steady state's."""
    rates = [m.rate()[0] for m in rows if m.point == plan.user]
    return min(rates) if rates else None


def suggested_rate(rows: Sequence[Measured], plan: plans.Plan) -> Optional[float]:
    """A rate to try instead of one over capacity: 70% of the lowest measured capacity, at
    two significant figures."""
    cap = capacity(rows, plan)
    if not cap:
        return None
    x = 0.7 * cap
    digits = max(int(math.floor(math.log10(x))) - 1, 0)
    return round(x, -digits)


def open_loop_text(m: Measured, plan: plans.Plan,
                   preds: Optional[Dict[Tuple[str, str], model.Prediction]] = None) -> str:
    """One executor's open-loop p99, or over capacity what it served instead."""
    achieved = m.row.counters.get("achieved_per_s")
    pred = (preds or {}).get((m.executor, m.point.key))
    if over_capacity(m.row, plan.workload.rate) or (pred is not None and pred.over_capacity
                                                     and achieved is None):
        served = fmt(achieved) if achieved is not None else "?"
        return (f"{m.executor} over capacity: served {served}/s; p99 undefined (the queue "
                "grows for the whole service)")
    p = p99_cell(m.row)
    ci = f" (95% CI {fmt(p.interval[0])}–{fmt(p.interval[1])})" if p.interval else ""
    return f"{m.executor} {fmt(p.median)} ms{ci}"


def first_line(plan: plans.Plan, found: Sequence[Cell], rows: Sequence[Measured]) -> str:
    w = plan.workload
    at = level(plan.user)
    here = [c for c in found if c.level == at]
    pairs = set(plan.pairs)
    catalogued = [c for c in here if c.pair in pairs]
    head = f"At {num_label(w.concurrency)} in flight"
    if w.gil:
        head += " under the GIL"
    parts = [f"{head}, {verdict(catalogued)}: "
             + "; ".join(f"{clause(c)}, {word(c)}" for c in catalogued)]
    # The executors outside the catalogue's pairs, where they change the answer: a cell whose
    # outcome differs from every catalogued cell of the same thread executor.
    changed = [c for c in here if c.pair not in pairs
               and all(d.outcome != c.outcome for d in catalogued if d.pair[0] == c.pair[0])]
    if changed:
        parts.append("but " + "; ".join(f"{clause(c)}, {word(c)}" for c in changed))
    op = plan.open_point
    if op is not None:
        texts = [open_loop_text(m, plan) for m in rows if m.point == op]
        parts.append(f"at your {fmt(w.rate)}/s (open loop, Poisson) p99 is " + ", ".join(texts))
        if any(over_capacity(m.row, w.rate) for m in rows if m.point == op):
            rate = suggested_rate(rows, plan)
            if rate:
                parts.append(f"try a rate below the measured capacity, e.g. --rate={rate:g}")
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
                else "closed loop: every order is placed at time 0, so a closed batch has no "
                "request latency and no p99")
        lines += [f"{num_label(point.chefs)} in flight ({kind}; {num_label(point.customers)} "
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
        for m in here:
            r, ci = m.rate()
            n = m.row.repetitions
            label = "range" if n <= 3 else "95% CI"
            rate = f"{fmt(r)} ({label} {fmt(ci[0])}–{fmt(ci[1])})" if ci else fmt(r)
            c = m.row.counters
            if point.open_loop:
                if over_capacity(m.row, plan.workload.rate):
                    p99 = "over capacity"
                else:
                    p = p99_cell(m.row)
                    p99 = (f"{fmt(p.median)} ({fmt(p.interval[0])}–{fmt(p.interval[1])})"
                           if p.interval else fmt(p.median))
            else:
                p99 = "-"
            pred = preds.get((m.executor, point.key))
            mem = fmt_bytes(pred.memory_bytes) if pred and pred.memory_bytes else "-"
            open_ms = fmt(c["open_us"] / 1e3) if "open_us" in c else "-"
            lines.append(f"  {m.executor:<18} {rate:<34} {p99:>16} "
                         f"{fmt(c.get(PEAK, math.nan)):>13} "
                         f"{fmt(c.get('os_threads', math.nan)):>7} "
                         f"{c.get('cpu_util', math.nan):>5.2f} {open_ms:>7} {mem:>19} {n}")
            service = point.customers / r if r else 0.0
            if "open_us" in c and service and c["open_us"] * 1e-6 > 0.05 * service:
                lines.append(f"    ({m.executor}: opening is {c['open_us'] * 1e-4 / service:.0f}% "
                             "of the service, so its rate depends on the customer count)")
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
    op = plan.open_point
    if op is not None:
        lines.append(f"  open loop at {fmt(plan.workload.rate)}/s: the model's p99 (an M/M/c "
                     "estimate: Erlang C assumes exponential service times, the kitchen's "
                     "fixed steps queue less; not a bound) against the median of the "
                     "repetitions' p99 measured:")
        for m in rows:
            if m.point != op:
                continue
            p = preds[(m.executor, op.key)]
            est = ("over the predicted capacity: no estimate" if p.over_capacity
                   else f"M/M/c estimate {fmt(p.p99_estimate_s * 1e3)} ms")
            got = (f"over capacity: served {fmt(m.row.counters.get('achieved_per_s', math.nan))}"
                   "/s; p99 undefined (the queue grows for the whole service)"
                   if over_capacity(m.row, plan.workload.rate)
                   else f"measured median p99 {fmt(p99_cell(m.row).median)} ms")
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
            over = plan is not None and over_capacity(m.row, plan.workload.rate)
            doc["p99_mmc_estimate_ms"] = (None if p.p99_estimate_s is None
                                          else p.p99_estimate_s * 1e3)
            doc["over_capacity"] = over
            doc["median_p99_ms"] = None if over else p99_cell(m.row).median
        out.append(doc)
    return out


def median_abs(values: Sequence[Optional[float]]) -> Optional[float]:
    kept = [abs(v) for v in values if v is not None]
    return statistics.median(kept) if kept else None


def cells_json(found: Sequence[Cell]) -> List[dict]:
    return [dict(cell_json(c), text=cell_text(c),
                 interval_kind="range" if min(c.n_a, c.n_b) <= 3 else "bootstrap 95% CI")
            for c in found]

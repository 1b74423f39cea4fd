"""kitchen advise's tables under the first lines: per point each executor's measured row, the
model against the measurement (and per open loop its M/M/c estimate against the p99), the
threads and memory against the machine's budget, and the model's errors as JSON."""

import math
import statistics
from typing import Dict, List, Optional, Sequence, Tuple

from kitchen_report.figures import fmt, fmt_bytes, num_label
from kitchen_report.openloop import ACHIEVED_SHARE, p99_cell

from . import model, plan as plans
from .answer import backlog_text, sustainable_why
from .decide import PEAK, Measured, open_loop_json

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

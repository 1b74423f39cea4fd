"""One sentence under each chart of REPORT.md, saying what it shows with this run's figures."""

import statistics
from typing import Callable, Dict, List, Optional

from .figures import (chefs, customers, customers_per_chef, fmt, fmt_bytes, fmt_ns, kitchen,
                      largest_param_rows, num_label, times)
from .load import Results
from .table.common import pairs


def _throughput(results: Results) -> Optional[str]:
    rows = kitchen(results, profile="io", gil=False, sweep_only=True)
    if not rows:
        return None
    top = max(chefs(r) for r in rows)
    at = [r for r in rows if chefs(r) == top]
    n = max(customers(r) for r in at)
    at = [r for r in at if customers(r) == n]
    best = max(at, key=lambda r: r.counters["dishes_per_s"])
    worst = min(at, key=lambda r: r.counters["dishes_per_s"])
    return (f"On the io profile at {num_label(top)} chefs and {num_label(n)} customers, "
            f"{best.kind} serves the most dishes per second ({fmt(best.counters['dishes_per_s'])}"
            f"), {worst.kind} the fewest ({fmt(worst.counters['dishes_per_s'])}).")


def _latency(results: Results) -> Optional[str]:
    rows = [r for r in kitchen(results, profile="io", gil=False, sweep_only=True)
            if customers_per_chef(r) == 1]
    found = []
    for t, a in pairs(results)[:1]:
        for e in (a, t):
            mine = sorted((r for r in rows if r.kind == e), key=customers)
            if len(mine) >= 2:
                found.append(f"{e}'s from {fmt(mine[0].real_ms)} ms at {num_label(customers(mine[0]))}"
                             f" to {fmt(mine[-1].real_ms)} ms at {num_label(customers(mine[-1]))}")
    if not found:
        return None
    return ("On the io profile with one chef per customer the ideal makespan stays flat; "
            f"the measured makespan grows, {' and '.join(found)} customers.")


def _efficiency(profile: str) -> Callable[[Results], Optional[str]]:
    def caption(results: Results) -> Optional[str]:
        rows = [r for r in kitchen(results, profile=profile, gil=False, sweep_only=True)
                if r.counters["efficiency"] > 0]
        means: Dict[str, float] = {}
        for e in results.catalogue.sorted(r.kind for r in rows):
            means[e] = statistics.fmean(r.counters["efficiency"] for r in rows if r.kind == e)
        if len(means) < 2:
            return None
        best, worst = max(means, key=means.get), min(means, key=means.get)
        return (f"On the {profile} profile, {best} has the highest mean efficiency over its cells "
                f"({fmt(means[best])}), {worst} the lowest ({fmt(means[worst])}).")
    return caption


def _cpu(results: Results) -> Optional[str]:
    from .table.cpu import gains
    found = {}
    for e in results.catalogue:
        if e.side in ("threads", "async", "fibers"):
            best = max((g for g in gains(results, e.name, False)), key=lambda g: g[2],
                       default=None)
            if best and (e.side not in found or best[2] > found[e.side][1][2]):
                found[e.side] = (e.name, best)
    if not found:
        return None
    parts = [f"the best {side} executor, {name}, reaches {times(g[2])} at {chefs(g[0])} chefs"
             for side, (name, g) in found.items()]
    return "Without the GIL, over the baseline, " + "; ".join(parts) + "."


def _from_to(rows, counter: str, show, name) -> str:
    """"from <least> (<its name>) to <most> (<its name>)": the rows' span of one counter, each
    end shown by show(value) and named by name(row)."""
    low = min(rows, key=lambda r: r.counters[counter])
    high = max(rows, key=lambda r: r.counters[counter])
    return (f"from {show(low.counters[counter])} ({name(low)}) to "
            f"{show(high.counters[counter])} ({name(high)})")


def _overhead(results: Results) -> Optional[str]:
    rows = [r for r in kitchen(results, profile="overhead", gil=False, sweep_only=True)]
    if not rows:
        return None
    span = _from_to(rows, "us_per_dish", lambda v: f"{fmt(v)} µs",
                    lambda r: f"{r.kind}, {chefs(r)} chefs")
    return f"With nothing to wait for and nothing to compute, a dish costs {span}."


def _memory(results: Results) -> Optional[str]:
    rows = largest_param_rows(results.family("memory"), "tasks")
    if len(rows) < 2:
        return None
    # The measured total (resident, kernel stack, page tables and task_struct slab) where the
    # rows have it; resident and kernel stack for results from before it.
    cost = {k: r.counters.get("total_bytes_per_task",
                              r.counters["bytes_per_task"] + r.counters.get("kernel_bytes_per_task", 0))
            for k, r in rows.items()}
    parts = ("resident, kernel stack, page tables and task_struct slab together"
             if all("total_bytes_per_task" in r.counters for r in rows.values())
             else "resident and kernel together")
    low, high = min(cost, key=cost.get), max(cost, key=cost.get)
    return (f"At the most tasks each kind ran, an idle task costs from {fmt_bytes(cost[low])} "
            f"({low}) to {fmt_bytes(cost[high])} ({high}), {parts}.")


def _spawn_switch(results: Results) -> Optional[str]:
    parts = []
    for family, counter, what in (("spawn", "ns_per_spawn", "spawning a task"),
                                  ("switch", "ns_per_switch", "a switch round trip")):
        rows = results.family(family)
        if rows:
            parts.append(f"{what} costs {_from_to(rows, counter, fmt_ns, lambda r: r.kind)}")
    return ("; ".join(parts).capitalize() + ".") if parts else None


def _timer(results: Results) -> Optional[str]:
    rows = results.family("timer")
    if not rows:
        return None
    span = _from_to(rows, "overshoot_us_p50", lambda v: f"{fmt(v)} µs", lambda r: f"`{r.name}`")
    return f"The median overshoot past a requested wait runs {span}."


def _latency_vs_load(results: Results) -> Optional[str]:
    from . import openloop
    found = openloop.sustained(results)
    if not found:
        return None
    (profile, _, _, n_chefs), by_label = next(iter(found.items()))

    def knee(s) -> float:
        return s.knee.counters["load"] if s.knee else -1.0

    def said(s) -> str:
        return openloop.knee_text(s)

    rank = sorted(by_label.values(), key=lambda s: (knee(s), s.label))
    best, worst = rank[-1], rank[0]
    low, top = best.rows[0], best.rows[-1]
    text = (f"On the {profile} profile with {num_label(n_chefs)} chefs, {best.label}'s p99 goes "
            f"from {fmt(low.counters['p99_ms'])} ms at load "
            f"{num_label(round(low.counters['load'], 3))} to {fmt(top.counters['p99_ms'])} ms at "
            f"{num_label(round(top.counters['load'], 3))}")
    if knee(best) == knee(worst):
        return f"{text}; every executor drawn there sustains {said(best)}."
    return (f"{text}; the highest load sustained there is {said(best)} for {best.label} and "
            f"{said(worst)} for {worst.label}.")


def _net(results: Results) -> Optional[str]:
    """Each executor's dishes/s with real I/O against timers at the most chefs both ran, and
    the pantry server's share of those net rows' time."""
    from .figures import IO_NET, IO_TIMER, io_rows
    timer = {(r.kind, chefs(r), customers(r)): r for r in io_rows(results, IO_TIMER)}
    net = [r for r in io_rows(results, IO_NET) if (r.kind, chefs(r), customers(r)) in timer]
    if not net:
        return None
    top = max(chefs(r) for r in net)
    at = [r for r in net if chefs(r) == top]
    n = max(customers(r) for r in at)
    order = results.catalogue.sorted(r.kind for r in at)
    at = sorted((r for r in at if customers(r) == n), key=lambda r: order.index(r.kind))
    said = [f"{r.kind} {fmt(r.counters['dishes_per_s'])} against "
            f"{fmt(timer[(r.kind, top, n)].counters['dishes_per_s'])}" for r in at]
    shares = [r.counters["server_cpu_util"] * 100 for r in at if "server_cpu_util" in r.counters]
    server = (f"; the pantry server was on a CPU for {shares[0]:.0f}% of those rows' time"
              if shares and min(shares) == max(shares) else
              f"; the pantry server was on a CPU for {min(shares):.0f}% to {max(shares):.0f}% of "
              "those rows' time" if shares else "")
    return (f"On the io profile at {num_label(top)} chefs and {num_label(n)} customers, dishes "
            f"per second over loopback sockets against timers: {', '.join(said)}{server}.")


CAPTIONS: Dict[str, Callable[[Results], Optional[str]]] = {
    "throughput": _throughput, "net": _net, "latency": _latency, "latency_vs_load": _latency_vs_load,
    "efficiency_io": _efficiency("io"),
    "efficiency_mixed": _efficiency("mixed"), "efficiency_cpu": _efficiency("cpu"),
    "cpu_speedup": _cpu, "overhead": _overhead, "memory": _memory,
    "spawn_switch": _spawn_switch, "timer": _timer,
}


def caption(results: Results, stem: str) -> List[str]:
    make = CAPTIONS.get(stem)
    text = make(results) if make else None
    return [text] if text else []

"""Charts of the kitchen rows: throughput, makespan and latency, efficiency, CPU speedup, and
the executors' own cost per dish. Each function returns [(file stem, figure)] or raises NoData.
"""

import math
import textwrap
from typing import Dict, List, Sequence, Tuple

import numpy as np
import chart_style as style
from chart_style import NoData, plain_log_axis
from kitchen_figures import (chefs, customers, customers_per_chef, executor_key, executors,
                             fixed_value, fmt, kitchen,
                             num_label, panel_key, panel_title, profile_key, speedup_curves)
from kitchen_results import Results, Row, num_cpus


def _panels(rows: Sequence[Row]) -> Dict[Tuple[str, float, float], List[Row]]:
    panels: Dict[Tuple[str, float, float], List[Row]] = {}
    for r in rows:
        panels.setdefault(panel_key(r), []).append(r)
    return dict(sorted(panels.items(), key=lambda kv: (profile_key(kv[0][0]), kv[0][1:])))


def _curves(rows: Sequence[Row], vary, fix, prefer_larger=True):
    """Per executor: (its value of `fix`, the panel's, [its rows sorted by `vary`]). An executor
    is drawn at the panel's value of `fix` when it has two points there, else at its own best
    value, and the caller labels it so."""
    chosen = fixed_value(rows, vary, fix, prefer_larger)
    for e in executors(rows):
        mine = [r for r in rows if r.kind == e]
        at = chosen if sum(1 for r in mine if fix(r) == chosen) >= 2 \
            else fixed_value(mine, vary, fix, prefer_larger)
        yield e, at, chosen, sorted((r for r in mine if fix(r) == at), key=vary)


def _exceptions(drawn) -> str:
    """Title text for executors drawn at another setting than the panel's, grouped by setting
    and wrapped to the panel's width: ' (py_threads, py_asyncio at 10)'."""
    by_value: Dict[float, List[str]] = {}
    for e, at, chosen in drawn:
        if at != chosen:
            by_value.setdefault(at, []).append(e)
    if not by_value:
        return ""
    text = "; ".join(f"{', '.join(es)} at {num_label(v)}" for v, es in sorted(by_value.items()))
    return "\n" + textwrap.fill(f"({text})", width=60)


def _spread(rows, vary, fix, value) -> int:
    return len({vary(r) for r in rows if fix(r) == value})


def _hold_for_chefs(rows):
    """How to hold the sweep still while chefs vary: one customer count, or one number of
    customers per chef (the quick sweep's only choice), whichever gives longer curves.
    Returns (fix, value, prefer_larger, title text)."""
    n = fixed_value(rows, chefs, customers)
    k = fixed_value(rows, chefs, customers_per_chef, prefer_larger=False)
    if _spread(rows, chefs, customers_per_chef, k) > _spread(rows, chefs, customers, n):
        return customers_per_chef, k, False, _per_chef(k)
    return customers, n, True, f"{num_label(n)} customers"


def _per_chef(k: float) -> str:
    return "chefs = customers" if k == 1 else f"{fmt(k)} customers per chef"


def _panel_grid(fig, n):
    """Up to three panels side by side, more in two rows, so that none gets too narrow."""
    cols = n if n <= 3 else math.ceil(n / 2)
    axes = fig.subplots(math.ceil(n / cols), cols, squeeze=False).flatten()
    for ax in axes[n:]:
        ax.set_visible(False)
    return axes[:n]


def throughput(results: Results, note: str):
    panels = _panels(kitchen(results, gil=False, sweep_only=True))
    if not panels:
        raise NoData("no kitchen rows")
    n = len(panels)
    cols = n if n <= 3 else math.ceil(n / 2)
    fig = style.figure(4.4 * cols + style.LEGEND_INCHES, 4.0 * math.ceil(n / cols), legend=True)
    axes = _panel_grid(fig, n)
    for ax, (key, rows) in zip(axes, panels.items()):
        fix, chosen, larger, held = _hold_for_chefs(rows)
        drawn = []
        for e, at, _, line in _curves(rows, chefs, fix, larger):
            ax.plot([chefs(r) for r in line], [r.counters["dishes_per_s"] for r in line],
                    label=e, **style.line_style(e))
            drawn.append((e, at, chosen))
        ax.set_xscale("log")
        style.measured_ticks(ax, [x for line in ax.get_lines() for x in line.get_xdata()])
        values = [y for line in ax.get_lines() for y in line.get_ydata() if y > 0]
        # Within one decade a log axis shows one or two labels at best: plain numbers read better.
        if values and max(values) / min(values) >= 10:
            ax.set_yscale("log")
            plain_log_axis(ax.yaxis)
        else:
            ax.set_ylim(bottom=0)
        ax.set_title(f"{panel_title(key)}\n{held}{_exceptions(drawn)}")
        ax.set_xlabel("chefs (dishes in preparation at once)")
        ax.set_ylabel("throughput (dishes per second)")
    style.shared_legend(fig, axes)
    fig.suptitle("Throughput vs chefs (higher is better)")
    style.footnote(fig, note)
    return [("throughput", fig)]


def latency(results: Results, note: str):
    panels = _panels(kitchen(results, gil=False, sweep_only=True))
    if not panels:
        raise NoData("no kitchen rows")
    n = len(panels)
    # One row per profile, makespan left and p99 right: reads down, however many profiles.
    fig = style.figure(2 * 4.4 + style.LEGEND_INCHES, 3.4 * n + 0.6, legend=True)
    grid = fig.subplots(n, 2, squeeze=False)
    for i, (key, rows) in enumerate(panels.items()):
        # Customers per chef held fixed (1 if measured: every order cooking at once), so the
        # ideal makespan stays flat and any growth is the executor's.
        chosen = fixed_value(rows, customers, customers_per_chef, prefer_larger=False)
        drawn = []
        for e, at, _, line in _curves(rows, customers, customers_per_chef, prefer_larger=False):
            xs = [customers(r) for r in line]
            grid[i][0].plot(xs, [r.real_ms for r in line], label=e, **style.line_style(e))
            grid[i][1].plot(xs, [r.counters["p99_ms"] for r in line], label=e,
                            **style.line_style(e))
            drawn.append((e, at, chosen))
        held = _per_chef(chosen)
        for j, what in enumerate(("makespan (ms per service)", "p99 latency (ms per order)")):
            ax = grid[i][j]
            ax.set_xscale("log")
            ax.set_yscale("log")
            style.measured_ticks(ax, [x for line in ax.get_lines() for x in line.get_xdata()])
            plain_log_axis(ax.yaxis)
            ax.set_xlabel("customers (orders per service)")
            ax.set_ylabel(what)
            ax.set_title(f"{panel_title(key)}\n{held}{_exceptions(drawn)}")
    style.shared_legend(fig, grid.flatten())
    fig.suptitle("Makespan and p99 latency vs customers, concurrency growing with them "
                 "(lower is better)")
    style.footnote(fig, note)
    return [("latency", fig)]


def efficiency(results: Results, note: str):
    figures = []
    panels = _panels(kitchen(results, gil=False, sweep_only=True))
    if not panels:
        raise NoData("no kitchen rows")
    for key, rows in panels.items():
        if not any(r.counters["efficiency"] > 0 for r in rows):
            continue  # the overhead profile: no ideal time to compare with
        names = executors(rows)
        cs = sorted({chefs(r) for r in rows})
        ns = sorted({customers(r) for r in rows})
        cols = len(names) if len(names) <= 5 else math.ceil(len(names) / 2)
        nrows = math.ceil(len(names) / cols)
        # Sized by cells, so that the numbers written in them fit however large the sweep.
        fig = style.figure(0.55 * len(ns) * cols + 2.2, (0.42 * len(cs) + 1.3) * nrows + 0.5)
        axes = fig.subplots(nrows, cols, squeeze=False).flatten()
        image = None
        for ax, e in zip(axes, names):
            grid = np.full((len(cs), len(ns)), np.nan)
            for r in rows:
                if r.kind == e:
                    grid[cs.index(chefs(r)), ns.index(customers(r))] = r.counters["efficiency"]
            image = ax.imshow(np.ma.masked_invalid(grid), origin="lower", cmap="viridis",
                              vmin=0, vmax=1, aspect="auto")
            for (i, j), value in np.ndenumerate(grid):
                if not math.isnan(value):
                    ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                            color="black" if value > 0.6 else "white")
            ax.set_xticks(range(len(ns)), [num_label(v) for v in ns], rotation=45)
            ax.set_yticks(range(len(cs)), [num_label(v) for v in cs])
            ax.set_xlabel("customers")
            ax.set_ylabel("chefs")
            ax.set_title(e)
            ax.grid(False)
            ax.set_facecolor("#eeeeee")  # cells not in the sweep
        for ax in axes[len(names):]:
            ax.set_visible(False)
        fig.colorbar(image, ax=list(axes[:len(names)]), shrink=0.9,
                     label="efficiency (ideal / measured makespan)")
        fig.suptitle(f"Efficiency, chefs x customers: {panel_title(key)} "
                     "(1 = ideal; grey: not run)")
        style.footnote(fig, note)
        stem = f"efficiency_{key[0]}" + ("" if sum(k[0] == key[0] for k in panels) == 1
                                          else f"_io{key[1]:g}_cpu{key[2]:g}")
        figures.append((stem, fig))
    if not figures:
        raise NoData("no kitchen rows with an ideal makespan (only the overhead profile?)")
    return figures


def cpu_speedup(results: Results, note: str):
    cpus = num_cpus(results)
    curves = speedup_curves(kitchen(results, profile="cpu", sweep_only=True))
    if not curves:
        raise NoData("no cpu-profile rows with 1 chef and more")
    fig = style.figure(6.5 + style.LEGEND_INCHES, 4.2, legend=True)
    ax = fig.subplots()
    ordered = sorted(curves.items(), key=lambda kv: (executor_key(kv[0][0]), kv[0][1]))
    counts = {customers(curve[0][2]) for _, curve in ordered}
    xs = sorted({c for _, curve in ordered for c, _, _ in curve})
    if cpus:
        # Behind the data: with n cores, n chefs at most can run at once.
        ax.plot(xs, [min(x, cpus) for x in xs], color="#999999", linewidth=4, alpha=0.4,
                zorder=0, label=f"ideal on {cpus} cores")
    for (e, gil), curve in ordered:
        st = style.line_style(e)
        if gil:
            st.update(linestyle=":")
        label = e + (" with GIL emulation" if gil else "")
        if len(counts) > 1:
            label += f" ({num_label(customers(curve[0][2]))} customers)"
        ax.plot([c for c, _, _ in curve], [s for _, s, _ in curve], label=label, **st)
    top = max([cpus or 1] + [s for _, curve in ordered for _, s, _ in curve])
    ax.set_xscale("log")
    style.measured_ticks(ax, xs)
    ax.set_ylim(0, top * 1.15)
    ax.set_xlabel("chefs (dishes in preparation at once)")
    ax.set_ylabel("speedup over 1 chef (ratio of dishes/s)")
    gil_note = ("GIL emulation dotted" if any(gil for _, gil in curves)
                else "GIL emulation not measured in this run")
    if any(e.startswith("py_") for e, _ in curves):
        gil_note += "; py_*: CPython and its real GIL"
    where = f", {num_label(min(counts))} customers" if len(counts) == 1 else ""
    ax.set_title(f"cpu profile{where}; {gil_note}")
    style.shared_legend(fig, [ax])
    fig.suptitle("CPU-bound speedup vs chefs: does adding chefs add cores?")
    style.footnote(fig, note)
    return [("cpu_speedup", fig)]


def overhead(results: Results, note: str):
    rows = kitchen(results, gil=False, sweep_only=True)
    rows = [r for r in rows if r.counters["io_us"] == 0 and r.counters["cpu_us"] == 0]
    if not rows:
        raise NoData("no overhead-profile rows (run with --profiles=...,overhead)")
    # The customer count that most executors were measured at, then the one with most chefs.
    # Every executor appears: one not measured there (py_kitchen.py's sweep is smaller than
    # bench_kitchen's) is drawn at its own customer count, and its bars say which.
    kinds = {}
    for r in rows:
        kinds.setdefault(customers(r), set()).add(r.kind)
    n = max(kinds, key=lambda v: (len(kinds[v]), _spread(rows, chefs, customers, v), v))
    at = {}
    for e in executors(rows):
        mine = [r for r in rows if r.kind == e]
        at[e] = n if any(customers(r) == n for r in mine) else fixed_value(mine, chefs, customers)
    rows = [r for r in rows if customers(r) == at[r.kind]]
    names = executors(rows)
    cs = sorted({chefs(r) for r in rows})
    fig = style.figure(7.5, 0.22 * len(names) * len(cs) + 0.25 * len(names) + 1.6)
    ax = fig.subplots()
    height = 0.8 / len(cs)
    for k, c in enumerate(cs):
        for i, e in enumerate(names):
            row = next((r for r in rows if r.kind == e and chefs(r) == c), None)
            if row is None:
                continue
            y = i + (k - (len(cs) - 1) / 2) * height
            value = row.counters["us_per_dish"]
            ax.barh(y, value, height=height * 0.9, color=style.colour(e),
                    alpha=0.45 + 0.55 * (k + 1) / len(cs))  # more chefs, darker bar
            elsewhere = f", {num_label(at[e])} customers" if at[e] != n else ""
            ax.text(value, y, f" {value:.3g} µs (chefs: {num_label(c)}{elsewhere})", va="center",
                    fontsize=7)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(right=ax.get_xlim()[1] * 8)  # room for the value labels
    plain_log_axis(ax.xaxis, lambda v: f"{v:g} µs")
    ax.set_xlabel("wall time per dish (µs, log scale; no wait, no work: the executor's own cost)")
    others = " (others as marked)" if any(v != n for v in at.values()) else ""
    ax.set_title(f"overhead profile, {num_label(n)} customers{others}")
    fig.suptitle("Executor overhead per dish (lower is better)")
    style.footnote(fig, note)
    return [("overhead", fig)]

"""Throughput against chefs and makespan against customers, one panel per profile. Every line
is named at its end (no legend to match colours against), markers are hollow so that lines
drawn on top of each other stay visible, and bars show the min-max over repetitions."""

import math

from . import style
from .panels import by_panel, curves, exceptions, grid, hold_for_chefs, per_chef
from ..figures import chefs, customers, customers_per_chef, fixed_value, kitchen, panel_title
from ..load import REAL_MS, Results

LABEL_INCHES = 1.5


def _log_if_wide(ax, values) -> None:
    values = [v for v in values if v > 0]
    # Within one decade a log axis shows one or two labels at best: plain numbers read better.
    if values and max(values) / min(values) >= 10:
        ax.set_yscale("log")
        style.plain_log_axis(ax.yaxis)
    else:
        ax.set_ylim(bottom=0, top=max(values or [1]) * 1.1)


def throughput(results: Results, note: str):
    panels = by_panel(kitchen(results, gil=False, sweep_only=True))
    if not panels:
        raise style.NoData("no kitchen rows")
    n = len(panels)
    cols = n if n <= 2 else 2
    fig = style.figure((4.6 + LABEL_INCHES) * cols, 4.2 * math.ceil(n / cols))
    axes = grid(fig, n, cols)
    for ax, (key, rows) in zip(axes, panels.items()):
        fix, larger, held = hold_for_chefs(rows)
        drawn, series = [], []
        for e, at, chosen, line in curves(results, rows, chefs, fix, larger):
            series.append(style.Series(e, [chefs(r) for r in line], line, "dishes_per_s",
                                       style.series_style(results.catalogue, e)))
            drawn.append((e, at, chosen))
        style.draw(ax, series)
        ax.set_xscale("log")
        style.measured_ticks(ax, [x for s in series for x in s.xs])
        _log_if_wide(ax, [y for s in series for y in s.ys])
        style.finish(ax, series)
        ax.set_title(f"{panel_title(key)}\n{held}{exceptions(drawn)}")
        ax.set_xlabel("chefs (dishes in preparation at once)")
        ax.set_ylabel("throughput (dishes per second, median)")
    fig.suptitle("Throughput vs chefs (higher is better; bars: min-max over repetitions)")
    style.footnote(fig, note)
    return [("throughput", fig)]


def orders_arrive_over_time(rows) -> bool:
    """Whether any row places its orders at a rate (/rate:R) rather than all at open. With every
    order placed at open, an order's latency is its end time, so p99 is the makespan less the
    last 1% of orders: a p99 panel would repeat the makespan panel."""
    return any("rate" in r.params for r in rows)


def latency(results: Results, note: str):
    rows = kitchen(results, gil=False, sweep_only=True)
    panels = by_panel(rows)
    if not panels:
        raise style.NoData("no kitchen rows")
    with_p99 = orders_arrive_over_time(rows)
    what = [("makespan (ms per service, median)", REAL_MS)]
    if with_p99:
        what.append(("p99 latency (ms per order, median)", "p99_ms"))
    n = len(panels)
    cols = len(what) if with_p99 else (n if n <= 2 else 2)
    nrows = n if with_p99 else math.ceil(n / cols)
    fig = style.figure((4.4 + LABEL_INCHES) * cols, 3.6 * nrows + 0.4)
    axes = iter(grid(fig, nrows * cols, cols))
    for key, rows in panels.items():
        chosen = fixed_value(rows, customers, customers_per_chef, prefer_larger=False)
        picked = list(curves(results, rows, customers, customers_per_chef, prefer_larger=False))
        drawn = [(e, at, chosen) for e, at, _, _ in picked]
        for label, counter in what:
            ax = next(axes)
            series = [style.Series(e, [customers(r) for r in line], line, counter,
                                   style.series_style(results.catalogue, e))
                      for e, _, _, line in picked]
            style.draw_log_log(ax, series)
            ax.set_xlabel("customers (orders per service)")
            ax.set_ylabel(label)
            ax.set_title(f"{panel_title(key)}\n{per_chef(chosen)}{exceptions(drawn)}")
    why = "" if with_p99 else ";\nevery order is placed at open, so p99 latency follows the makespan: not drawn"
    fig.suptitle(f"Makespan vs customers, concurrency growing with them (lower is better{why})")
    style.footnote(fig, note)
    return [("latency", fig)]

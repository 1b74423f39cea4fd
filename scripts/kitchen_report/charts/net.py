"""Throughput against chefs with timers and with real I/O: one small panel per catalogue pair,
its two executors each drawn with timer rows, net rows (/io:net, epoll) and io_uring rows
(/reactor:io_uring) where measured, on the io profile at the customers most widely swept."""

import math

from . import style
from .panels import grid
from ..figures import IO_NET, IO_TIMER, IO_URING, chefs, customers, fixed_value, io_rows, num_label
from ..load import Results

# Line style per I/O variant; the colour and marker stay the executor's.
_DASH = {IO_TIMER: ":", IO_NET: "-", IO_URING: "-."}
_SHORT = {IO_TIMER: "timer", IO_NET: "net", IO_URING: "io_uring"}


def _panels(results: Results):
    """[(pair, {(executor, variant): rows})] for the pairs whose two executors have net rows."""
    by_variant = {v: io_rows(results, v) for v in (IO_TIMER, IO_NET, IO_URING)}
    found = []
    for t, a in results.catalogue.pairs():
        lines = {}
        for variant, rows in by_variant.items():
            for e in (t, a):
                mine = [r for r in rows if r.kind == e]
                if mine:
                    lines[(e, variant)] = mine
        # Both members measured with real I/O: a pair is compared, never one executor alone.
        if all(any((e, v) in lines for v in (IO_NET, IO_URING)) for e in (t, a)):
            found.append(((t, a), lines))
    return found


def net(results: Results, note: str):
    panels = _panels(results)
    if not panels:
        raise style.NoData("no net rows (/io:net)")
    n = len(panels)
    cols = min(n, 2)
    fig = style.figure((4.2 + 1.6) * cols, 3.9 * math.ceil(n / cols))
    for ax, ((t, a), lines) in zip(grid(fig, n, cols), panels):
        every = [r for rows in lines.values() for r in rows]
        n_fixed = fixed_value(every, chefs, customers)
        series = []
        for (e, variant), rows in lines.items():
            line = sorted((r for r in rows if customers(r) == n_fixed), key=chefs)
            if not line:
                continue
            look = dict(style.series_style(results.catalogue, e), linestyle=_DASH[variant])
            series.append(style.Series(e, [chefs(r) for r in line], line, "dishes_per_s", look,
                                       label=f"{e} · {_SHORT[variant]}"))
        style.draw_log_log(ax, series)
        ax.set_title(f"{a} vs {t}: io profile, {num_label(n_fixed)} customers")
        ax.set_xlabel("chefs (connections, one per chef)")
        ax.set_ylabel("dishes per second (median)")
    fig.suptitle("Timer waits against real I/O over loopback sockets (higher is better; "
                 "dotted: timer, solid: net, dash-dot: io_uring)")
    style.footnote(fig, note)
    return [("net", fig)]

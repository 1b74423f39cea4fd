"""Charts of the mechanism rows: memory per task, spawn and switch cost, timer
overshoot. Each function returns [(file stem, figure)] or raises NoData.
"""

from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from . import style
from .style import NoData, plain_log_axis
from ..figures import fmt, fmt_bytes, fmt_ns
from ..load import Results


def memory(results: Results, note: str):
    rows = [r for r in results.family("memory") if r.param("tasks") is not None]
    if not rows:
        raise NoData("no memory/<kind>/tasks:<N> rows")
    fig = style.figure(7.0 + style.LEGEND_INCHES, 4.5, legend=True)
    ax = fig.subplots()
    kinds = sorted({r.kind for r in rows})
    for kind in kinds:
        mine = sorted((r for r in rows if r.kind == kind), key=lambda r: r.param("tasks"))
        for counter, what, dashes in (("bytes_per_task", "resident", "-"),
                                      ("kernel_bytes_per_task", "kernel stacks", "--"),
                                      ("total_bytes_per_task", "total", ":")):
            points = [(r.param("tasks"), r.counters[counter])
                      for r in mine if counter in r.counters]
            shown = [(x, y) for x, y in points if y > 0]  # a log axis cannot show 0
            label = f"{kind}, {what}"
            if points and not shown:
                label += " (0, not shown)"
                style_kw = dict(color=style.mechanism_colour(kind, kinds), linestyle=dashes)
                ax.plot([], [], label=label, **style_kw)
                continue
            if shown:
                (line,) = ax.plot([x for x, _ in shown], [y for _, y in shown], label=label,
                                  color=style.mechanism_colour(kind, kinds), linestyle=dashes,
                                  marker="osD^v"[kinds.index(kind) % 5],
                                  markersize=4 + 2 * kinds.index(kind), markerfacecolor="none")
                line.set_gid(style.gid(f"{kind}-{counter}"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain_log_axis(ax.xaxis)
    # Powers of two read naturally as sizes: 512 B, 1 KiB, 2 KiB ...
    ax.yaxis.set_major_locator(LogLocator(base=2))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_bytes(v)))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("tasks alive at once (each waiting)")
    ax.set_ylabel("bytes per task (log scale)")
    ax.set_title("resident memory (solid) and kernel thread stacks (dashed), slope over tasks")
    style.shared_legend(fig, [ax])
    fig.suptitle("Memory per idle task: threads, coroutines and fibers")
    style.footnote(fig, note)
    return [("memory", fig)]


def _bars(ax, rows, counter, title):
    rows = sorted(rows, key=lambda r: r.counters[counter], reverse=True)
    labels = [r.name.split("/", 1)[1] for r in rows]
    values = [r.counters[counter] for r in rows]
    kinds = [r.kind for r in rows]
    ax.barh(range(len(rows)), values, color=[style.mechanism_colour(k, kinds) for k in kinds])
    for i, v in enumerate(values):
        ax.text(v, i, f" {fmt_ns(v)}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(min(values) / 2, max(values) * 12)  # room for the value labels
    plain_log_axis(ax.xaxis, fmt_ns)
    ax.set_xlabel("nanoseconds (log scale)")
    ax.set_title(title)


def spawn_switch(results: Results, note: str):
    spawn = [r for r in results.family("spawn")]
    switch = [r for r in results.family("switch")]
    panels = [(rows, counter, title) for rows, counter, title in (
        (spawn, "ns_per_spawn", "spawn: create, start and finish one empty task"),
        (switch, "ns_per_switch", "switch: one ping-pong round trip")) if rows]
    if not panels:
        raise NoData("no spawn/<kind> or switch/<kind> rows")
    height = max(len(rows) for rows, _, _ in panels) * 0.45 + 1.6
    fig = style.figure(6.0 * len(panels), height)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (rows, counter, title) in zip(axes, panels):
        _bars(ax, rows, counter, title)
    fig.suptitle("What a task costs: threads (blue), coroutines and handlers (warm), fibers "
                 "(purple); lower is better")
    style.footnote(fig, note)
    return [("spawn_switch", fig)]


def _numeric_params(row):
    """The name's parameters in order, numbers compared as numbers (100 < 1000 < 10000)."""
    key = []
    for value in row.params.values():
        try:
            key.append((0, float(value), ""))
        except ValueError:
            key.append((1, 0.0, value))
    return tuple(key)


def timer(results: Results, note: str):
    # Grouped by setting (wait, slack), the kinds side by side within each.
    rows = sorted(results.family("timer"), key=lambda r: (_numeric_params(r), r.kind))
    if not rows:
        raise NoData("no timer/<kind> rows")
    fig = style.figure(8.0, 0.4 * len(rows) + 1.8)
    ax = fig.subplots()
    height = 0.4
    for i, r in enumerate(rows):
        for k, (counter, shade) in enumerate((("overshoot_us_p50", 1.0),
                                              ("overshoot_us_p99", 0.45))):
            v = max(r.counters[counter], 1e-3)  # a log axis cannot show 0
            ax.barh(i + (k - 0.5) * height, v, height=height * 0.9,
                    color=style.mechanism_colour(r.kind, [x.kind for x in rows]),
                    alpha=shade, label=("p50" if k == 0 else "p99") if i == 0 else None)
            ax.text(v, i + (k - 0.5) * height, f" {r.counters[counter]:.3g} µs", va="center",
                    fontsize=7)
    ax.set_yticks(range(len(rows)), [r.name.split("/", 1)[1] for r in rows])
    ax.invert_yaxis()
    ax.set_xscale("log")
    smallest = min(max(r.counters[c], 1e-3) for r in rows
                   for c in ("overshoot_us_p50", "overshoot_us_p99"))
    ax.set_xlim(smallest / 3, ax.get_xlim()[1] * 8)  # every bar visibly long, room for labels
    plain_log_axis(ax.xaxis, lambda v: f"{fmt(v)} µs")
    ax.set_xlabel("overshoot past the requested wait (µs, log scale; p50 dark, p99 light)")
    fig.suptitle("Timer accuracy: thread sleep, event-loop timer and fiber sleep (lower is "
                 "better)")
    style.footnote(fig, note)
    return [("timer", fig)]

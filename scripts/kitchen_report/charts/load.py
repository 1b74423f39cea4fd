"""Latency against offered load (open-loop rows), one panel per swept point: p99 (thick) and p50
(thin) of every executor against the load, a fraction of the point's ideal capacity, on a log
latency axis. Colours come from the catalogue's families (threads, async, CPython), as in the
other charts; a ring marks each executor's knee (its sustainable load, openloop.py); a hollow
marker is a row whose arrival schedule fell behind; bars show the min-max over repetitions."""

import math

from matplotlib.lines import Line2D

from . import style
from .panels import grid
from .. import openloop
from ..figures import num_label
from ..load import Results

LABEL_INCHES = 1.5
_KEY = "#555555"


def _looks(results: Results, executor: str):
    """(p99 look, p50 look): the executor's series style with filled markers (hollow is kept
    for suspect rows), the p50 line thinner and fainter."""
    look = style.series_style(results.catalogue, executor)
    p99 = dict(look, markerfacecolor=look["color"], linewidth=1.6)
    p50 = dict(look, markerfacecolor=look["color"], linewidth=0.8, markersize=3.5, alpha=0.6)
    return p99, p50


def _draw(ax, s: style.Series, rows, tag: str) -> None:
    (line,) = ax.plot(s.xs, s.ys, **s.look)
    line.set_gid(style.gid(f"{s.label}-{tag}"))
    late = [(x, y) for x, y, r in zip(s.xs, s.ys, rows) if openloop.is_suspect(r)]
    if late:
        (hollow,) = ax.plot([x for x, _ in late], [y for _, y in late], linestyle="none",
                            marker=s.look["marker"], markersize=s.look["markersize"] + 1,
                            markerfacecolor="white", markeredgecolor=s.look["color"],
                            markeredgewidth=1.2)
        hollow.set_gid(style.gid(f"suspect-{s.label}-{tag}"))


def _key_legend(fig) -> None:
    handles = [Line2D([], [], color=_KEY, linewidth=1.6, marker="o", markerfacecolor=_KEY),
               Line2D([], [], color=_KEY, linewidth=0.8, marker="o", markersize=3.5,
                      markerfacecolor=_KEY, alpha=0.6),
               Line2D([], [], linestyle="none", marker="o", markersize=13, markerfacecolor="none",
                      markeredgecolor=_KEY),
               Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                      markeredgecolor=_KEY),
               Line2D([], [], color=_KEY, linestyle="--", linewidth=1.4),
               Line2D([], [], color=_KEY, linestyle="-", linewidth=1.4)]
    labels = ["p99 latency", "p50 latency",
              f"knee: highest load with p99 < {openloop.P99_FACTOR:g}x\nunloaded and "
              f"{openloop.ACHIEVED_SHARE:g}x offered served",
              "arrival schedule late\n(suspect row, listed in REPORT.md)",
              "threads side (dashed)", "async side (solid)"]
    right = 1 - style.LEGEND_INCHES / fig.get_figwidth()
    fig.legend(handles, labels, loc="upper left", frameon=False,
               bbox_to_anchor=(right + 0.005, 1 - style.FOOTNOTE_INCHES / fig.get_figheight()))


def latency_vs_load(results: Results, note: str):
    found = openloop.sustained(results)
    if not found:
        raise style.NoData("no open-loop rows (/rate:R, from --load or --arrival-rate)")
    n = len(found)
    cols = n if n <= 2 else 2
    fig = style.figure((4.4 + LABEL_INCHES) * cols + style.LEGEND_INCHES,
                       3.9 * math.ceil(n / cols) + 0.4, legend=True)
    axes = grid(fig, n, cols)
    for ax, (point, by_label) in zip(axes, found.items()):
        p99s, p50s = [], []
        for label, sustained in by_label.items():
            rows = list(sustained.rows)
            xs = [r.counters["load"] for r in rows]
            p99_look, p50_look = _looks(results, sustained.executor)
            p99 = style.Series(label, xs, rows, "p99_ms", p99_look)
            p50 = style.Series(label, xs, rows, "p50_ms", p50_look)
            _draw(ax, p50, rows, "p50")
            _draw(ax, p99, rows, "p99")
            p99s.append(p99)
            p50s.append(p50)
            if sustained.knee is not None:
                (ring,) = ax.plot([sustained.knee.counters["load"]],
                                  [sustained.knee.counters["p99_ms"]], linestyle="none",
                                  marker="o", markersize=13, markerfacecolor="none",
                                  markeredgecolor=p99_look["color"], markeredgewidth=1.0)
                ring.set_gid(style.gid(f"knee-{label}"))
        ax.set_yscale("log")
        style.plain_log_axis(ax.yaxis)
        loads = sorted({round(x, 3) for s in p99s for x in s.xs})
        ax.set_xticks(loads, [num_label(x) for x in loads])
        ax.axvline(1.0, color=_KEY, linewidth=0.8, linestyle=":")
        style.finish(ax, p50s, labels=False)
        style.finish(ax, p99s)
        customers = sorted({int(r.counters["customers"]) for s in by_label.values()
                            for r in s.rows})
        ax.set_title(f"{openloop.point_title(point)}\n"
                     f"{' or '.join(num_label(c) for c in customers)} customers per service")
        ax.set_xlabel("offered load (offered rate / ideal capacity; dotted: capacity)")
        ax.set_ylabel("latency from arrival (ms, median of repetitions)")
    _key_legend(fig)
    fig.suptitle("Latency against offered load, open loop (lower is better; bars: min-max over "
                 "repetitions)")
    style.footnote(fig, note)
    return [("latency_vs_load", fig)]

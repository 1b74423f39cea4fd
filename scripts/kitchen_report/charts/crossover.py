"""processes_crossover: a process pool over the paired threads executor, dishes/s, against the
CPU work per ingredient (log x), one line per chunksize, each point's 95% interval as a bar; the
tie band shaded and 1x drawn. Its rows are the series of bench.sh's crossover passes
(crossover.py)."""

import math

from . import style
from .. import crossover
from ..load import Results


def processes_crossover(results: Results, note: str):
    all_series = crossover.series(results)
    if not all_series:
        raise style.NoData(f"no processes rows of the series {crossover.SERIES} with their "
                           "pair's (bench.sh's crossover passes)")
    fig = style.figure(7.2, 4.6)
    ax = fig.subplots()
    band = crossover.BAND
    ax.axhspan(1 / band, band, color="#cccccc", alpha=0.35, zorder=0, label="tie band")
    ax.axhline(1, color="#777777", linewidth=0.8, zorder=1)
    lines = []
    xs = sorted({w for s in all_series for w, _ in s.points})
    dashes = ("-", "--", "-.", ":")
    for k, s in enumerate(all_series):
        look = style.series_style(results.catalogue, s.executor)
        look.update(linestyle=dashes[k % len(dashes)])
        line = style.Series(s.label, [w for w, _ in s.points], [], "dishes_per_s", look)
        line.ys = [c.ratio for _, c in s.points]
        # The bar is the cell's interval, not the repetitions' spread: what decides the point.
        line.spreads = [c.interval if c.interval and all(map(math.isfinite, c.interval))
                        else (c.ratio, c.ratio) for _, c in s.points]
        lines.append(line)
        first = s.crossover()
        if first is not None:
            ax.annotate(f"pays from {first[0]:g} µs", (first[0], first[1].ratio),
                        textcoords="offset points", xytext=(6, -12), fontsize=7,
                        color=look["color"])
    style.draw(ax, lines)
    ax.set_xscale("log")
    ax.set_yscale("log")
    style.measured_ticks(ax, xs)
    style.plain_log_axis(ax.yaxis, lambda v: f"{v:g}x")
    style.finish(ax, lines)
    s0 = all_series[0]
    ax.set_title(f"{s0.executor} over {s0.pair}, {s0.chefs} chefs, {s0.customers} customers; "
                 f"bars: 95% interval; grey: tie band 1/{band:g} to {band:g}")
    ax.set_xlabel("CPU work per ingredient (µs, log scale; a dish is 5 or 6 ingredients)")
    ax.set_ylabel("dishes/s, processes over threads (median ratio)")
    fig.suptitle("Where processes start to pay: CPU work per ingredient")
    style.footnote(fig, note)
    return [("processes_crossover", fig)]

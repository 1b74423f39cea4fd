"""CPU-bound speedup against chefs (one panel per language) and each executor's own cost per
dish on the overhead profile."""

from typing import Dict

from . import style
from ..figures import chefs, customers, executors, fixed_value, kitchen, num_label
from ..load import Results
from ..provenance import usable_cores
from ..speedup import speedup_series


def cpu_speedup(results: Results, note: str):
    languages = [lang for lang in results.catalogue.languages()
                 if speedup_series(results, lang)]
    if not languages:
        raise style.NoData("no cpu-profile rows with a baseline or a 1-chef row")
    cores = usable_cores(results)
    fig = style.figure(5.6 * len(languages) + 1.2, 4.6)
    axes = fig.subplots(1, len(languages), squeeze=False)[0]
    for ax, language in zip(axes, languages):
        series_map = speedup_series(results, language)
        xs = sorted({chefs(r) for pts in series_map.values() for r, _, _ in pts})
        if cores:
            ax.plot(xs, [min(x, cores) for x in xs], color="#999999", linewidth=4, alpha=0.4,
                    zorder=0)
            ax.annotate(f"ideal on {cores} cores", (xs[-1], min(xs[-1], cores)),
                        textcoords="offset points", xytext=(-4, 6), ha="right", fontsize=7,
                        color="#777777")
        series, bases = [], set()
        for (e, gil), pts in series_map.items():
            look = style.series_style(results.catalogue, e)
            if gil:
                look.update(linestyle=":", marker="x", markerfacecolor=look["color"])
            s = style.Series(e, [], [], "dishes_per_s", look,
                             label=e + (" + GIL" if gil else ""))
            s.xs = [chefs(r) for r, _, _ in pts]
            s.ys = [x for _, _, x in pts]
            s.spreads = [tuple(v / b.counters["dishes_per_s"] for v in r.spread("dishes_per_s"))
                         for r, b, _ in pts]
            series.append(s)
            bases.add("its own 1 chef" if pts[0][1].kind == e else pts[0][1].kind)
        style.draw(ax, series)
        ax.set_xscale("log")
        style.measured_ticks(ax, xs)
        top = max([cores or 1] + [y for s in series for y in s.ys])
        ax.set_ylim(0, top * 1.15)
        style.finish(ax, series)
        ns = {customers(r) for pts in series_map.values() for r, _, _ in pts}
        ax.set_title(f"{language}, cpu profile, {', '.join(num_label(n) for n in sorted(ns))} "
                     f"customers\nover: {', '.join(sorted(bases))}; dotted: with the GIL")
        ax.set_xlabel("chefs (dishes in preparation at once)")
        ax.set_ylabel("dishes/s over the baseline (median)")
    fig.suptitle("CPU-bound speedup vs chefs: does adding chefs add cores?")
    style.footnote(fig, note)
    return [("cpu_speedup", fig)]


def overhead(results: Results, note: str):
    rows = kitchen(results, gil=False, sweep_only=True)
    rows = [r for r in rows if r.counters["io_us"] == 0 and r.counters["cpu_us"] == 0]
    if not rows:
        raise style.NoData("no overhead-profile rows (run with --profiles=...,overhead)")
    # The customer count most executors were measured at; others at their own, and say so.
    kinds: Dict[int, set] = {}
    for r in rows:
        kinds.setdefault(customers(r), set()).add(r.kind)
    n = max(kinds, key=lambda v: (len(kinds[v]), v))
    at = {}
    for e in executors(results, rows):
        mine = [r for r in rows if r.kind == e]
        at[e] = n if any(customers(r) == n for r in mine) else fixed_value(mine, chefs, customers)
    rows = [r for r in rows if customers(r) == at[r.kind]]
    names = executors(results, rows)
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
            lo, hi = row.spread("us_per_dish")
            colour = style.series_style(results.catalogue, e)["color"]
            bar = ax.barh(y, value, height=height * 0.9, color=colour,
                          alpha=0.45 + 0.55 * (k + 1) / len(cs))  # more chefs, darker bar
            bar.patches[0].set_gid(style.gid(f"{e}-chefs-{c}"))
            if hi > lo:
                ax.plot([lo, hi], [y, y], color="black", linewidth=0.8)
            elsewhere = f", {num_label(at[e])} customers" if at[e] != n else ""
            ax.text(hi, y, f" {value:.3g} µs (chefs: {num_label(c)}{elsewhere})", va="center",
                    fontsize=7)
    ax.set_yticks(range(len(names)), names)
    for label, e in zip(ax.get_yticklabels(), names):
        label.set_color(style.series_style(results.catalogue, e)["color"])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(right=ax.get_xlim()[1] * 8)  # room for the value labels
    style.plain_log_axis(ax.xaxis, lambda v: f"{v:g} µs")
    ax.set_xlabel("wall time per dish (µs, median, log scale; black: min-max over repetitions)")
    others = " (others as marked)" if any(v != n for v in at.values()) else ""
    ax.set_title(f"overhead profile, {num_label(n)} customers{others}: nothing to wait for, "
                 "nothing to compute")
    fig.suptitle("Executor overhead per dish (lower is better)")
    style.footnote(fig, note)
    return [("overhead", fig)]

"""Efficiency heatmaps: ideal over measured makespan (medians), chefs x customers, one panel per
executor in catalogue order, one figure per profile with an ideal time."""

import math

import numpy as np

from . import style
from .panels import by_panel
from ..figures import chefs, customers, executors, kitchen, num_label, panel_title
from ..load import Results


def efficiency(results: Results, note: str):
    figures = []
    panels = by_panel(kitchen(results, gil=False, sweep_only=True))
    if not panels:
        raise style.NoData("no kitchen rows")
    for key, rows in panels.items():
        if not any(r.counters["efficiency"] > 0 for r in rows):
            continue  # the overhead profile: no ideal time to compare with
        names = executors(results, rows)
        cs = sorted({chefs(r) for r in rows})
        ns = sorted({customers(r) for r in rows})
        cols = len(names) if len(names) <= 5 else math.ceil(len(names) / 2)
        nrows = math.ceil(len(names) / cols)
        # Sized by cells, so that the numbers written in them fit however large the sweep.
        fig = style.figure(0.55 * len(ns) * cols + 2.2, (0.42 * len(cs) + 1.3) * nrows + 0.5)
        axes = fig.subplots(nrows, cols, squeeze=False).flatten()
        image = None
        for ax, e in zip(axes, names):
            cells = np.full((len(cs), len(ns)), np.nan)
            for r in rows:
                if r.kind == e:
                    cells[cs.index(chefs(r)), ns.index(customers(r))] = r.counters["efficiency"]
            image = ax.imshow(np.ma.masked_invalid(cells), origin="lower", cmap="viridis",
                              vmin=0, vmax=1, aspect="auto")
            image.set_gid(style.gid(e))
            for (i, j), value in np.ndenumerate(cells):
                if not math.isnan(value):
                    ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                            color="black" if value > 0.6 else "white")
            ax.set_xticks(range(len(ns)), [num_label(v) for v in ns], rotation=45)
            ax.set_yticks(range(len(cs)), [num_label(v) for v in cs])
            ax.set_xlabel("customers")
            ax.set_ylabel("chefs")
            ax.set_title(e, color=style.series_style(results.catalogue, e)["color"])
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
        raise style.NoData("no kitchen rows with an ideal makespan (only the overhead profile?)")
    return figures

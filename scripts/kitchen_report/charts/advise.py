"""advise_accuracy: the sizing model's predicted requests/s against the measured, one panel per
side of the catalogue, one point per executor and workload of `kitchen advise accuracy` (its
JSON, not bench.json), on log axes with the diagonal and the factor-of-2 lines. The colour is
the band of requests in flight, the marker the executor; held-out workloads are filled, the
development grid's hollow; points measured while the machine was disturbed are faint."""

import json
import os
import sys
from typing import List, Tuple

from matplotlib.lines import Line2D

from .. import catalogue as cat
from . import style

# One colour per band of requests in flight, light to dark as the band grows.
BAND_COLOURS = ("#66c2a5", "#fc8d62", "#8da0cb", "#e7298a")


def catalogue_of(doc: dict) -> cat.Catalogue:
    c = cat.Catalogue()
    for e in cat.parse(doc.get("kitchen_catalogue"), "advise_accuracy.json"):
        c.add(e, "advise_accuracy.json")
    return c


def _quiet(p: dict) -> bool:
    from kitchen_advise.accuracy import quiet
    return quiet(p)


def accuracy(doc: dict, footnote: str) -> List[Tuple[str, object]]:
    from kitchen_advise.accuracy import BANDS, band
    points = [p for p in doc.get("points", []) if p.get("predicted_per_s") and
              p.get("measured_per_s") and p.get("side")]
    if not points:
        raise style.NoData("no workload was measured")
    c = catalogue_of(doc)
    sides = sorted({p["side"] for p in points},
                   key=lambda s: cat.SIDES.index(s) if s in cat.SIDES else len(cat.SIDES))
    fig = style.figure(5.0 * len(sides) + style.LEGEND_INCHES, 5.0, legend=True)
    values = [p["predicted_per_s"] for p in points] + [p["measured_per_s"] for p in points]
    lo, hi = min(values) / 1.5, max(values) * 1.5
    bands = [b[0] for b in BANDS]
    axes = []
    for k, side in enumerate(sides):
        ax = fig.add_subplot(1, len(sides), k + 1)
        axes.append(ax)
        for factor, look in ((1, "-"), (2, ":"), (0.5, ":")):
            ax.plot([lo, hi], [lo * factor, hi * factor], look, color="#777777",
                    linewidth=0.8, zorder=1)
        mine = [p for p in points if p["side"] == side]
        for e in c.sorted({p["executor"] for p in mine}):
            for b in bands:
                for held in (False, True):
                    some = [p for p in mine if p["executor"] == e
                            and band(p["concurrency"]) == b
                            and (p.get("set", "grid") == "holdout") == held]
                    for calm in (True, False):
                        these = [p for p in some if _quiet(p) == calm]
                        if not these:
                            continue
                        colour = BAND_COLOURS[bands.index(b) % len(BAND_COLOURS)]
                        ax.plot([p["predicted_per_s"] for p in these],
                                [p["measured_per_s"] for p in these], linestyle="none",
                                marker=cat.marker(c, e), markersize=6, markeredgecolor=colour,
                                markeredgewidth=1.2,
                                markerfacecolor=colour if held else "none",
                                alpha=0.9 if calm else 0.3,
                                gid=style.gid(f"{e}-{b}-{'holdout' if held else 'grid'}"
                                              + ("" if calm else "-disturbed")))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_title(f"{side}: {len(mine)} points")
        ax.set_xlabel("predicted requests/s (the model)")
        if k == 0:
            ax.set_ylabel("measured requests/s (median of the repetitions)")
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=7,
                      markerfacecolor=BAND_COLOURS[i % len(BAND_COLOURS)],
                      markeredgecolor=BAND_COLOURS[i % len(BAND_COLOURS)],
                      label=f"{b} in flight") for i, b in enumerate(bands)]
    handles += [Line2D([], [], linestyle="none", marker=cat.marker(c, e), markersize=6,
                       markerfacecolor="none", markeredgecolor="#333333", label=e)
                for e in c.sorted({p["executor"] for p in points})]
    handles += [Line2D([], [], linestyle="none", marker="o", markersize=6,
                       markerfacecolor="none", markeredgecolor="#333333",
                       label="development grid (hollow)"),
                Line2D([], [], linestyle="none", marker="o", markersize=6,
                       markerfacecolor="#333333", markeredgecolor="#333333",
                       label="held-out set (filled)"),
                Line2D([], [], linestyle="none", marker="o", markersize=6, alpha=0.3,
                       markerfacecolor="#333333", markeredgecolor="#333333",
                       label="disturbed (faint)")]
    right = 1 - style.LEGEND_INCHES / fig.get_figwidth()
    fig.legend(handles=handles, loc="upper left",
               bbox_to_anchor=(right + 0.005, 1 - style.FOOTNOTE_INCHES / fig.get_figheight()),
               frameon=False)
    fig.suptitle(f"The sizing model against {len(points)} measurements over "
                 f"{doc.get('workloads', 0)} workloads (solid: y = x; dotted: 2x off)")
    style.footnote(fig, footnote)
    return [("advise_accuracy", fig)]


def chart_main(argv: List[str]) -> int:
    """`advise.py chart FILE --out DIR`: the predicted-against-measured chart (matplotlib)."""
    if len(argv) != 3 or argv[1] != "--out":
        print("kitchen advise: usage: advise.py chart ADVISE_ACCURACY.json --out DIR",
              file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        doc = json.load(f)
    os.makedirs(argv[2], exist_ok=True)
    try:
        for stem, fig in accuracy(doc, f"kitchen advise accuracy; mechanisms from "
                                       f"{doc['mechanisms']['source']}"):
            style.save(fig, argv[2], stem)
    except style.NoData as e:
        print(f"kitchen advise: no accuracy chart: {e}", file=sys.stderr)
    return 0

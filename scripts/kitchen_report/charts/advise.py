"""advise_accuracy: the sizing model's predicted requests/s against the measured, one point per
executor and workload of `kitchen advise accuracy` (its JSON, not bench.json), on log axes with
the diagonal and the factor-of-2 lines. Points under the GIL are filled."""

from typing import List, Tuple

from .. import catalogue as cat
from . import style


def catalogue_of(doc: dict) -> cat.Catalogue:
    c = cat.Catalogue()
    for e in cat.parse(doc.get("kitchen_catalogue"), "advise_accuracy.json"):
        c.add(e, "advise_accuracy.json")
    return c


def accuracy(doc: dict, footnote: str) -> List[Tuple[str, object]]:
    points = [p for p in doc.get("points", []) if p.get("predicted_per_s") and
              p.get("measured_per_s")]
    if not points:
        raise style.NoData("no workload was measured")
    c = catalogue_of(doc)
    fig = style.figure(6.4, 5.0, legend=True)
    ax = fig.add_subplot(1, 1, 1)
    values = [p["predicted_per_s"] for p in points] + [p["measured_per_s"] for p in points]
    lo, hi = min(values) / 1.5, max(values) * 1.5
    for factor, look in ((1, "-"), (2, ":"), (0.5, ":")):
        ax.plot([lo, hi], [lo * factor, hi * factor], look, color="#777777", linewidth=0.8,
                zorder=1)
    for e in c.sorted({p["executor"] for p in points}):
        mine = sorted((p for p in points if p["executor"] == e),
                      key=lambda p: (p["predicted_per_s"], p["measured_per_s"]))
        look = style.series_style(c, e)
        for gil in (False, True):
            some = [p for p in mine if p["gil"] == gil]
            if not some:
                continue
            ax.plot([p["predicted_per_s"] for p in some], [p["measured_per_s"] for p in some],
                    linestyle="none", marker=look["marker"], markersize=6,
                    markeredgecolor=look["color"], markeredgewidth=1.2,
                    markerfacecolor=look["color"] if gil else "none", alpha=0.9,
                    label=e + (" (GIL)" if gil else ""), gid=style.gid(e + ("-gil" if gil
                                                                             else "")))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("predicted requests/s: X = min(N / (W + C + o), c / (C + o))")
    ax.set_ylabel("measured requests/s (median of the repetitions)")
    ax.set_title(f"The sizing model against {len(points)} measurements over "
                 f"{doc.get('workloads', 0)} workloads (solid: y = x; dotted: 2x off)")
    style.shared_legend(fig, [ax])
    style.footnote(fig, footnote)
    return [("advise_accuracy", fig)]

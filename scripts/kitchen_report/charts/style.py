"""Look and output of every chart: one style per executor, a footnote, reproducible files.

The same JSON must give byte-identical SVG, so nothing that varies between runs may reach the
file: SVG ids come from a fixed hash salt, text stays text (no font subsetting), the date
metadata is dropped, and every collection is drawn in a sorted order by the callers.
"""

import os

import matplotlib

matplotlib.use("Agg")  # files only; never try to open a window

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import LogFormatter, LogLocator  # noqa: E402

from ..atomic import replacing  # noqa: E402
from ..catalogue import Catalogue, colour as catalogue_colour, marker  # noqa: E402
from ..figures import mechanism_side, num_label  # noqa: E402

matplotlib.rcParams.update({
    "svg.hashsalt": "kitchen-bench",   # stable ids for clip paths and markers
    "svg.fonttype": "none",            # text as <text>, readable and stable
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": 150,
})

# Mechanism kinds (thread_cv, coro, post, fiber, ...) by side: shades of the threads, async and
# fibers families, in name order within a side.
_MECHANISM_SHADES = {"threads": ("#08519c", "#6baed6", "#3182bd", "#9ecae1"),
                     "async": ("#cb181d", "#f16913", "#a50f15", "#fd8d3c"),
                     "fibers": ("#54278f", "#9e9ac8", "#807dba", "#3f007d")}


def mechanism_colour(kind: str, kinds=()) -> str:
    side = mechanism_side(kind)
    if side is None:
        return "#737373"
    mates = sorted({k for k in kinds if mechanism_side(k) == side} | {kind})
    shades = _MECHANISM_SHADES[side]
    return shades[mates.index(kind) % len(shades)]


# Line style per side, so that a grey printout still tells the sides apart; solid for async
# and any other side.
_LINESTYLES = {"threads": "--", "fibers": "-.", "baseline": ":"}


def series_style(catalogue: Catalogue, executor: str) -> dict:
    """Colour from the executor's family (side and language), a marker of its own, threads
    dashed, fibers dash-dotted and async solid. Markers are hollow so that a series drawn on
    top of another leaves the one below visible."""
    side = catalogue.side(executor)
    colour = catalogue_colour(catalogue, executor)
    return {"color": colour, "linestyle": _LINESTYLES.get(side, "-"),
            "marker": marker(catalogue, executor),
            "markersize": 6, "markerfacecolor": "none", "markeredgecolor": colour,
            "markeredgewidth": 1.2, "linewidth": 1.4, "alpha": 0.95}


def gid(name: str) -> str:
    """The SVG id of a series: tests read each series' data back from it."""
    return "series-" + "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)


FOOTNOTE_INCHES = 0.3
LEGEND_INCHES = 2.3


def figure(width: float, height: float, legend: bool = False) -> Figure:
    """A figure laid out by constrained layout, leaving a band for the footnote at the bottom
    and, with `legend`, a column on the right for one legend shared by all panels."""
    fig = Figure(figsize=(width, height))
    right = 1 - LEGEND_INCHES / width if legend else 1
    fig.set_layout_engine("constrained", rect=(0, FOOTNOTE_INCHES / height, right,
                                               1 - FOOTNOTE_INCHES / height))
    return fig


def shared_legend(fig: Figure, axes) -> None:
    """One legend for every panel, entries in the order first drawn, no duplicates."""
    seen = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, handle)
    if seen:
        right = 1 - LEGEND_INCHES / fig.get_figwidth()
        fig.legend(list(seen.values()), list(seen.keys()), loc="upper left",
                   bbox_to_anchor=(right + 0.005, 1 - FOOTNOTE_INCHES / fig.get_figheight()),
                   frameon=False)


class NoData(Exception):
    """The data a chart needs is not in the input; str() says what is missing."""


class _PlainLogFormatter(LogFormatter):
    """matplotlib's choice of which log ticks get a label, written 1,000 rather than 10^3."""

    def __init__(self, fmt, **kwargs):
        super().__init__(**kwargs)
        self._fmt = fmt

    def __call__(self, x, pos=None):
        return self._fmt(x) if super().__call__(x, pos) else ""


def plain_log_axis(axis, fmt=num_label) -> None:
    """Ticks 1, 10, 100, 1,000 instead of 10^0 ...: readers compare them with the flags they
    typed. On an axis spanning less than a decade, some minor ticks are labelled the same way."""
    axis.set_major_locator(LogLocator(base=10))
    axis.set_major_formatter(_PlainLogFormatter(fmt, labelOnlyBase=True))
    # Label some minor ticks up to two decades of span (matplotlib's default stops at one).
    axis.set_minor_formatter(_PlainLogFormatter(fmt, labelOnlyBase=False,
                                                minor_thresholds=(2, 0.5)))


def measured_ticks(ax, values, which="x", limit=8) -> None:
    """Tick a log axis exactly at the values measured (1, 2, 10, 100 chefs) when they are few;
    otherwise keep plain decade ticks."""
    values = sorted(set(values))
    axis = ax.xaxis if which == "x" else ax.yaxis
    if len(values) > limit:
        plain_log_axis(axis)
        return
    setter = ax.set_xticks if which == "x" else ax.set_yticks
    setter(values, [num_label(v) for v in values])
    setter([], minor=True)


def footnote(fig: Figure, text: str) -> None:
    fig.text(0.005, 0.005, text, fontsize=7, color="#555555", ha="left", va="bottom")


def save(fig: Figure, out_dir: str, stem: str) -> list:
    """Write stem.png and stem.svg into out_dir, each atomically; return their paths."""
    written = []
    for ext, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
        path = os.path.join(out_dir, f"{stem}.{ext}")
        with replacing(path) as tmp:
            fig.savefig(tmp, format=ext, metadata=metadata, bbox_inches="tight",
                        pad_inches=0.1)
        written.append(path)
    return written


class Series:
    """One executor's curve: its points (medians), their spreads, and how it is drawn."""

    def __init__(self, name: str, xs, rows, key: str, look: dict, label: str = ""):
        self.name = name
        self.label = label or name
        self.xs = list(xs)
        self.ys = [r.value(key) for r in rows]
        self.spreads = [r.spread(key) for r in rows]
        self.look = look


def draw(ax, series) -> None:
    """Each series as a line with hollow markers, its SVG group named after the executor."""
    for s in series:
        (line,) = ax.plot(s.xs, s.ys, label=s.label, **s.look)
        line.set_gid(gid(s.label))


def draw_log_log(ax, series) -> None:
    """Draw and finish series on log x and log y: the measured x values as ticks, plain numbers
    on y."""
    draw(ax, series)
    ax.set_xscale("log")
    ax.set_yscale("log")
    measured_ticks(ax, [x for s in series for x in s.xs])
    plain_log_axis(ax.yaxis)
    finish(ax, series)


def finish(ax, series, labels: bool = True) -> None:
    """After the axes' scales are set: min-max bars over the repetitions wherever they are
    taller than the marker, and a label at the end of each line, spaced so none overlaps."""
    ax.autoscale_view()
    to_pixels = ax.transData.transform
    for s in series:
        size_px = s.look.get("markersize", 6) * ax.figure.dpi / 72
        for x, y, (lo, hi) in zip(s.xs, s.ys, s.spreads):
            if lo <= 0 and ax.get_yscale() == "log":
                continue
            span = abs(to_pixels((x, hi))[1] - to_pixels((x, lo))[1])
            if span > size_px:
                ax.plot([x, x], [lo, hi], color=s.look["color"], linewidth=2.2, alpha=0.45,
                        solid_capstyle="butt")
    if labels:
        direct_labels(ax, series)


def direct_labels(ax, series, gap: float = 0.055) -> None:
    """Name each line at the right of the panel, joined to its last point; labels are pushed
    apart vertically (in axes fraction) so that lines ending together stay readable."""
    to_axes = ax.transAxes.inverted().transform
    ends = []
    for s in series:
        if not s.xs:
            continue
        x, y = s.xs[-1], s.ys[-1]
        if y <= 0 and ax.get_yscale() == "log":
            continue
        frac = to_axes(ax.transData.transform((x, y)))[1]
        ends.append([frac, x, y, s])
    ends.sort(key=lambda e: (e[0], e[3].label))
    placed = []
    for e in ends:
        want = e[0] if not placed else max(e[0], placed[-1] + gap)
        placed.append(want)
    # Shift the whole stack down if it runs off the top.
    overflow = (placed[-1] - 1.0) if placed else 0
    if overflow > 0:
        placed = [max(p - overflow, -0.1) for p in placed]
    # The joining line starts 2 points left of the middle of the label's left edge (relpos), not
    # where it leaves the label's box: clipping a line to a text box is a Bezier search at every
    # draw, and was a third of the time a chart with labelled lines took to save.
    for (frac, x, y, s), at in zip(ends, placed):
        ax.annotate(s.label, xy=(x, y), xycoords="data", xytext=(1.03, at),
                    textcoords="axes fraction", color=s.look["color"], fontsize=7,
                    va="center", ha="left", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": s.look["color"], "linewidth": 0.5,
                                "alpha": 0.6, "patchA": None, "relpos": (0, 0.5), "shrinkA": 2,
                                "shrinkB": 3})

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

from atomic_files import replacing  # noqa: E402
from kitchen_figures import mechanism_side, num_label  # noqa: E402

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

# Threads in blues, event loops in warm colours; threads dashed, async solid, so that a
# printout in grey still tells the sides apart.
_COLOURS = {
    "threads_pool": "#1f77b4", "threads_per_order": "#17becf", "py_threads": "#393b79",
    "asio_coro": "#d62728", "asio_callback": "#ff7f0e", "asio_coro_mt": "#9467bd",
    "asio_offload": "#8c564b", "asio_blocking": "#e377c2", "py_asyncio": "#bcbd22",
    "py_asyncio_blocking": "#2ca02c",
}
# Distinct markers as well, so that executors whose lines coincide can still be told apart.
_MARKERS = {
    "threads_pool": "o", "threads_per_order": "v", "py_threads": "s", "asio_coro": "o",
    "asio_callback": "D", "asio_coro_mt": "^", "asio_offload": "P", "asio_blocking": "x",
    "py_asyncio": "s", "py_asyncio_blocking": "X",
}
_SPARE = ("#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94")
_KIND_COLOURS = {"thread": "#1f77b4", "thread_small_stack": "#17becf", "thread_cv": "#1f77b4",
                 "thread_sem": "#17becf", "coro": "#d62728", "post": "#ff7f0e",
                 "handler": "#ff7f0e"}

FOOTNOTE_INCHES = 0.3
LEGEND_INCHES = 2.3


def colour(name: str) -> str:
    if name in _COLOURS:
        return _COLOURS[name]
    if name in _KIND_COLOURS:
        return _KIND_COLOURS[name]
    side = mechanism_side(name)  # other mechanism kinds: blue for threads, red for the loop
    if side:
        return "#1f77b4" if side == "threads" else "#d62728"
    return _SPARE[sum(map(ord, name)) % len(_SPARE)]  # stable across runs, unlike hash()


def line_style(executor: str) -> dict:
    threads = executor.startswith(("threads", "py_threads", "thread"))
    return {"color": colour(executor), "linestyle": "--" if threads else "-",
            "marker": _MARKERS.get(executor, "."), "markersize": 4.5, "linewidth": 1.5,
            "alpha": 0.9}


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

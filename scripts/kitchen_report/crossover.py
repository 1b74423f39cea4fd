"""Where processes start to pay: an executor of the catalogue's `processes` side (a pool of
worker processes) over the threads executor it names as its pair, as the CPU work per
ingredient grows, at one chefs level, for each chunksize measured.

The rows are those of the series SERIES, or SERIES_<anything> (py_kitchen.py --series, one
per crossover pass of bench.sh): named with their costs (/io_us:0/cpu_us:W), the pool's with
/chunksize:N above 1, and with /series:NAME, which keeps a sweep of costs at one chefs level out
of the plain sweep's charts and table (figures.is_sweep_row). A pool's row is compared with its
pair's row of the same series: measured in the same pass, minutes apart at most.

Each point is a cell (table/cells.py): the ratio of the two medians of dishes/s with its
interval, against the CPU row's tie band. The crossover of a series is the least work per
ingredient whose cell is a win, its interval wholly above the band: where processes start to
pay on this machine. Data only: charts/crossover.py draws it, report.py writes it."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .figures import chefs, customers, fmt, num_label
from .load import Results, Row
from .stats import WIN
from .table.cells import Cell, compare
from .table.cpu import CPU_SPEEDUP_PARALLEL

SERIES = "processes_crossover"
BAND = CPU_SPEEDUP_PARALLEL


@dataclass(frozen=True)
class Series:
    executor: str
    pair: str
    chunksize: int
    chefs: int
    customers: int
    points: Tuple[Tuple[float, Cell], ...]   # (CPU µs per ingredient, cell), ascending

    @property
    def label(self) -> str:
        return f"{self.executor}, chunksize {self.chunksize}"

    def crossover(self) -> Optional[Tuple[float, Cell]]:
        """The least work per ingredient whose cell is a win (interval above the band)."""
        return next(((w, c) for w, c in self.points if c.outcome == WIN), None)


def _ours(series: str) -> bool:
    return series == SERIES or series.startswith(SERIES + "_")


def _costs(r: Row) -> Tuple[float, float]:
    return r.counters["io_us"], r.counters["cpu_us"]


def series(results: Results) -> List[Series]:
    """Every (processes executor, chunksize, chefs, customers) with its points, each against
    the paired threads executor's row at the same chefs, customers and costs."""
    rows = [r for r in results.family("kitchen") if _ours(r.params.get("series", ""))
            and "cpu_us" in r.params and r.counters.get("failed", 0) == 0]
    found: Dict[Tuple[str, int, int, int], List[Tuple[float, Cell]]] = {}
    for e in results.catalogue:
        if e.side != "processes":
            continue
        for r in rows:
            # The platform's start method only: a row naming another is a variant of its own.
            if r.kind != e.name or "start" in r.params:
                continue
            size = int(r.params.get("chunksize", 1))
            other = next((t for t in rows if t.kind == e.pair and chefs(t) == chefs(r)
                          and customers(t) == customers(r) and _costs(t) == _costs(r)
                          and t.params["series"] == r.params["series"]), None)
            if other is None:
                continue
            level = (f"{fmt(r.counters['cpu_us'])} µs per ingredient, chunksize {size}, "
                     f"{num_label(chefs(r))} chefs")
            cell = compare(r, other, "dishes_per_s", BAND, pair=(e.name, e.pair), level=level,
                           row="processes-crossover")
            found.setdefault((e.name, size, chefs(r), customers(r)), []).append(
                (r.counters["cpu_us"], cell))
    return [Series(e, results.catalogue.get(e).pair, size, c, n, tuple(sorted(points)))
            for (e, size, c, n), points in sorted(found.items())]


def lines(results: Results) -> List[str]:
    """REPORT.md's words: per series, each point's cell, then where it first clears the band."""
    out = []
    for s in series(results):
        out.append(f"{s.label} over {s.pair}, dishes/s at {num_label(s.chefs)} chefs and "
                   f"{num_label(s.customers)} customers, tie band {BAND:g} "
                   "(the CPU row's):")
        out.append("")
        out += [f"- {fmt(w)} µs of CPU per ingredient: {c.text()}" for w, c in s.points]
        out.append("")
        first = s.crossover()
        if first is None:
            out.append(f"With chunksize {s.chunksize}, no interval cleared the band up to "
                       f"{fmt(s.points[-1][0])} µs per ingredient: no crossover in this run.")
        else:
            w, c = first
            out.append(f"With chunksize {s.chunksize}, processes start to pay at {fmt(w)} µs of "
                       f"CPU per ingredient ({fmt(5 * w)} to {fmt(6 * w)} µs per dish of 5 or "
                       f"6 ingredients): {c.text()}.")
        out.append("")
    return out

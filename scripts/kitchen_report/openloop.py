"""Open-loop rows (/rate:R): orders arrive at a rate, latency runs from each arrival time. Which
rows make one swept point and one executor's curve, the sustainable throughput of each, and the
rows whose arrival schedule fell behind. Standard library only.

A swept point is a profile (with its costs per ingredient) and a number of chefs; a curve is one
executor (and arrival pattern) over the loads swept there, a load being the offered rate over
the point's ideal capacity, min(chefs / dish time, min(chefs, cores) / CPU time per dish).
"""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .figures import fmt, num_label, panel_title, profile_key
from .load import Results, Row
from .stats import median_ratio_interval

P99_FACTOR = 3.0
"""A load is sustained while the median p99 latency stays under this many times the unloaded
p99 (the p99 at the lowest load swept for that executor at that point): the 95% interval of
the ratio of the two medians lies wholly under it; wholly at or above it, the load fails."""

ACHIEVED_SHARE = 0.95
"""A load is sustained only if the kitchen served at least this share of the offered rate
(the 95% interval of the median achieved_per_s over that rate lies wholly at or above it;
wholly under it, the load fails). A service is finite: achieved_per_s counts the drain after the last
arrival, so even a kitchen that never queues shows less than the offered rate, by a dish's time
over the arrivals' span (7% for 400 orders at 4,630/s and 5.4 ms dishes). The offered rate is
therefore taken over the same span plus that drain: customers / ((customers - 1) / offered +
the unloaded p50), which tends to the offered rate as the service grows."""

_NEEDED = ("load", "offered_per_s", "achieved_per_s", "p50_ms", "p99_ms")
_PARAMS = frozenset(("chefs", "customers", "io_us", "cpu_us", "rate", "arrivals"))

Point = Tuple[str, float, float, int]  # profile, io_us, cpu_us, chefs


def is_open_loop(row: Row) -> bool:
    """An open-loop row of the plain sweep: a rate, no GIL, no failures, every counter needed."""
    return (row.family == "kitchen" and "rate" in row.params and set(row.params) <= _PARAMS
            and not row.flags and not row.gil and row.counters.get("failed", 0) == 0
            and all(k in row.counters for k in _NEEDED))


def rows(results: Results) -> List[Row]:
    return [r for r in results.family("kitchen") if is_open_loop(r)]


def point_of(row: Row) -> Point:
    c = row.counters
    return (row.profile or "", c["io_us"], c["cpu_us"], int(c["chefs"]))


def point_title(point: Point) -> str:
    return f"{panel_title(point[:3])}, {num_label(point[3])} chefs"


def point_short(point: Point) -> str:
    """'io, 10 chefs' (the costs are added when a profile's own were overridden elsewhere)."""
    return f"{point[0]}, {num_label(point[3])} chefs"


def series_label(row: Row) -> str:
    """The executor, with its arrival pattern when not evenly spaced."""
    pattern = row.params.get("arrivals")
    return row.kind if not pattern else f"{row.kind} ({pattern})"


def is_suspect(row: Row) -> bool:
    """The arrival schedule handed orders over late in most repetitions (the median of the 0/1
    counter): the kitchen was offered less than the row says."""
    return row.counters.get("arrival_lag_suspect", 0) >= 0.5


def curves(results: Results) -> Dict[Point, Dict[str, List[Row]]]:
    """Per swept point (profiles in reading order, then chefs): per series in catalogue order,
    its rows by load. An executor swept with several customer counts at one point is drawn at
    the largest (its p99 rests on the most orders)."""
    found: Dict[Point, Dict[str, Dict[int, List[Row]]]] = {}
    for r in rows(results):
        by_n = found.setdefault(point_of(r), {}).setdefault(series_label(r), {})
        by_n.setdefault(int(r.counters["customers"]), []).append(r)
    out: Dict[Point, Dict[str, List[Row]]] = {}
    for point in sorted(found, key=lambda p: (profile_key(p[0]), p[1:])):
        # Per series, the rows of its largest customer count.
        kept = {label: by_n[max(by_n)] for label, by_n in found[point].items()}
        labels = sorted(kept, key=lambda s: (results.catalogue.order(kept[s][0].kind), s))
        out[point] = {s: sorted(kept[s], key=lambda r: r.counters["load"]) for s in labels}
    return out


@dataclass(frozen=True)
class Sustained:
    label: str
    point: Point
    rows: Tuple[Row, ...]          # by load
    knee: Optional[Row]            # the highest load sustained, None when even the lowest fails
    why: str                       # what stopped it: the first load not sustained, or ""
    open: Optional[Row] = None     # the load that stopped it when its intervals did not decide

    @property
    def executor(self) -> str:
        return self.rows[0].kind

    @property
    def unloaded_p99(self) -> float:
        return self.rows[0].counters["p99_ms"]

    def suspects(self) -> List[Row]:
        """Suspect rows among those the verdict read (up to the first load not sustained)."""
        stop = self.rows.index(self.knee) + 2 if self.knee is not None else 1
        return [r for r in self.rows[:stop] if is_suspect(r)]


def offered_over_service(row: Row, drain_ms: float) -> float:
    """The offered rate as a finite service of row's customers can show it: its arrivals' span
    plus a drain of drain_ms (see ACHIEVED_SHARE)."""
    n, offered = row.counters["customers"], row.counters["offered_per_s"]
    return n / ((n - 1) / offered + drain_ms / 1e3)


def _samples(row: Row, counter: str) -> Tuple[float, ...]:
    return tuple(row.samples.get(counter) or (row.counters[counter],))


def _interval_text(interval, digits: int = 2) -> str:
    return ("no interval" if interval is None
            else f"{interval[0]:.{digits}f}–{interval[1]:.{digits}f}")


def _judge(row: Row, unloaded: Row, drain_ms: float) -> Tuple[str, str]:
    """('pass' | 'fail' | 'undecided', why) of one load: each condition is read through the
    95% interval of its ratio (stats.median_ratio_interval), and decides only when the whole
    interval is on one side of its limit."""
    c = row.counters
    failed, open_ = [], []
    if row is not unloaded:
        p99 = median_ratio_interval(_samples(row, "p99_ms"), _samples(unloaded, "p99_ms"))
        limit = P99_FACTOR * unloaded.counters["p99_ms"]
        if p99 is not None and p99[0] >= P99_FACTOR:
            failed.append(f"p99 {fmt(c['p99_ms'])} ms not under {fmt(limit)} ms")
        elif p99 is None or p99[1] >= P99_FACTOR:
            open_.append(f"p99 over the unloaded {_interval_text(p99)}x against "
                         f"{P99_FACTOR:g}x")
    expected = offered_over_service(row, drain_ms)
    share = median_ratio_interval(_samples(row, "achieved_per_s"), (expected, expected))
    if share is not None and share[1] < ACHIEVED_SHARE:
        failed.append(f"served {fmt(c['achieved_per_s'])}/s, under {ACHIEVED_SHARE:g}x "
                      f"{fmt(expected)}/s")
    elif share is None or share[0] < ACHIEVED_SHARE:
        open_.append(f"served {_interval_text(share, 3)} of {fmt(expected)}/s against "
                     f"{ACHIEVED_SHARE:g}")
    if failed:
        return "fail", ", ".join(failed)
    if open_:
        return "undecided", "undecided: " + ", ".join(open_)
    return "pass", ""


def sustain(label: str, point: Point, by_load: List[Row]) -> Sustained:
    """The highest load at which it, and every lower load swept, keeps p99 under P99_FACTOR
    times the unloaded p99 and serves ACHIEVED_SHARE of what is offered. A load the intervals
    leave undecided stops the walk too: the knee is then at least the load before it."""
    unloaded = by_load[0]
    drain = unloaded.counters["p50_ms"]
    knee, why, open_ = None, "", None
    for r in by_load:
        status, why = _judge(r, unloaded, drain)
        if status != "pass":
            why = f"at {num_label(round(r.counters['load'], 3))}: {why}"
            open_ = r if status == "undecided" else None
            break
        knee = r
    return Sustained(label, point, tuple(by_load), knee, why, open_)


def sustained(results: Results) -> Dict[Point, Dict[str, Sustained]]:
    return {point: {label: sustain(label, point, by_load) for label, by_load in series.items()}
            for point, series in curves(results).items()}


def load_text(row: Row) -> str:
    """'0.9 (1,667/s)': the load, then the offered rate."""
    return f"{num_label(round(row.counters['load'], 3))} ({fmt(row.counters['offered_per_s'])}/s)"


def knee_text(s: Sustained) -> str:
    """'0.9 (1,667/s)', 'none swept', or with an undecided load above: '0.5 (926/s), undecided
    at 0.75'."""
    text = "none swept" if s.knee is None else load_text(s.knee)
    if s.open is None:
        return text
    at = f"undecided at {num_label(round(s.open.counters['load'], 3))}"
    return at if s.knee is None else f"{text}, {at}"


def cell(s: Optional[Sustained]) -> str:
    if s is None:
        return "–"
    return knee_text(s) + (" †" if s.suspects() else "")


def table_lines(results: Results, list_suspects: bool = True) -> List[str]:
    """REPORT.md's sustainable-throughput table: one row per executor, one column per point;
    the suspect rows it read are listed unless `list_suspects` is off (listed elsewhere)."""
    found = sustained(results)
    if not found:
        return []
    points = list(found)
    executor = {label: s.executor for by in found.values() for label, s in by.items()}
    every = sorted(executor, key=lambda label: (results.catalogue.order(executor[label]), label))
    out = ["| executor | language | " + " | ".join(point_short(p) for p in points) + " |",
           "|---|---|" + "---|" * len(points)]
    for label in every:
        language = results.catalogue.language(executor[label]) or "?"
        out.append(f"| {label} | {language} | "
                   + " | ".join(cell(found[p].get(label)) for p in points) + " |")
    suspects = [r for by in found.values() for s in by.values() for r in s.suspects()]
    out += ["", f"Each cell: the highest offered load (a fraction of the point's ideal capacity, "
            f"then orders per second) at which p99 latency, and at every lower load swept, stays "
            f"under {P99_FACTOR:g}x the p99 at the lowest load swept and the kitchen serves at "
            f"least {ACHIEVED_SHARE:g}x the offered rate (taken over the finite service: "
            "customers / ((customers - 1) / offered + the p50 at the lowest load), since even a "
            "kitchen that never queues needs a dish's time to serve the last arrival). Each "
            "condition is read through the 95% interval of its ratio of medians (bootstrap, as "
            "the table's cells) and decides only when the whole interval is on one side of its "
            "limit; **undecided at** a load when it does not, the knee then being at least the "
            "load before; **none swept** when even the lowest load fails; – when not measured."]
    if suspects:
        out += ["", "† The verdict read rows whose arrival schedule handed orders over later "
                "(p99) than a tenth of a dish: the kitchen was offered less, and less evenly, "
                "than the row says. Latency still runs from each order's intended arrival time"
                + (":" if list_suspects else " (these rows are listed under the chart).")]
        out += suspect_lines(suspects) if list_suspects else []
    return out


def suspect_lines(found: List[Row]) -> List[str]:
    return [f"- `{r.name}`: arrival lag {fmt(r.counters.get('arrival_lag_ms', float('nan')))} "
            "ms (p99)" for r in sorted({r.name: r for r in found}.values(), key=lambda r: r.name)]


def all_suspects(results: Results) -> List[Row]:
    return [r for r in rows(results) if is_suspect(r)]

"""Open-loop rows (/rate:R): orders arrive at a rate, latency runs from each arrival time. Which
rows make one swept point and one executor's curve, the sustainable throughput of each, and the
rows whose arrival schedule fell behind. Standard library only.

A swept point is a profile (with its costs per ingredient) and a number of chefs; a curve is one
executor (and arrival pattern) over the loads swept there, a load being the offered rate over
the point's ideal capacity, min(chefs / dish time, min(chefs, cores) / CPU time per dish). Any
points will do: a sweep of Poisson arrivals at 100 chefs alone has no 10-chef rows to lean on.

The p99 of a load pools its repetitions. The JSON has no raw latencies, only each
repetition's quantiles (p50_ms, p90_ms, p99_ms, p999_ms, each the mean over that repetition's
services), so the pooled p99 is the median of the repetitions' p99 with its 95% bootstrap
interval (stats.median_interval): p99_cell. A row that carries a p99 over the latencies of all
its services pooled (POOLED_P99, which no bench_kitchen writes yet) is read through that
counter instead, its repetitions giving the interval. Both the sustainable-throughput rule and
the knee read that interval, never the point alone.
"""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .figures import fmt, num_label, panel_title, profile_key
from .load import Results, Row
from .stats import CONFIDENCE, median_interval

P99_FACTOR = 3.0
"""A load is sustained while its pooled p99 latency stays under this many times the unloaded
p99 (the pooled p99 at the lowest load swept for that executor at that point, its median): the
95% interval of the load's pooled p99 lies wholly under that limit; wholly at or above it, the
load fails. The knee is the lowest load whose interval lies wholly at or above the limit: there
the executor's p99 has left its unloaded value."""

ACHIEVED_SHARE = 0.95
"""A load is sustained only if the kitchen served at least this share of the offered rate
(the 95% interval of the median achieved_per_s over that rate lies wholly at or above it;
wholly under it, the load fails). A service is finite: achieved_per_s counts the drain after the last
arrival, so even a kitchen that never queues shows less than the offered rate, by a dish's time
over the arrivals' span (7% for 400 orders at 4,630/s and 5.4 ms dishes). The offered rate is
therefore taken over the same span plus that drain: customers / ((customers - 1) / offered +
the unloaded p50), which tends to the offered rate as the service grows."""

_NEEDED = ("load", "offered_per_s", "achieved_per_s", "p50_ms", "p99_ms")

# A p99 over every latency of a row's services pooled, preferred to p99_ms when a row has it.
POOLED_P99 = "pooled_p99_ms"
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


def pattern_of(row: Row) -> str:
    """The arrival pattern, "" for evenly spaced arrivals (no /arrivals: segment)."""
    return row.params.get("arrivals", "")


@dataclass(frozen=True)
class P99:
    """A load's pooled p99 (see the module's docstring): the median over its repetitions and
    that median's interval (None with one repetition)."""
    median: float
    interval: Optional[Tuple[float, float]]
    n: int
    counter: str

    def text(self) -> str:
        """'12.0 ms (95% CI 11.5–12.8, n=5)'."""
        if self.interval is None:
            return f"{fmt(self.median)} ms (no interval, n={self.n})"
        return (f"{fmt(self.median)} ms ({CONFIDENCE * 100:.0f}% CI {fmt(self.interval[0])}–"
                f"{fmt(self.interval[1])}, n={self.n})")


def p99_cell(row: Row) -> P99:
    counter = POOLED_P99 if POOLED_P99 in row.counters else "p99_ms"
    values = _samples(row, counter)
    return P99(row.counters[counter], median_interval(values), len(values), counter)


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
class Knee:
    """Where an executor's pooled p99 leaves its unloaded value: `leaves` is the lowest load
    whose interval lies wholly at or above `limit` (P99_FACTOR x the unloaded pooled p99), None
    when no load swept does; `open` the loads below it whose interval reaches across the limit."""
    leaves: Optional[Row]
    open: Tuple[Row, ...]
    limit: float
    top: Row                       # the highest load swept


def knee_of(by_load: List[Row]) -> Knee:
    limit = P99_FACTOR * p99_cell(by_load[0]).median
    open_ = []
    for r in by_load[1:]:
        interval = p99_cell(r).interval
        if interval is not None and interval[0] >= limit:
            return Knee(r, tuple(open_), limit, by_load[-1])
        if interval is None or interval[1] >= limit:
            open_.append(r)
    return Knee(None, tuple(open_), limit, by_load[-1])


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
    def pattern(self) -> str:
        return pattern_of(self.rows[0])

    @property
    def unloaded_p99(self) -> float:
        return p99_cell(self.rows[0]).median

    @property
    def p99_knee(self) -> Knee:
        return knee_of(list(self.rows))

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
    95% interval of a median over the repetitions (stats.median_interval: the pooled p99, the
    achieved rate over the expected one), and decides only when the whole interval is on one
    side of its limit."""
    c = row.counters
    failed, open_ = [], []
    if row is not unloaded:
        p99 = p99_cell(row)
        limit = P99_FACTOR * p99_cell(unloaded).median
        if p99.interval is not None and p99.interval[0] >= limit:
            failed.append(f"p99 {fmt(p99.median)} ms not under {fmt(limit)} ms")
        elif p99.interval is None or p99.interval[1] >= limit:
            spread = ("no interval" if p99.interval is None
                      else f"{fmt(p99.interval[0])}–{fmt(p99.interval[1])}")
            open_.append(f"p99 {spread} ms against {fmt(limit)} ms ({P99_FACTOR:g}x unloaded)")
    expected = offered_over_service(row, drain_ms)
    achieved = median_interval(_samples(row, "achieved_per_s"))
    share = None if achieved is None else (achieved[0] / expected, achieved[1] / expected)
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


def _loads(rows) -> str:
    return ", ".join(num_label(round(r.counters["load"], 3)) for r in rows)


def p99_knee_text(k: Knee) -> str:
    """'0.9 (1,667/s)', with the loads below left undecided ('0.9 (1,667/s), undecided at
    0.75'); 'not by 1.2' when no load swept leaves the unloaded value, 'undecided at 1' when
    the only loads that might are undecided."""
    if k.leaves is not None:
        return load_text(k.leaves) + (f", undecided at {_loads(k.open)}" if k.open else "")
    top = f"not by {num_label(round(k.top.counters['load'], 3))}"
    if not k.open:
        return top
    return f"undecided at {_loads(k.open)}" + ("" if k.open[-1] is k.top else f", {top}")


def p99_knee_phrase(s: "Sustained") -> str:
    """'its p99 leaves 3x its unloaded 7 ms at 0.9 (1,667/s)', 'its p99 stays under 3x its
    unloaded 7 ms to 1.2', or '... undecided at 1'."""
    k = s.p99_knee
    head = f"its p99 {{}} {P99_FACTOR:g}x its unloaded {fmt(s.unloaded_p99)} ms"
    if k.leaves is not None:
        return head.format("leaves") + f" at {p99_knee_text(k)}"
    if not k.open:
        return head.format("stays under") + f" to {num_label(round(k.top.counters['load'], 3))}"
    return head.format("may leave") + f": {p99_knee_text(k)}"


def p99_knee_cell(s: Optional[Sustained]) -> str:
    """The knee with the pooled p99 that left: '0.9 (1,667/s): 40 ms (95% CI 36–44, n=3) ≥ 21
    ms'; or, when none left, the limit the highest load stayed under."""
    if s is None:
        return "–"
    k = s.p99_knee
    at = k.leaves if k.leaves is not None else k.top
    sign = "≥" if k.leaves is not None else "vs"
    return f"{p99_knee_text(k)}: {p99_cell(at).text()} {sign} {fmt(k.limit)} ms"


def _grid(results: Results, found, show) -> List[str]:
    """One row per series, one column per point: show(Sustained or None)."""
    points = list(found)
    executor = {label: s.executor for by in found.values() for label, s in by.items()}
    every = sorted(executor, key=lambda label: (results.catalogue.order(executor[label]), label))
    out = ["| executor | language | " + " | ".join(point_short(p) for p in points) + " |",
           "|---|---|" + "---|" * len(points)]
    for label in every:
        language = results.catalogue.language(executor[label]) or "?"
        out.append(f"| {label} | {language} | "
                   + " | ".join(show(found[p].get(label)) for p in points) + " |")
    return out


def table_lines(results: Results, list_suspects: bool = True) -> List[str]:
    """REPORT.md's sustainable-throughput table: one row per executor, one column per point;
    the suspect rows it read are listed unless `list_suspects` is off (listed elsewhere)."""
    found = sustained(results)
    if not found:
        return []
    out = _grid(results, found, cell)
    suspects = [r for by in found.values() for s in by.values() for r in s.suspects()]
    out += ["", f"Each cell: the highest offered load (a fraction of the point's ideal capacity, "
            f"then orders per second) at which the pooled p99 latency, and at every lower load "
            f"swept, stays under {P99_FACTOR:g}x the pooled p99 at the lowest load swept and "
            f"the kitchen serves at least {ACHIEVED_SHARE:g}x the offered rate (taken over the finite service: "
            "customers / ((customers - 1) / offered + the p50 at the lowest load), since even a "
            "kitchen that never queues needs a dish's time to serve the last arrival). " + POOLING
            + " Each condition is read through the 95% interval of a median over the "
            "repetitions (bootstrap, as the table's cells): the pooled p99 against "
            f"{P99_FACTOR:g}x the unloaded pooled p99, the achieved rate against "
            f"{ACHIEVED_SHARE:g}x the offered one. It decides only when the whole interval is on "
            "one side of its limit; **undecided at** a load when it does not, the sustainable "
            "load then being at least the load before; **none swept** when even the lowest load "
            "fails; – when not measured."]
    if suspects:
        out += ["", "† The verdict read rows whose arrival schedule handed orders over later "
                "(p99) than a tenth of a dish: the kitchen was offered less, and less evenly, "
                "than the row says. Latency still runs from each order's intended arrival time"
                + (":" if list_suspects else " (these rows are listed under the chart).")]
        out += suspect_lines(suspects) if list_suspects else []
    out += ["", "#### Where p99 leaves its unloaded value", ""]
    out += _grid(results, found, p99_knee_cell)
    out += ["", f"Each cell: the knee, the lowest load whose pooled p99 interval lies wholly at "
            f"or above {P99_FACTOR:g}x the executor's unloaded p99 (its pooled p99 at the lowest "
            "load swept), with that p99 and the limit; **undecided at** the loads below it "
            "whose interval reaches across the limit; **not by** the highest load swept when "
            "none leaves it (its p99 is then shown against the limit)."]
    return out


POOLING = ("The p99 of a load pools its repetitions: the JSON keeps each repetition's p99 (the "
           "mean over its services), not the latencies, so the pooled p99 is the median of the "
           "repetitions' p99 with its 95% bootstrap interval (a row carrying a p99 over all its "
           f"services' latencies, {POOLED_P99}, would be read through that instead).")


def suspect_lines(found: List[Row]) -> List[str]:
    return [f"- `{r.name}`: arrival lag {fmt(r.counters.get('arrival_lag_ms', float('nan')))} "
            "ms (p99)" for r in sorted({r.name: r for r in found}.values(), key=lambda r: r.name)]


def all_suspects(results: Results) -> List[Row]:
    return [r for r in rows(results) if is_suspect(r)]

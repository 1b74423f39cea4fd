"""What the harness costs each executor. A floor row (`floor/<executor>/chefs:C/customers:N`) runs
the executor's strategy in its barest form on the same orders, without the ledger's records, the
thread census or the fail-fast board; its kitchen row at the same point is
`kitchen/<executor>/overhead/chefs:C/customers:N`, with nothing else in its name. An executor's
harness share is (kitchen us_per_dish - floor us_per_dish) / kitchen us_per_dish, from the
medians of each row's repetitions: the part of its per-dish cost that is our bookkeeping rather
than its mechanism. Negative when the floor was the slower of the two (noise, on a busy
machine). Both rows are measured in the same pass, interleaved (bench.sh's overhead pass), and
the ratio kitchen / floor comes with the table's interval (stats.median_ratio_interval): the
target of at most 1.25x its floor is met, missed or undecided by that interval, never by the
medians alone."""

from dataclasses import dataclass
from typing import List, Optional, Tuple

from .load import Results, Row
from .stats import median_ratio_interval

FLOOR = "floor"
PROFILE = "overhead"
PER_DISH = "us_per_dish"
# An executor's dish may cost at most this many times its floor's.
TARGET = 1.25
MET, MISSED, UNDECIDED = "met", "missed", "undecided"


@dataclass(frozen=True)
class Share:
    executor: str
    chefs: int
    customers: int
    kitchen_us: float          # us_per_dish, median of the kitchen row
    floor_us: float            # us_per_dish, median of the floor row
    kitchen_row: str
    floor_row: str
    kitchen_values: Tuple[float, ...] = ()
    floor_values: Tuple[float, ...] = ()

    @property
    def interval(self) -> Optional[Tuple[float, float]]:
        """The 95% interval of kitchen / floor, None below 2 repetitions a side."""
        return median_ratio_interval(self.kitchen_values, self.floor_values)

    @property
    def target(self) -> str:
        """Whether the dish costs at most TARGET times its floor's: met when the whole interval
        is at or below it, missed when wholly above, undecided otherwise (or without one)."""
        iv = self.interval
        if iv is None:
            return UNDECIDED
        if iv[1] <= TARGET:
            return MET
        if iv[0] > TARGET:
            return MISSED
        return UNDECIDED

    @property
    def share(self) -> float:
        return (self.kitchen_us - self.floor_us) / self.kitchen_us

    @property
    def ratio(self) -> float:
        """Kitchen over floor: how many times its floor an executor's dish costs."""
        return self.kitchen_us / self.floor_us


def _kitchen_twin(results: Results, floor: Row) -> Optional[Row]:
    for r in results.family("kitchen"):
        if (r.kind == floor.kind and r.profile == PROFILE and not r.flags
                and set(r.params) == {"chefs", "customers"}
                and r.params["chefs"] == floor.params.get("chefs")
                and r.params["customers"] == floor.params.get("customers")):
            return r
    return None


def _values(row: Row) -> Tuple[float, ...]:
    return tuple(row.samples.get(PER_DISH) or (row.value(PER_DISH),))


def _span(values: Tuple[float, ...]) -> str:
    return f"{min(values):.3f}–{max(values):.3f}, n={len(values)}"


def shares(results: Results) -> List[Share]:
    """Every executor with both a floor row and its kitchen twin, in the catalogue's order."""
    found = []
    for floor in results.family(FLOOR):
        twin = _kitchen_twin(results, floor)
        if twin is None or PER_DISH not in floor.counters or twin.value(PER_DISH) <= 0:
            continue
        found.append(Share(executor=floor.kind, chefs=int(floor.params["chefs"]),
                           customers=int(floor.params["customers"]),
                           kitchen_us=twin.value(PER_DISH), floor_us=floor.value(PER_DISH),
                           kitchen_row=twin.name, floor_row=floor.name,
                           kitchen_values=_values(twin), floor_values=_values(floor)))
    return sorted(found, key=lambda s: results.catalogue.order(s.executor))


def lines(results: Results) -> List[str]:
    """REPORT.md's section: one table row per executor, or a sentence saying why there is none."""
    found = shares(results)
    floors = results.family(FLOOR)
    failed = sorted(e.name for e in results.errors if e.name.startswith(FLOOR + "/"))
    if not floors and not failed:
        return []
    out = ["Each executor's floor is its strategy in its barest form on the same orders (no "
           "ledger records, no thread census, no fail-fast board); its harness share is "
           "(kitchen per dish - floor per dish) / kitchen per dish, from each row's median.", ""]
    if not found and not floors:
        return out + [f"Every floor row failed, so no share: {', '.join(failed)}."]
    if not found:
        points = sorted({(f.params.get("chefs"), f.params.get("customers")) for f in floors})
        where = ", ".join(f"chefs:{c}/customers:{n}" for c, n in points)
        return out + [f"No kitchen row on the {PROFILE} profile at the floors' point ({where}): "
                      "no harness share can be computed from this run."]
    out += ["| executor | kitchen µs/dish (range, n) | floor µs/dish (range, n) | "
            "kitchen / floor (95% CI) | harness share | at most 1.25x its floor |",
            "|---|---|---|---|---|---|"]
    for s in found:
        iv = s.interval
        ci = f" ({iv[0]:.2f}–{iv[1]:.2f})" if iv else " (no interval)"
        out.append(f"| {s.executor} | {s.kitchen_us:.3f} ({_span(s.kitchen_values)}) | "
                   f"{s.floor_us:.3f} ({_span(s.floor_values)}) | {s.ratio:.2f}x{ci} | "
                   f"{s.share:.0%} | {s.target} |")
    point = f"chefs:{found[0].chefs}/customers:{found[0].customers}"
    missing = sorted({f.kind for f in floors} - {s.executor for s in found})
    out += ["", f"Read at {point} on the {PROFILE} profile."]
    if missing:
        out += [f"No kitchen twin for the floor of: {', '.join(missing)}."]
    if failed:
        out += [f"Floor rows that failed, so no share: {', '.join(failed)}."]
    below = [s.executor for s in found if s.share < 0]
    if below:
        out += [f"A negative share ({', '.join(below)}): the floor as written cost more than the "
                "kitchen in this run, from noise on a busy machine or a barest form that is not "
                "the cheapest way to run the strategy; it bounds nothing."]
    out += ["", "The interval is the table's (bootstrap of the ratio of medians); with 3 "
            "repetitions a side it spans the whole range, so \"undecided\" there means that "
            "more repetitions are needed, not that the target was missed."]
    return out

"""What the harness costs each executor. A floor row (`floor/<executor>/chefs:C/customers:N`)
runs the executor's strategy in its barest form on the same orders, without the ledger's records,
the thread census or the fail-fast board, and serves those orders with the executor itself too,
in the same iterations (floor, executor, executor, floor: bench/mechanisms/floor.hpp). Each
repetition gives both per-dish costs (`us_per_dish` for the floor, `kitchen_us_per_dish`) and
their ratio `kitchen_over_floor`, from services a few milliseconds apart (0.4 to 1 s for
threads_per_order and asio_offload): the pairs are what cancel a machine whose speed drifts,
where two rows measured seconds apart do not.

An executor's harness share is (kitchen - floor) / kitchen per dish, 1 - 1 / ratio, from the
median of the repetitions' ratios: the part of its per-dish cost that is our bookkeeping rather
than its mechanism. Negative when the floor was the slower of the two. The ratio's 95% interval
is the distribution-free interval of that median (stats.median_order_interval; none below 6
repetitions): the target of at most 1.25x its floor is met, missed or undecided by that
interval, never by the median alone. It covers the spread of the repetitions it was given, not
what may differ between two runs; and a verdict the rounds reach (repetitions from several
processes, looked at after each round) holds with less than the 95% a single look would."""

import statistics
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .load import Results, Row
from .stats import median_order_interval

FLOOR = "floor"
PER_DISH = "us_per_dish"
KITCHEN_PER_DISH = "kitchen_us_per_dish"
RATIO = "kitchen_over_floor"
# An executor's dish may cost at most this many times its floor's.
TARGET = 1.25
MET, MISSED, UNDECIDED = "met", "missed", "undecided"


@dataclass(frozen=True)
class Share:
    executor: str
    chefs: int
    customers: int
    floor_row: str
    kitchen_values: Tuple[float, ...]   # kitchen_us_per_dish, one a repetition
    floor_values: Tuple[float, ...]     # us_per_dish, one a repetition
    ratios: Tuple[float, ...]           # kitchen_over_floor, one a repetition

    @property
    def kitchen_us(self) -> float:
        return statistics.median(self.kitchen_values)

    @property
    def floor_us(self) -> float:
        return statistics.median(self.floor_values)

    @property
    def ratio(self) -> float:
        """How many times its floor an executor's dish costs: the median of the pairs' ratios."""
        return statistics.median(self.ratios)

    @property
    def interval(self) -> Optional[Tuple[float, float]]:
        """The 95% interval of that median, None below 6 repetitions."""
        return median_order_interval(self.ratios)

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
        return 1 - 1 / self.ratio


def _values(row: Row, key: str) -> Tuple[float, ...]:
    return tuple(row.samples.get(key) or (row.value(key),))


def _span(values: Tuple[float, ...]) -> str:
    return f"{min(values):.3f}–{max(values):.3f}, n={len(values)}"


def _paired(row: Row) -> bool:
    return all(k in row.counters for k in (PER_DISH, KITCHEN_PER_DISH, RATIO)) and \
        row.value(RATIO) > 0


def shares(results: Results) -> List[Share]:
    """Every floor row that carries its pairs, in the catalogue's order."""
    found = [Share(executor=f.kind, chefs=int(f.params["chefs"]),
                   customers=int(f.params["customers"]), floor_row=f.name,
                   kitchen_values=_values(f, KITCHEN_PER_DISH), floor_values=_values(f, PER_DISH),
                   ratios=_values(f, RATIO))
             for f in results.family(FLOOR) if _paired(f)]
    return sorted(found, key=lambda s: results.catalogue.order(s.executor))


def lines(results: Results) -> List[str]:
    """REPORT.md's section: one table row per executor, or a sentence saying why there is none."""
    found = shares(results)
    floors = results.family(FLOOR)
    failed = sorted(e.name for e in results.errors if e.name.startswith(FLOOR + "/"))
    if not floors and not failed:
        return []
    out = ["Each executor's floor is its strategy in its barest form on the same orders (no "
           "ledger records, no thread census, no fail-fast board). The floor row serves the "
           "orders with the executor too, in the same iterations (floor, executor, executor, "
           "floor), so each repetition gives a kitchen / floor ratio from services a few "
           "milliseconds apart (0.4 to 1 s for threads_per_order and asio_offload); the "
           "harness share is (kitchen per dish - floor per dish) / kitchen per dish, from the "
           "median of those ratios. Both per-dish columns are the floor row's, not the kitchen "
           "rows' elsewhere in this report.", ""]
    if not found and not floors:
        return out + [f"Every floor row failed, so no share: {', '.join(failed)}."]
    unpaired = sorted(f.kind for f in floors if not _paired(f))
    if not found:
        return out + [f"No floor row carries its paired kitchen services ({RATIO}; from an "
                      f"older bench_kitchen?): no harness share can be computed from this run."]
    out += ["| executor | kitchen µs/dish, paired (range, n) | floor µs/dish (range, n) | "
            "kitchen / floor, paired (95% CI) | harness share | at most 1.25x its floor |",
            "|---|---|---|---|---|---|"]
    for s in found:
        iv = s.interval
        ci = f" ({iv[0]:.2f}–{iv[1]:.2f})" if iv else " (no interval)"
        out.append(f"| {s.executor} | {s.kitchen_us:.3f} ({_span(s.kitchen_values)}) | "
                   f"{s.floor_us:.3f} ({_span(s.floor_values)}) | {s.ratio:.2f}x{ci} | "
                   f"{s.share:.0%} | {s.target} |")
    point = f"chefs:{found[0].chefs}/customers:{found[0].customers}"
    out += ["", f"Read at {point} on the overhead profile."]
    if unpaired:
        out += [f"Floor rows without their paired kitchen services ({RATIO}), so no share: "
                f"{', '.join(unpaired)}."]
    if failed:
        out += [f"Floor rows that failed, so no share: {', '.join(failed)}."]
    below = [s.executor for s in found if s.share < 0]
    if below:
        out += [f"A negative share ({', '.join(below)}): the floor as written cost more than the "
                "kitchen in this run, from noise on a busy machine or a barest form that is not "
                "the cheapest way to run the strategy; it bounds nothing."]
    out += ["", "The interval is the distribution-free 95% interval of the median of the "
            "repetitions' ratios (order statistics): there is none below 6 repetitions, so "
            "\"undecided\" there means that more repetitions are needed, not that the target "
            "was missed. It covers the spread of the repetitions measured, not what may differ "
            "between two runs (where a process's memory lands, say): a verdict near 1.25x is "
            "worth a second run."]
    return out

"""What the harness costs each executor. A floor row (`floor/<executor>/chefs:C/customers:N`) runs
the executor's strategy in its barest form on the same orders, without the ledger's records, the
thread census or the fail-fast board; its kitchen row at the same point is
`kitchen/<executor>/overhead/chefs:C/customers:N`, with nothing else in its name. An executor's
harness share is (kitchen us_per_dish - floor us_per_dish) / kitchen us_per_dish, from the
medians of each row's repetitions: the part of its per-dish cost that is our bookkeeping rather
than its mechanism. Negative when the floor was the slower of the two (noise, on a busy
machine)."""

from dataclasses import dataclass
from typing import List, Optional

from .load import Results, Row

FLOOR = "floor"
PROFILE = "overhead"
PER_DISH = "us_per_dish"


@dataclass(frozen=True)
class Share:
    executor: str
    chefs: int
    customers: int
    kitchen_us: float          # us_per_dish, median of the kitchen row
    floor_us: float            # us_per_dish, median of the floor row
    kitchen_row: str
    floor_row: str

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
                           kitchen_row=twin.name, floor_row=floor.name))
    return sorted(found, key=lambda s: results.catalogue.order(s.executor))


def lines(results: Results) -> List[str]:
    """REPORT.md's section: one table row per executor, or a sentence saying why there is none."""
    found = shares(results)
    floors = results.family(FLOOR)
    if not floors:
        return []
    out = ["Each executor's floor is its strategy in its barest form on the same orders (no "
           "ledger records, no thread census, no fail-fast board); its harness share is "
           "(kitchen per dish - floor per dish) / kitchen per dish, from each row's median.", ""]
    if not found:
        points = sorted({(f.params.get("chefs"), f.params.get("customers")) for f in floors})
        where = ", ".join(f"chefs:{c}/customers:{n}" for c, n in points)
        return out + [f"No kitchen row on the {PROFILE} profile at the floors' point ({where}): "
                      "no harness share can be computed from this run."]
    out += ["| executor | kitchen µs/dish | floor µs/dish | kitchen / floor | harness share |",
            "|---|---|---|---|---|"]
    for s in found:
        out.append(f"| {s.executor} | {s.kitchen_us:.3f} | {s.floor_us:.3f} | {s.ratio:.2f}x | "
                   f"{s.share:.0%} |")
    point = f"chefs:{found[0].chefs}/customers:{found[0].customers}"
    missing = sorted({f.kind for f in floors} - {s.executor for s in found})
    out += ["", f"Read at {point} on the {PROFILE} profile."]
    if missing:
        out += [f"No kitchen twin for the floor of: {', '.join(missing)}."]
    below = [s.executor for s in found if s.share < 0]
    if below:
        out += [f"A negative share ({', '.join(below)}): the floor as written cost more than the "
                "kitchen in this run, from noise on a busy machine or a barest form that is not "
                "the cheapest way to run the strategy; it bounds nothing."]
    return out

"""The kitchen model of py_kitchen.py, in CPython: menu, seeded orders, costs, CPU work, and one
order in preparation as a small state machine (the shape of src/kitchen/cooking.hpp).

Kept bit for bit with the C++ model where it matters for comparison: the menu, the SplitMix64
orders (the same seed gives the same dishes) and the ideal makespan. Standard library only,
Python >= 3.9.
"""

import time
from typing import List, NamedTuple, Sequence, Tuple

# The article's menu, in the article's order (src/kitchen/menu.cpp): a dish is its index.
MENU: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("Pizza", ("Flour", "Yeast", "Tomato Sauce", "Mozzarella Cheese", "Pepperoni")),
    ("Spaghetti", ("Pasta", "Ground Beef", "Tomato Sauce", "Onion", "Garlic")),
    ("Chicken Stir Fry", ("Chicken", "Broccoli", "Peppers", "Soy Sauce", "Ginger", "Rice")),
    ("Chicken Biryani", ("Chicken", "Onion", "Garlic", "Rice", "Yogurt", "Spices")),
    ("Salad", ("Mixed Greens", "Tomatoes", "Cucumbers", "Carrots", "Dressing")),
)
MAX_INGREDIENTS = max(len(ingredients) for _, ingredients in MENU)

_MASK = (1 << 64) - 1


class Costs(NamedTuple):
    """What one ingredient costs: a wait to fetch it, then work to cook it (microseconds)."""
    io_us: int
    cpu_us: int


# Named cost profiles, per ingredient (src/kitchen/profiles.hpp).
PROFILES = {
    "io": Costs(1000, 0),      # waiting dominates
    "cpu": Costs(0, 200),      # computing only
    "mixed": Costs(500, 50),   # mostly waiting, some computing
    "overhead": Costs(0, 0),   # what the executor itself costs
}


def split_mix(state: int) -> Tuple[int, int]:
    """SplitMix64 (src/kitchen/random.hpp): (new state, value), all arithmetic mod 2^64."""
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return state, z ^ (z >> 31)


def make_orders(customers: int, seed: int) -> List[int]:
    """The dish of every customer, drawn like make_orders in src/kitchen/orders.cpp."""
    orders, state = [], seed
    for _ in range(customers):
        state, value = split_mix(state)
        orders.append(value % len(MENU))
    return orders


def burn(units: int, x: int) -> int:
    """Real integer work in the interpreter: a 64-bit hash round per unit (src/kitchen/cpu_work
    does the same in C++). Each round holds the GIL, as any pure-Python computation does."""
    for _ in range(units):
        x ^= x >> 33
        x = (x * 0xFF51AFD7ED558CCD) & _MASK
        x ^= x >> 29
    return x


def calibrate() -> float:
    """Nanoseconds per unit of burn(), measured once per process."""
    # Seeds as the kitchen's are: full 64-bit values. A small seed would measure Python's fast
    # path for small integers (0 even stays 0), not the work a dish does.
    state, seed = split_mix(0x5EED)
    units = 1 << 8
    while True:  # grow the batch until one run lasts ~5 ms, far above the clock's resolution
        t0 = time.perf_counter_ns()
        seed = burn(units, seed)
        if time.perf_counter_ns() - t0 >= 5_000_000:
            break
        units *= 2
    runs = []
    for _ in range(7):  # the fastest run is the one least disturbed by the rest of the machine
        state, seed = split_mix(state)
        t0 = time.perf_counter_ns()
        burn(units, seed)
        runs.append(time.perf_counter_ns() - t0)
    return min(runs) / units


class Service:
    """One service's orders, costs per ingredient and chefs; shared by every iteration."""

    def __init__(self, orders: Sequence[int], costs: Costs, chefs: int, ns_per_unit: float):
        self.orders = list(orders)
        self.costs = costs
        self.chefs = chefs
        self.wait_s = costs.io_us / 1e6  # 0 means: no wait at all, not a zero-length sleep
        self.cpu_units = round(costs.cpu_us * 1000 / ns_per_unit) if costs.cpu_us else 0

    @property
    def customers(self) -> int:
        return len(self.orders)


def ideal_makespan_ns(service: Service, cores: int) -> float:
    """max(longest dish, total dish time / chefs, total CPU time / min(chefs, cores)), as
    ideal_makespan in src/kitchen/service.cpp."""
    per_ingredient = (service.costs.io_us + service.costs.cpu_us) * 1000
    steps = [len(MENU[dish][1]) for dish in service.orders]
    longest = per_ingredient * max(steps, default=0)
    total = per_ingredient * sum(steps)
    total_cpu = service.costs.cpu_us * 1000 * sum(steps)
    chefs = max(service.chefs, 1)
    return max(longest, total / chefs, total_cpu / min(chefs, max(cores, 1)))


class Cooking:
    """One order in preparation. The pipeline is the article's, and as lazy: fetch ingredient 1,
    cook it, season it, then ingredient 2. An executor drives it with a loop that decides only
    how to wait:  while not c.done(): wait(service.wait_s); c.step()"""

    __slots__ = ("order", "chef", "steps_done", "checksum", "_units", "_steps")

    def __init__(self, service: Service, order: int, chef: int):
        self.order = order
        self.chef = chef
        self.steps_done = 0
        self.checksum = order
        self._units = service.cpu_units
        self._steps = len(MENU[service.orders[order]][1])

    def done(self) -> bool:
        return self.steps_done == self._steps

    def step(self) -> None:
        """The ingredient has arrived: cook it (real work) and season it. Seeded by order and
        ingredient, so the checksum is the same whoever cooks it, and when."""
        seed = (self.checksum * 31 + self.steps_done + 1) & _MASK
        self.checksum = burn(self._units, seed) if self._units else seed
        self.steps_done += 1

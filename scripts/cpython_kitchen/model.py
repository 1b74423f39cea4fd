"""The kitchen model of py_kitchen.py, in CPython: menu, seeded orders, costs, CPU work, and one
order in preparation as a small state machine (the shape of src/kitchen/cooking.hpp).

Kept bit for bit with the C++ model where it matters for comparison: the menu, the SplitMix64
orders (the same seed gives the same dishes), the failure plan (the same seed and rate give the
same ingredients out of stock), the pantry every ingredient is taken from, and the ideal
makespan. Standard library only, Python >= 3.9.
"""

import threading
import time
from typing import List, NamedTuple, Optional, Sequence, Tuple

# The menu, in the C++ model's order (src/kitchen/menu.cpp): a dish is its index.
MENU: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("Pizza", ("Flour", "Yeast", "Tomato Sauce", "Mozzarella Cheese", "Pepperoni")),
    ("Spaghetti", ("Pasta", "Ground Beef", "Tomato Sauce", "Onion", "Garlic")),
    ("Chicken Stir Fry", ("Chicken", "Broccoli", "Peppers", "Soy Sauce", "Ginger", "Rice")),
    ("Chicken Biryani", ("Chicken", "Onion", "Garlic", "Rice", "Yogurt", "Spices")),
    ("Salad", ("Mixed Greens", "Tomatoes", "Cucumbers", "Carrots", "Dressing")),
)
MAX_INGREDIENTS = max(len(ingredients) for _, ingredients in MENU)

_MASK = (1 << 64) - 1
_FAILURE_STREAM = 0x6A09E667F3BCC909  # src/kitchen/failures.cpp: the failures' own stream
NO_FAILURE = -1  # kNoFailure: the order has every ingredient in stock


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


def split_mix_unit(state: int) -> Tuple[int, float]:
    """(new state, a value uniform in [0, 1) from the top 53 bits), as split_mix_unit."""
    state, value = split_mix(state)
    return state, (value >> 11) * 2.0 ** -53


def make_orders(customers: int, seed: int) -> List[int]:
    """The dish of every customer, drawn like make_orders in src/kitchen/orders.cpp."""
    orders, state = [], seed
    for _ in range(customers):
        state, value = split_mix(state)
        orders.append(value % len(MENU))
    return orders


def plan_failures(orders: Sequence[int], rate: float, seed: int) -> List[int]:
    """Per order, the first ingredient out of stock, or NO_FAILURE: plan_failures in
    src/kitchen/failures.cpp, draw for draw, so that C++ and CPython fail the same orders."""
    plan = [NO_FAILURE] * len(orders)
    if rate <= 0:
        return plan
    # A stream of its own (not the orders'), so failures never change which dishes are ordered.
    state = (seed ^ _FAILURE_STREAM) & _MASK
    for i, dish in enumerate(orders):
        for k in range(len(MENU[dish][1])):
            state, u = split_mix_unit(state)
            if u < rate:
                plan[i] = k
                break
    return plan


class OutOfStock(Exception):
    """Cooking reached an ingredient the plan says is out of stock (kitchen::OutOfStock). Every
    executor catches it per order, records the order as failed, and serves the others."""

    def __init__(self, order: int, ingredient: int):
        super().__init__("out of stock")
        self.order = order
        self.ingredient = ingredient


# How the shared stock is updated (bench_kitchen's --pantry, src/kitchen/pantry.hpp).
LOCKED, UNLOCKED, UNLOCKED_AWAIT = "locked", "unlocked", "unlocked_await"
PANTRY_MODES = (LOCKED, UNLOCKED, UNLOCKED_AWAIT)


class Pantry:
    """One stock count shared by the whole kitchen, taken from once per ingredient cooked
    (src/kitchen/pantry.hpp). A take spans the cooking step it feeds: begin_take() before the
    step, end_take() after it.

    locked: end_take() decrements under a lock, around the decrement alone. bench_kitchen makes
    every row pay this: a lock acquisition plus a read and a write of a shared count per
    ingredient. On an event loop the lock is never contended, but it is still taken, as
    bench_kitchen's event-loop executors take theirs.
    unlocked: `seen = stock; cook(); stock = seen - 1`, the natural read-modify-write of a
    kitchen: takes whose steps overlap on different threads are lost. One thread (an event loop
    that does not await inside the step) cannot lose any.
    unlocked_await: the read comes before the ingredient's fetch is waited for (slept, awaited,
    or fetched from the server), the write after its step, like `seen = stock; await fetch();
    cook(); stock = seen - 1`: the window spans a wait, and a kitchen on one thread races too."""

    __slots__ = ("_lock", "stock", "mode", "awaits_inside")

    def __init__(self, mode: str = LOCKED) -> None:
        if mode not in PANTRY_MODES:
            raise ValueError(f"unknown pantry mode {mode!r}")
        self._lock = threading.Lock()
        self.mode = mode
        self.awaits_inside = mode == UNLOCKED_AWAIT
        self.stock = 0  # takes count down; a Python int never overflows, so no restock is needed

    def begin_take(self) -> int:
        """The count as read now (unlocked modes); locked: nothing to read (0)."""
        return 0 if self.mode == LOCKED else self.stock

    def end_take(self, seen: int) -> None:
        if self.mode == LOCKED:
            with self._lock:
                self.stock -= 1
        else:
            self.stock = seen - 1

    def take(self) -> None:
        """A whole take at once (begin and end with nothing between)."""
        self.end_take(self.begin_take())


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

    def __init__(self, orders: Sequence[int], costs: Costs, chefs: int, ns_per_unit: float,
                 failures: Optional[Sequence[int]] = None,
                 arrivals: Optional[Sequence[int]] = None, pantry: str = LOCKED,
                 fail_fast: bool = False):
        self.orders = list(orders)
        self.costs = costs
        self.chefs = chefs
        # Per order, the ingredient out of stock or NO_FAILURE (plan_failures); none by default.
        self.failures = list(failures) if failures is not None else [NO_FAILURE] * len(orders)
        if len(self.failures) != len(self.orders):
            raise ValueError("one planned failure (or NO_FAILURE) per order is needed")
        # Open loop (arrivals.py): per order, when it arrives, in ns after the kitchen is open.
        # Empty: every order is placed at open (a closed batch).
        self.arrivals = list(arrivals) if arrivals is not None else []
        if self.arrivals and len(self.arrivals) != len(self.orders):
            raise ValueError("one arrival time per order is needed")
        self.pantry = Pantry(pantry)
        # --fail-fast: the first failure cancels every order still waiting or cooking.
        self.fail_fast = fail_fast
        # The event loop the asyncio kitchens run every service of the row on (set by the row,
        # executors.row_loop); None: each service makes its own with asyncio.run.
        self.loop = None
        self.wait_s = costs.io_us / 1e6  # 0 means: no wait at all, not a zero-length sleep
        self.cpu_units = round(costs.cpu_us * 1000 / ns_per_unit) if costs.cpu_us else 0
        # py_processes (processes.py): how its pool starts its workers and how many orders map
        # hands a worker at once (processes.PoolOptions), set by the row; None: the defaults.
        self.pool_options = None
        # Net rows (--io=net): the row's connections to the pantry server, one per chef
        # (net.Connections), set by the row before its services; None: the wait is a sleep.
        self.net = None

    @property
    def customers(self) -> int:
        return len(self.orders)

    @property
    def open_loop(self) -> bool:
        return bool(self.arrivals)


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
    """One order in preparation. The pipeline is lazy: fetch ingredient 1,
    cook it, season it, then ingredient 2. An executor drives it with a loop that decides only
    how to wait:  while not c.done(): wait(service.wait_s); c.step()
    and catches OutOfStock around that loop."""

    __slots__ = ("order", "chef", "steps_done", "checksum", "_units", "_steps", "_fail_at",
                 "_pantry", "_awaited_seen")

    def __init__(self, service: Service, order: int, chef: int):
        self.order = order
        self.chef = chef
        self.steps_done = 0
        self.checksum = order
        self._units = service.cpu_units
        self._steps = len(MENU[service.orders[order]][1])
        self._fail_at = service.failures[order]
        self._pantry = service.pantry
        self._awaited_seen = 0
        self._begin_awaited_take()

    def _begin_awaited_take(self) -> None:
        """unlocked_await: the take of the next ingredient begins now, before its fetch is
        waited for (Cooking::begin_awaited_take)."""
        if self._pantry.awaits_inside and not self.done():
            self._awaited_seen = self._pantry.begin_take()

    def done(self) -> bool:
        return self.steps_done == self._steps

    def step(self) -> None:
        """The ingredient has arrived: take it from the pantry around cooking it (real work)
        and seasoning it; or raise OutOfStock, before any of that, if the plan says it is out
        of stock (as Cooking::step). Seeded by order and ingredient, so the checksum is the same
        whoever cooks it, and when."""
        if self.steps_done == self._fail_at:
            raise OutOfStock(self.order, self.steps_done)
        pantry = self._pantry
        # The take spans the cooking (pantry.hpp): the same window in every executor. With an
        # await inside, it began before the fetch.
        seen = self._awaited_seen if pantry.awaits_inside else pantry.begin_take()
        seed = (self.checksum * 31 + self.steps_done + 1) & _MASK
        self.checksum = burn(self._units, seed) if self._units else seed
        pantry.end_take(seen)
        self.steps_done += 1
        self._begin_awaited_take()

"""When customers arrive in an open-loop service of py_kitchen.py, and how many dishes a second
the kitchen could ideally take (src/kitchen/arrivals.cpp, draw for draw).

Order k arrives at t_k nanoseconds after the kitchen is open. The times are fixed before the
service starts, from the rate, the pattern and the seed alone, so every executor (and
bench_kitchen, for the same seed) meets the same arrivals:

  fixed    t_k = k / rate, evenly spaced
  poisson  t_0 = 0, t_{k+1} = t_k - ln(1 - u_k) / rate, u_k uniform in [0, 1) from SplitMix64
           in a stream of its own (state seed ^ 0xa77e5a15), so the orders' and the failures'
           draws are left as they are

Each t_k is truncated to whole nanoseconds, as the C++ cast to int64 does, after the running
sum is kept in double precision.
"""

import math
from typing import List, Sequence

from .model import MENU, Costs, split_mix_unit

FIXED, POISSON = "fixed", "poisson"
PATTERNS = (FIXED, POISSON)
_ARRIVAL_STREAM = 0xA77E5A15  # src/kitchen/arrivals.cpp
_MASK = (1 << 64) - 1

MAX_SERVICE_NS = 4.6e18
"""The latest time since the opening a service may need (kMaxServiceNs in
src/kitchen/arrivals.hpp): half of the int64 nanoseconds bench_kitchen's clock counts in, about
146 years."""
_INT64_MAX = (1 << 63) - 1

SUSPECT_SHARE_OF_DISH = 0.1
"""A row is suspect when the arrival schedule handed its orders over later (p99) than this share
of the average dish: the kitchen was then offered less than the row says."""


def plan_arrivals(customers: int, per_second: float, pattern: str, seed: int) -> List[int]:
    """t_k of every order, in nanoseconds since the kitchen opened."""
    if per_second <= 0:
        raise ValueError("an arrival rate must be above 0")
    if pattern not in PATTERNS:
        raise ValueError(f"unknown arrival pattern '{pattern}'")
    mean_gap_ns = 1e9 / per_second
    state = (seed ^ _ARRIVAL_STREAM) & _MASK
    at: List[int] = []
    t = 0.0
    for k in range(customers):
        # Past what the clock counts (a schedule nobody checked): INT64_MAX, which the ledger's
        # check refuses, as bench_kitchen writes it; never int(inf)'s OverflowError.
        at.append(int(t) if t <= MAX_SERVICE_NS else _INT64_MAX)
        if pattern == FIXED:
            # A product, not a running sum: no rounding error builds up over the orders.
            t = (k + 1) * mean_gap_ns
        else:
            state, u = split_mix_unit(state)
            # The inverse transform of a uniform draw in (0, 1]: an exponential gap.
            t += -math.log(1.0 - u) * mean_gap_ns
    return at


def longest_schedule_ns(customers: int, per_second: float, pattern: str) -> float:
    """An upper bound of the last arrival time: (customers - 1) mean gaps for fixed arrivals,
    53 ln 2 (about 37) times that for poisson, the longest gap a draw of 53 bits can give."""
    longest_gap = 53 * math.log(2.0) if pattern == POISSON else 1.0
    return max(customers - 1, 0) * longest_gap * 1e9 / per_second


def mean_ingredients() -> float:
    """Ingredients per dish, averaged over the menu (not over the orders)."""
    return sum(len(ingredients) for _, ingredients in MENU) / len(MENU)


def ideal_capacity(costs: Costs, chefs: int, cores: int) -> float:
    """The most dishes per second the kitchen could serve: min(chefs / dish time,
    min(chefs, cores) / CPU time per dish); infinite when a dish costs nothing."""
    dish_s = mean_ingredients() * (costs.io_us + costs.cpu_us) / 1e6
    cpu_s = mean_ingredients() * costs.cpu_us / 1e6
    capacity = math.inf
    if dish_s > 0:
        capacity = min(capacity, chefs / dish_s)
    if cpu_s > 0:
        capacity = min(capacity, min(chefs, max(cores, 1)) / cpu_s)
    return capacity


def dish_ms(costs: Costs) -> float:
    """The average dish's time on the nominal costs, in milliseconds."""
    return mean_ingredients() * (costs.io_us + costs.cpu_us) / 1e3


def rate_name(rate: float) -> str:
    """The /rate: segment of a row name, as bench_kitchen writes it: printf's %.0f from 1 up,
    std::to_string's six decimals below."""
    return f"/rate:{rate:.0f}" if rate >= 1 else f"/rate:{rate:.6f}"


def quantile(values: Sequence[int], q: float) -> int:
    """Nearest-rank quantile q of `values`; 0 when there are none (the ledger's rule)."""
    ordered = sorted(values)
    if not ordered:
        return 0
    rank = math.ceil(min(max(q, 0.0), 1.0) * len(ordered))
    return ordered[max(rank, 1) - 1]

"""What the advisor asks bench_kitchen for: the points (N, N/4 and 4N in flight, bounded by the
thread budget), the executors (each catalogued pair, plus the async executors that cook on
several threads when one event-loop thread would be CPU-bound), the customers of a service,
and one command per point (and one for the open loop at the user's N when there is a rate; when
round 1 finds an executor over capacity there, one more at a sustainable rate)."""

import math
import os
import statistics
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from cpython_kitchen.model import MENU, make_orders

from .flags import Workload

# A repetition is at least this long (a service of its own when the service is longer).
MIN_TIME_S = 0.05
# Customers per chef of a closed service: enough for every chef to take many orders, so that
# the opening (starting N threads), the drain and the join are a small part of the wall clock
# (at 4 a chef, threads_pool at 1,000 chefs served 12,513/s at 1,000 customers and 32,624/s at
# 10,000), and for a service of at least SERVICE_MIN_S at the slowest predicted rate, unless
# the service would pass SERVICE_S. 16 keeps `kitchen advise --io-us=1000 --cpu-us=0
# --concurrency=1000` within 90 s on the suite's 2-core machine.
ROUNDS_PER_CHEF = 16
SERVICE_MIN_S, SERVICE_S = 0.05, 0.35
# An open loop's orders: enough for a p99 that is not the second-worst order.
OPEN_LOOP_S = 0.3
OPEN_LOOP_MIN, OPEN_LOOP_MAX = 1000, 5000
# The sustainable-rate point's arrival rate, as a share of the lowest capacity round 1 measured
# at the user's N: a margin for Poisson bursts and for the noise of one round's capacity, so
# that every executor should keep up and its p99 be a steady state's (one that still does not
# is labelled over capacity there too).
SUSTAINABLE_SHARE = 0.7
# The seed bench_kitchen draws its orders with by default.
SEED = 1
PROFILE = "mixed"


# The mean ingredients of the menu's dishes, which orders are drawn from uniformly: the steps of
# a request before its orders are drawn.
MENU_MEAN_STEPS = statistics.fmean(len(ingredients) for _, ingredients in MENU)


def menu_steps(customers: int) -> float:
    """The mean ingredients of the orders a service of `customers` draws."""
    return statistics.fmean(len(MENU[d][1]) for d in make_orders(customers, SEED))


@dataclass(frozen=True)
class Point:
    chefs: int
    customers: int
    open_loop: bool = False
    # The per-step costs bench_kitchen runs (scaled from the user's when --ingredients is given).
    io_us: int = 0
    cpu_us: int = 0
    # An open loop's arrivals per second: the user's --rate, or the sustainable rate.
    rate: Optional[float] = None
    # The open loop added after round 1 at a rate every executor should serve.
    sustainable: bool = False

    @property
    def key(self) -> str:
        if self.sustainable:
            return f"sustainable_{self.chefs}"
        return f"{'open' if self.open_loop else 'closed'}_{self.chefs}"

    def as_json(self) -> dict:
        return {"key": self.key, "chefs": self.chefs, "customers": self.customers,
                "open_loop": self.open_loop, "io_us": self.io_us, "cpu_us": self.cpu_us,
                "rate": self.rate, "sustainable": self.sustainable}


@dataclass(frozen=True)
class Capacity:
    """The lowest capacity round 1 measured at the user's N, which the sustainable rate is
    SUSTAINABLE_SHARE of: one executor's requests/s in the closed loop there, or what it
    served in the open loop at the user's rate when that rate was over its capacity."""
    executor: str
    per_s: float
    source: str

    def as_json(self) -> dict:
        return {"executor": self.executor, "per_s": self.per_s, "source": self.source,
                "share": SUSTAINABLE_SHARE}


@dataclass
class Plan:
    workload: Workload
    executors: List[str]
    pairs: List[Tuple[str, str]]
    extra: List[str]
    points: List[Point]
    steps: float                     # the user's steps per request (ingredients or the menu's)
    notes: List[str] = field(default_factory=list)
    # Where the sustainable point's rate came from, once round 1 has chosen it.
    capacity: Optional[Capacity] = None
    # One event-loop thread would be CPU-bound here (the model's bound): make's cpu_heavy.
    cpu_heavy: bool = False
    # (partner, fiber executor): each fibers-side executor against the threads and the async
    # executor it names as pair and also_pair (main.fiber_pairs), measured beside the pairs.
    fibers: List[Tuple[str, str]] = field(default_factory=list)

    @property
    def user(self) -> Point:
        return next(p for p in self.points if p.chefs == self.workload.concurrency
                    and not p.open_loop)

    @property
    def open_point(self) -> Optional[Point]:
        """The open loop at the user's rate."""
        return next((p for p in self.points if p.open_loop and not p.sustainable), None)

    @property
    def sustainable(self) -> Optional[Point]:
        """The open loop at the sustainable rate, once round 1 has added it."""
        return next((p for p in self.points if p.sustainable), None)

    def as_json(self) -> dict:
        return {"executors": self.executors, "pairs": [list(p) for p in self.pairs],
                "points": [p.as_json() for p in self.points], "notes": self.notes,
                "sustainable_capacity": self.capacity.as_json() if self.capacity else None}


def neighbours(n: int, cap: int) -> List[int]:
    """N/4, N, 4N, each at least 1 and at most cap (N itself is kept even above cap: the user
    asked for it), without repeats."""
    lower = max(n // 4, 1)
    found = [lower] if lower < n else []
    found.append(n)
    upper = min(4 * n, cap)
    if upper > n:
        found.append(upper)
    return found


def scaled_costs(w: Workload, customers: int) -> Tuple[int, int]:
    """The per-step costs bench_kitchen runs: the user's, or with --ingredients=K the user's
    scaled by K over the menu's mean steps, so that a request's total wait and work are K
    steps' worth (bench_kitchen's dishes keep the menu's ingredients); a cost above 0 stays at
    least 1 us, so that a wait is never silently skipped."""
    if w.ingredients is None:
        return w.io_us, w.cpu_us
    f = w.ingredients / menu_steps(customers)
    # A cost that rounds to 0 would skip the wait (or the work) altogether: 1 us at least.
    return (max(round(w.io_us * f), 1) if w.io_us else 0,
            max(round(w.cpu_us * f), 1) if w.cpu_us else 0)


def make(w: Workload, pairs: Sequence[Tuple[str, str]], extra_candidates: Sequence[str],
         cpu_heavy: bool, thread_cap: int, slowest_rate: Callable[[int], float],
         fiber_pairs: Sequence[Tuple[str, str]] = ()) -> Plan:
    """The plan for a workload. `pairs` and `extra_candidates` come from the catalogue (the
    async executors outside any pair that keep several dishes in preparation); `cpu_heavy`
    says one event-loop thread would be CPU-bound (the model's bound); `slowest_rate` the
    lowest predicted requests per second of the executors at N in flight, which bounds the
    customers of a service there; `fiber_pairs` (partner, fiber executor) are measured too."""
    executors: List[str] = []
    for t, a in list(pairs) + list(fiber_pairs):
        for e in (t, a):
            if e not in executors:
                executors.append(e)
    extra = [e for e in extra_candidates if cpu_heavy and e not in executors]
    notes = []
    cap = max(thread_cap, 1)
    ns = neighbours(w.concurrency, cap)
    if 4 * w.concurrency > cap:
        notes.append(f"4N = {4 * w.concurrency:,} in flight is over the thread budget's "
                     f"{cap:,} (half the threads this machine can still start), so the upper "
                     f"neighbour is {max(ns):,}")
    points = []
    for n in ns:
        rate = slowest_rate(n)
        if 0 < rate < math.inf:
            wanted = max(ROUNDS_PER_CHEF * n, int(SERVICE_MIN_S * rate))
            customers = max(n, min(wanted, int(SERVICE_S * rate)), 8)
        else:
            customers = max(ROUNDS_PER_CHEF * n, 8)
        io, cpu = scaled_costs(w, customers)
        points.append(Point(chefs=n, customers=customers, io_us=io, cpu_us=cpu))
    if w.rate:
        # Over capacity the service lasts as long as the kitchen takes to serve its orders, so
        # the orders follow the lower of the rate and the slowest predicted capacity.
        offered = min(w.rate, slowest_rate(w.concurrency) or w.rate)
        points.append(open_loop_point(w, offered, w.rate))
    if w.ingredients is not None:
        notes.append(f"--ingredients={w.ingredients}: bench_kitchen's dishes keep the menu's "
                     "5 or 6 ingredients, so each step's wait and work are scaled to keep a "
                     "request's totals; the executors' per-step costs are the menu's steps' "
                     "worth, not K steps'")
    steps = float(w.ingredients) if w.ingredients is not None else menu_steps(
        next(p.customers for p in points if p.chefs == w.concurrency))
    return Plan(workload=w, executors=executors + extra, pairs=list(pairs), extra=extra,
                points=points, steps=steps, notes=notes, cpu_heavy=cpu_heavy,
                fibers=list(fiber_pairs))


def open_loop_orders(rate: float) -> int:
    """The orders of an open loop's service: OPEN_LOOP_S at `rate`, within OPEN_LOOP_MIN and
    OPEN_LOOP_MAX."""
    return int(min(max(rate * OPEN_LOOP_S, OPEN_LOOP_MIN), OPEN_LOOP_MAX))


def open_loop_point(w: Workload, served: float, rate: float,
                    sustainable: bool = False) -> Point:
    """The open loop at the user's N with arrivals at `rate`, its orders those of a service
    that serves `served` per second."""
    customers = open_loop_orders(served)
    io, cpu = scaled_costs(w, customers)
    return Point(chefs=w.concurrency, customers=customers, open_loop=True, io_us=io,
                 cpu_us=cpu, rate=rate, sustainable=sustainable)


def sustainable_rate(capacity: float) -> float:
    """SUSTAINABLE_SHARE of a measured capacity, rounded down to two significant figures and
    to a whole number (a rate a person can type again, never above the share), at least 1."""
    x = SUSTAINABLE_SHARE * capacity
    step = 10.0 ** max(int(math.floor(math.log10(x))) - 1, 0) if x >= 1 else 1.0
    return max(math.floor(x / step) * step, 1.0)


def command(bench: str, plan: Plan, point: Point, executors: Sequence[str],
            repetitions: int, out: Optional[str] = None) -> List[str]:
    """The bench_kitchen command that measures `executors` at `point`."""
    w = plan.workload
    argv = [bench, f"--executors={','.join(executors)}", f"--profiles={PROFILE}",
            f"--io-us={point.io_us}", f"--cpu-us={point.cpu_us}", f"--chefs={point.chefs}",
            f"--customers={point.customers}"]
    if w.gil:
        argv.append("--gil=on")
    if w.net:
        argv.append("--io=net")
    if point.open_loop:
        argv += [f"--arrival-rate={point.rate:g}", "--arrivals=poisson"]
    argv += [f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={MIN_TIME_S:g}"]
    if out is not None:
        argv += ["--benchmark_enable_random_interleaving=true", f"--benchmark_out={out}",
                 "--benchmark_out_format=json"]
    return argv


def reproduce(plan: Plan, point: Point, executor: str, repetitions: int) -> str:
    """The command a person runs to measure one row again (bench_kitchen on PATH or in
    build/release/bin/)."""
    argv = command("bench_kitchen", plan, point, [executor], max(repetitions, 3))
    return " ".join(argv + ["--benchmark_format=json"])


def bench_name(bench: str) -> str:
    return os.path.basename(bench)

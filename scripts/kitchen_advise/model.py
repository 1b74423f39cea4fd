"""The sizing model, predicted before anything is measured.

Per executor, for a request of s steps, each a wait of I us and a work of K us:
  W = s (I + overshoot)   the waits, a pure delay; each timer wait ends late by the median
                          overshoot the timer/ rows measured at the suite's 1 ns slack (0 when
                          I = 0: a wait of 0 is skipped)
  C = s K                 the work
  o = spawn + hand-overs  the executor's own cost per request, from the mechanism rows: one
                          spawn of its kind per request, and one hand-over (half a switch/ round
                          trip) per step that waits (the wake-up after it: a wait of 0 is
                          skipped, so nothing wakes), plus what it adds per request and per step
  g                       for executors whose waits block a kernel thread (timer/thread_sleep),
                          the growth of a wake-up's and a thread start's cost with the threads
                          in flight: g = THREAD_COST_SCALE max(N / c, 1)^THREAD_COST_EXPONENT,
                          multiplying their hand-overs and spawns (1 for the others); the two
                          constants are the only fitted figures, fitted on the accuracy grid
  c                       the CPU as c servers: the usable cores for executors that cook on
                          several threads, 1 for one event-loop (or fiber scheduler) thread, and
                          1 for all under the GIL
  X0 = min(N / (W + C + o), c / (C + o))     the bounds, closed loop with N in flight
  X  = mva(N, W, C + o, c)                   requests per second: N requests cycling between
                          their waits (a delay of W) and c servers of demand C + o, by mean
                          value analysis (the c servers as one of demand (C + o) / c and a delay
                          of (C + o) (c - 1) / c): below X0 near the knee, where the woken
                          requests wait for a core (the kitchen's runqueue_wait_us_per_dish)
  X' = orders / (orders / X + T spawn/thread)   a closed service of `orders` also starts (and
                          joins) the T threads it cooks on (N for a thread per chef, the cores
                          for a thread per core), one after another: what open_us measures
  N* = c (1 + W / (C + o))                   requests in flight that keep the c servers busy
With a rate R (open loop), two M/M/k queues estimate the p99: the CPU (k = c servers of C + o)
and the N slots in flight (k = N servers of W + C + o); the estimate is W + C + o plus the
larger of their Erlang C p99 waits. Erlang C assumes exponential service times, and the
kitchen's dishes of 5 or 6 fixed steps vary less and queue less, so it is neither a lower nor
an upper bound: it is labelled an M/M/c estimate. Memory for N: N idle tasks of the executor's
kinds (memory/ rows), a model figure. Threads: what the executor starts for N (threads_per_order
one per order, so for a service's orders), against the machine's thread budget.

Where o comes from: the spawn/ rows (ns_per_spawn) and half of the switch/ rows' round trip
(ns_per_switch / 2), each a median of wall time, not of CPU time; switch/thread_cv's wall time
is bimodal (a hand-over that finds the other thread running against one that wakes it), so its
median is one of two modes. OVERHEAD_SOURCE says so in the output.

What each executor pays is the catalogue's (its `paid`: which spawn/, switch/, timer/ and
memory/ kinds a dish pays, where its work runs, which threads it starts), so adding an executor
means one catalogue entry; an executor without it (one that serves one dish at a time) is not
modelled."""

import math
from dataclasses import dataclass
from typing import Optional, Sequence

from kitchen_report import catalogue as cat

from .flags import Workload
from .mechanisms import Mechanisms

# The p99 of a wait: P(wait > t) = 0.01.
P99 = 0.99
# The growth of a kernel thread's wake-up and start with the threads in flight (g above):
# fitted on the accuracy grid alone, never on the held-out set, by `advise.py fit FILE` (the
# least sum of |log(predicted / measured)| over the file's quiet grid points of thread
# executors, 72 on the 2-core AMD EPYC at 1,996 MHz of the 2026-12-08 reference, whose
# switch/thread_cv hand-over is 6.1 us). They go with the mechanism rows of the machine they were
# fitted on: priced with the 2026-12-02 reference's rows (an EPYC at 2,596 MHz, a hand-over of
# 16.6 us) the same kind of grid fitted 0.95 and 0.075, and with the 2026-12-07 reference's
# (7.3 us) 1.0 and 0.2. g is about 1 for a thread a core and 3 at 500 threads a core: a wake-up
# among many runnable threads costs more than the mechanism rows' lone hand-over.
THREAD_COST_SCALE = 1.0
THREAD_COST_EXPONENT = 0.175
# The spawn/ kind a thread started for a service costs.
THREAD_SPAWN = "thread"
# The timer/ kind of a wait that blocks a kernel thread.
THREAD_WAIT = "thread_sleep"

OVERHEAD_SOURCE = ("o = spawn/<kind> ns_per_spawn + per step that waits half of "
                   "switch/<kind> ns_per_switch: medians of wall time, not CPU time "
                   "(switch/thread_cv's is bimodal); for kernel threads both x g = "
                   f"{THREAD_COST_SCALE:g} max(N / c, 1)^{THREAD_COST_EXPONENT:g} (fitted on "
                   "the accuracy grid)")


def modelled(e: Optional[cat.Executor]) -> bool:
    """Whether the model predicts this executor: its catalogue entry says what a dish pays."""
    return e is not None and e.paid is not None


@dataclass(frozen=True)
class Prediction:
    executor: str
    steps: float
    wait_s: float
    work_s: float
    overhead_s: float
    servers: int
    rate: float                 # X, requests per second
    bound: str                  # "in flight" or "cpu"
    pool_size: float            # N*
    threads: int
    memory_bytes: Optional[float]
    p99_estimate_s: Optional[float] = None   # M/M/c, with a rate, when under capacity
    over_capacity: bool = False
    # The start and join of the threads a closed service cooks on, in its wall clock.
    open_s: float = 0.0

    def as_json(self) -> dict:
        return {"executor": self.executor, "steps": self.steps, "wait_us": self.wait_s * 1e6,
                "work_us": self.work_s * 1e6, "overhead_us": self.overhead_s * 1e6,
                "servers": self.servers, "rate_per_s": self.rate, "bound": self.bound,
                "pool_size": self.pool_size, "threads": self.threads,
                "memory_bytes": self.memory_bytes,
                "p99_mmc_estimate_ms": None if self.p99_estimate_s is None
                else self.p99_estimate_s * 1e3,
                "over_capacity": self.over_capacity, "open_us": self.open_s * 1e6}


def erlang_c(servers: int, offered: float) -> float:
    """The probability that an arrival waits in an M/M/k queue of `servers` servers at `offered`
    erlangs (arrival rate x service time), below 1 per server; by Erlang B's recursion, which
    stays finite for any k."""
    if offered <= 0:
        return 0.0
    b = 1.0
    for k in range(1, servers + 1):
        b = offered * b / (k + offered * b)
    rho = offered / servers
    return b / (1 - rho * (1 - b))


def mmk_p99_wait(servers: int, service_s: float, rate: float) -> Optional[float]:
    """The p99 of the wait for a server in M/M/k: P(wait > t) = C e^(-(k/S - R) t); None when
    the queue is not stable (R S >= k)."""
    if service_s <= 0:
        return 0.0
    if rate * service_s >= servers:
        return None
    pw = erlang_c(servers, rate * service_s)
    if pw <= 1 - P99:
        return 0.0
    return math.log(pw / (1 - P99)) / (servers / service_s - rate)


def _handovers(m: Mechanisms, kinds: Sequence[str]) -> float:
    """Hand-overs of the switch/ kinds named, one per occurrence, in seconds."""
    return sum(m.handover_ns.get(kind, 0.0) for kind in kinds) * 1e-9


def servers(e: cat.Executor, w: Workload, cores: int) -> int:
    """c: 1 for one event-loop thread and for everyone under the GIL, else the usable cores."""
    return 1 if (w.gil or e.paid.cpu_on == "loop") else max(cores, 1)


def naive(e: cat.Executor, w: Workload, steps: float, cores: int) -> float:
    """The baseline the model is judged against: only the requested costs, no mechanism row,
    min(N / (s (I + K)), c / (s K)) requests per second."""
    dish = steps * (w.io_us + w.cpu_us) * 1e-6
    work = steps * w.cpu_us * 1e-6
    in_flight = w.concurrency / dish if dish > 0 else math.inf
    cpu = servers(e, w, cores) / work if work > 0 else math.inf
    return min(in_flight, cpu)


def growth(e: cat.Executor, w: Workload, cores: int) -> float:
    """g: how much a kernel thread's wake-up and start cost at N in flight, against the
    mechanism rows' lone thread (THREAD_COST_SCALE, THREAD_COST_EXPONENT); 1 for executors
    whose waits block no kernel thread."""
    if e.paid.wait != THREAD_WAIT:
        return 1.0
    return THREAD_COST_SCALE * max(w.concurrency / servers(e, w, cores),
                                   1.0) ** THREAD_COST_EXPONENT


def mva(n: int, delay_s: float, demand_s: float, c: int) -> float:
    """Requests per second of a closed network: n requests, each a delay of delay_s (its waits,
    no queue) and a demand of demand_s on c servers (the cores). Mean value analysis, with the
    c servers as one server of demand_s / c and a delay of demand_s (c - 1) / c, so that one
    request alone takes delay_s + demand_s and many are bounded by c / demand_s."""
    if demand_s <= 0:
        return n / delay_s if delay_s > 0 else math.inf
    queued, rest = demand_s / c, demand_s * (c - 1) / c
    backlog, rate = 0.0, 0.0
    for k in range(1, n + 1):
        residence = queued * (1 + backlog)
        rate = k / (residence + rest + delay_s)
        backlog = rate * residence
    return rate


def started_threads(e: cat.Executor, n: int, cores: int) -> int:
    """The threads a closed service starts and joins besides one per order (spawn, per
    request): one per chef, one per core, or none."""
    return {"chefs": n, "cores": max(cores, 1)}.get(e.paid.threads, 0)


def predict(e: cat.Executor, w: Workload, steps: float, m: Mechanisms, cores: int,
            orders: Optional[int] = None) -> Prediction:
    """`orders`: a service's orders (threads_per_order starts a thread each; a closed
    service's rate counts the start of its threads); N when None, and then no start."""
    t = e.paid
    n = w.concurrency
    wait_kind = "asio_timer" if w.net else t.wait
    waits = w.io_us > 0 or w.net
    wait = steps * (w.io_us + m.overshoot(wait_kind, w.io_us)) * 1e-6 if w.io_us > 0 else 0.0
    work = steps * w.cpu_us * 1e-6
    g = growth(e, w, cores)
    spawn = m.spawn_ns.get(t.spawn, 0.0) * 1e-9 * g if t.spawn else 0.0
    overhead = (spawn + g * (_handovers(m, t.per_order)
                             + steps * (_handovers(m, t.per_wait) if waits else 0.0)
                             + steps * _handovers(m, t.per_step)))
    c = servers(e, w, cores)
    dish = wait + work + overhead
    in_flight = n / dish if dish > 0 else math.inf
    cpu = c / (work + overhead) if work + overhead > 0 else math.inf
    rate = mva(n, wait, work + overhead, c)
    opening = 0.0
    if orders and not w.rate:
        opening = started_threads(e, n, cores) * m.spawn_ns.get(THREAD_SPAWN, 0.0) * 1e-9
        rate = orders / (orders / rate + opening) if rate > 0 else rate
    pool = c * (1 + wait / (work + overhead)) if work + overhead > 0 else math.inf
    threads = {"chefs": n, "orders": max(orders or n, n), "cores": max(cores, 1),
               "none": 0}[t.threads] + 1
    per_task = [m.bytes_per_task.get(k) for k in t.memory]
    memory = (n * sum(per_task) if per_task and all(b is not None for b in per_task)
              else None)
    p99, over = None, False
    if w.rate:
        waits_p99 = [mmk_p99_wait(c, work + overhead, w.rate), mmk_p99_wait(n, dish, w.rate)]
        if any(x is None for x in waits_p99):
            over = True
        else:
            p99 = dish + max(waits_p99)
    return Prediction(executor=e.name, steps=steps, wait_s=wait, work_s=work,
                      overhead_s=overhead, servers=c, rate=rate,
                      bound="cpu" if cpu < in_flight else "in flight", pool_size=pool,
                      threads=threads, memory_bytes=memory, p99_estimate_s=p99,
                      over_capacity=over, open_s=opening)


def error_pct(predicted: float, measured: float) -> Optional[float]:
    """(predicted - measured) / measured in %: above 0 when the model promised more."""
    if not measured or not math.isfinite(predicted):
        return None
    return (predicted - measured) / measured * 100

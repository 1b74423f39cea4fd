"""Measure one kitchen row of py_kitchen.py by Google Benchmark's rules and shape the result as
Google Benchmark's JSON does, so that the shared loader takes it beside bench_kitchen's.

The rules, as bench_kitchen applies them: one iteration is one service; the iteration count
grows until a batch lasts --benchmark_min_time (x1.4 per prediction, at most x10 per step) and
only that last batch is reported; wall time is the measure (UseRealTime) and CPU time is the
whole process's (MeasureProcessCPUTime), its pool's worker processes included; every service
checks itself and a wrong one ends the row as an error row, never as a number; repetitions add
mean/median/stddev/cv aggregates.
"""

import math
import statistics
import time
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from .arrivals import SUSPECT_SHARE_OF_DISH, dish_ms
from .model import Service

try:
    import resource  # Unix only: context switches are omitted elsewhere
except ImportError:  # pragma: no cover
    resource = None

_MAX_ITERATIONS = 1_000_000_000


class ServiceError(Exception):
    """A service that went wrong; str() is the error_message of its row."""


class Tally(NamedTuple):
    iterations: int
    wall_ns: float
    cpu_ns: float
    switches: Optional[float]
    p50_ns: float
    p90_ns: float
    p99_ns: float
    p999_ns: float
    lag_p99_ns: float      # open loop: how late the orders were handed over (p99)
    achieved: float        # open loop: served per second over each service, summed
    max_backlog: int
    open_ns: float
    peak: int
    os_threads: int
    cooking_threads: int
    served: int
    failed: int
    net_bytes: int = 0         # net rows: bytes sent and received by the kitchen's connections
    socket_calls: int = 0      # net rows on blocking sockets: send and recv calls
    server_cpu_ns: Optional[float] = None  # net rows: the pantry server's CPU time
    cancelled: int = 0          # fail-fast: orders cancelled, over the batch
    cancel_ns: float = 0.0      # fail-fast: first failure to the last cooking chef's stop
    teardown_ns: float = 0.0    # fail-fast: from then until the service closed
    lost_updates: int = 0       # takes the pantry's stock does not show, over the batch
    services_with_lost_updates: int = 0
    lost_updates_max: int = 0   # the most one service lost
    cooking_processes: int = 0  # worker processes that cooked (py_processes); 0: none
    transfer_bytes: int = 0     # pickled between processes, over the batch


def _net_probe(service: Service) -> Tuple[int, int, Optional[int]]:
    """(bytes, socket calls, server CPU ns) so far of a net row's connections and server."""
    if service.net is None:
        return 0, 0, None
    sent, calls = service.net.traffic()
    return sent, calls, service.net.server.cpu_ns()


def _switches() -> Optional[float]:
    if resource is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_SELF)  # the whole process, every thread
    return float(usage.ru_nvcsw + usage.ru_nivcsw)


def _cpu_ns() -> int:
    """CPU time of this process, plus that of its children ended and waited for: a process
    pool's workers, which its service starts and joins (those of a forkserver are the server's
    children, not this process's, and are not seen)."""
    if resource is None:
        return time.process_time_ns()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time_ns() + round((children.ru_utime + children.ru_stime) * 1e9)


def _batch(serve: Callable, service: Service, iterations: int) -> Tally:
    wall = cpu = p50 = p90 = p99 = p999 = lag = achieved = opened = 0.0
    switches: Optional[float] = 0.0
    peak = threads = cooking = served = failed = backlog = net_bytes = calls = 0
    cancelled = lost = lossy = lost_max = processes = transfer = 0
    cancel = teardown = 0.0
    server_cpu: Optional[float] = 0.0
    for _ in range(iterations):
        n0 = _net_probe(service)
        s0, c0, t0 = _switches(), _cpu_ns(), time.perf_counter_ns()
        try:
            ledger, results = serve(service)
        except Exception as e:  # a refused thread, a broken loop: the row's error, in one line
            raise ServiceError(f"{type(e).__name__}: {e}") from None
        t1, c1, s1 = time.perf_counter_ns(), _cpu_ns(), _switches()
        n1 = _net_probe(service)
        net_bytes += n1[0] - n0[0]
        calls += n1[1] - n0[1]
        server_cpu = (None if server_cpu is None or n0[2] is None or n1[2] is None
                      else server_cpu + (n1[2] - n0[2]))
        # The check and the bookkeeping run outside the measured span.
        problem = ledger.check(results)
        if problem:
            raise ServiceError(problem)
        wall += t1 - t0
        cpu += c1 - c0
        switches = None if s0 is None or switches is None else switches + (s1 - s0)
        p50 += ledger.latency_ns(0.50)
        p90 += ledger.latency_ns(0.90)
        p99 += ledger.latency_ns(0.99)
        p999 += ledger.latency_ns(0.999)
        lag += ledger.arrival_lag_ns(0.99)
        achieved += ledger.served() / ((t1 - t0) / 1e9)
        backlog = max(backlog, ledger.max_backlog())
        opened += ledger.open_ns
        peak = max(peak, ledger.peak)
        threads = max(threads, ledger.os_threads)
        cooking = max(cooking, ledger.cooking_threads)
        processes = max(processes, ledger.cooking_processes)
        if ledger.transfer_bytes is not None:
            transfer += ledger.transfer_bytes()
        served += ledger.served()  # the ledger's counts, which its check has just accepted
        failed += ledger.failed()
        cancelled += ledger.cancelled()
        cancel += ledger.cancel_ns()
        teardown += ledger.teardown_ns()
        # A race is proved by one lost update in any service: the row keeps how many services
        # lost any, and the most one lost, not only a mean (as bench_kitchen's Tally::add).
        lost_here = ledger.lost_updates()
        lost += lost_here
        lossy += 1 if lost_here > 0 else 0
        lost_max = max(lost_max, lost_here)
    return Tally(iterations, wall, cpu, switches, p50, p90, p99, p999, lag, achieved, backlog,
                 opened, peak, threads, cooking, served, failed, net_bytes, calls, server_cpu,
                 cancelled, cancel, teardown, lost, lossy, lost_max, processes, transfer)


def measure(serve: Callable, service: Service, min_time_s: float,
            iterations: Optional[int] = None) -> Tally:
    """The reported batch: `iterations` services if given (later repetitions reuse the first
    one's count, as Google Benchmark does), else the first batch that lasts min_time_s."""
    if iterations is not None:
        return _batch(serve, service, iterations)
    n = 1
    while True:
        tally = _batch(serve, service, n)
        seconds = tally.wall_ns / 1e9
        if seconds >= min_time_s or n >= _MAX_ITERATIONS:
            return tally
        multiplier = min_time_s * 1.4 / max(seconds, 1e-9)
        if seconds / min_time_s <= 0.1:
            multiplier = min(multiplier, 10.0)
        n = min(max(int(multiplier * n + 0.5), n + 1), _MAX_ITERATIONS)


def counters(service: Service, tally: Tally, ideal_ns: float,
             offered: Optional[Tuple[float, float]] = None) -> Dict[str, float]:
    """The counters bench_kitchen reports (bench/service_bench.cpp), those that apply to CPython.
    Per-service figures are means over the batch's iterations. `offered`: (arrival rate, ideal
    capacity) of an open-loop row."""
    n = tally.iterations
    orders = n * service.customers
    found = {
        "chefs": service.chefs,
        "customers": service.customers,
        "io_us": service.costs.io_us,
        "cpu_us": service.costs.cpu_us,
        # Served dishes only, as bench_kitchen counts: a failed order is not a dish.
        "dishes_per_s": tally.served / (tally.wall_ns / 1e9),
        "us_per_dish": tally.wall_ns / orders / 1e3,
        "efficiency": ideal_ns / (tally.wall_ns / n),  # 0 on the overhead profile
        "p50_ms": tally.p50_ns / n / 1e6,
        "p90_ms": tally.p90_ns / n / 1e6,
        "p99_ms": tally.p99_ns / n / 1e6,
        "p999_ms": tally.p999_ns / n / 1e6,
        "open_us": tally.open_ns / n / 1e3,
        "peak_in_preparation": tally.peak,
        "os_threads": tally.os_threads,
        "cooking_threads": tally.cooking_threads,
        "gil_switches_per_s": 0.0,
        "cpu_util": max(0.0, tally.cpu_ns) / tally.wall_ns,
        "served": tally.served / n,
        "failed": tally.failed / n,  # as the plan of --fail-rate says, or the row fails
        "cancelled": tally.cancelled / n,  # fail-fast only; served + failed + cancelled = all
        # Fail-fast: until the last cooking chef noticed the stop, then the teardown (the pool's
        # join, the loop's drain), apart, so that neither hides in the other. As bench_kitchen's,
        # figured whenever an order failed (0 otherwise): they time a stop only with fail-fast.
        "cancel_ms": tally.cancel_ns / n / 1e6,
        "teardown_ms": tally.teardown_ns / n / 1e6,
        # The pantry (--pantry): takes lost per service, over how many services, in how many of
        # them any was lost, and the most one lost. 0 under the lock.
        "lost_updates": tally.lost_updates / n,
        "services": n,
        "services_with_lost_updates": tally.services_with_lost_updates,
        "lost_updates_max": tally.lost_updates_max,
    }
    if tally.cooking_processes:
        # A pool of worker processes: how many cooked, and what crossed between processes per
        # order (the calls and the records sent back, pickled).
        found["cooking_processes"] = tally.cooking_processes
        found["pickled_bytes_per_dish"] = tally.transfer_bytes / orders
    if tally.switches is not None:
        found["ctx_switches_per_dish"] = max(0.0, tally.switches) / orders
    if service.net is not None:
        # Per order, as ctx_switches_per_dish. The server's CPU time is its threads' time on a
        # CPU from /proc/<pid>/task/*/schedstat, in ns, as bench_kitchen reads it.
        found["bytes_per_dish"] = tally.net_bytes / orders
        if tally.socket_calls:
            found["socket_calls_per_dish"] = tally.socket_calls / orders
        if tally.server_cpu_ns is not None:
            found["server_cpu_util"] = max(0.0, tally.server_cpu_ns) / tally.wall_ns
    if offered is not None:
        rate, capacity = offered
        lag_ms = tally.lag_p99_ns / n / 1e6
        found.update({
            "offered_per_s": rate, "ideal_capacity_per_s": capacity, "load": rate / capacity,
            "achieved_per_s": tally.achieved / n, "max_backlog": tally.max_backlog,
            "arrival_lag_ms": lag_ms,
            # A late schedule offered the kitchen less than the row says: the row is suspect.
            "arrival_lag_suspect": 1 if lag_ms > dish_ms(service.costs) * SUSPECT_SHARE_OF_DISH
            else 0})
    return found


def iteration_entry(name: str, family: int, repetitions: int, index: int, tally: Tally,
                    values: Dict[str, float]) -> dict:
    n = tally.iterations
    return dict({"name": name, "family_index": family, "per_family_instance_index": 0,
                 "run_name": name, "run_type": "iteration", "repetitions": repetitions,
                 "repetition_index": index, "threads": 1, "iterations": n,
                 "real_time": tally.wall_ns / n / 1e6, "cpu_time": tally.cpu_ns / n / 1e6,
                 "time_unit": "ms"}, **values)


def error_entry(name: str, family: int, repetitions: int, index: int, message: str) -> dict:
    return {"name": name, "family_index": family, "per_family_instance_index": 0,
            "run_name": name, "run_type": "iteration", "repetitions": repetitions,
            "repetition_index": index, "threads": 1, "error_occurred": True,
            "error_message": message, "iterations": 0, "real_time": 0.0, "cpu_time": 0.0,
            "time_unit": "ms"}


def _stat(kind: str, values: List[float]) -> float:
    mean = statistics.fmean(values)
    if kind == "mean":
        return mean
    if kind == "median":
        return statistics.median(values)
    stddev = statistics.stdev(values)  # the sample deviation, as Google Benchmark computes it
    if kind == "stddev":
        return stddev
    # The cv of values that are all 0 is 0 (no spread); of values that average 0 without all
    # being 0 it has no finite value, and the aggregate leaves that counter out.
    if not mean:
        return 0.0 if not stddev else math.nan
    return stddev / mean


def aggregate_entries(name: str, family: int, runs: List[dict]) -> List[dict]:
    """Google Benchmark's aggregates over the successful repetitions (none below two)."""
    if len(runs) < 2:
        return []
    numeric = ["real_time", "cpu_time"] + [k for k in runs[0] if k not in _NOT_COUNTERS]
    entries = []
    for kind in ("mean", "median", "stddev", "cv"):
        entry = {"name": f"{name}_{kind}", "family_index": family,
                 "per_family_instance_index": 0, "run_name": name, "run_type": "aggregate",
                 "repetitions": runs[0]["repetitions"], "threads": 1,
                 "aggregate_name": kind, "aggregate_unit": "percentage" if kind == "cv" else "time",
                 "iterations": runs[0]["iterations"], "time_unit": "ms"}
        for key in numeric:
            value = _stat(kind, [float(r[key]) for r in runs])
            if math.isfinite(value):
                entry[key] = value
        # As bench_kitchen: an aggregate whose own time is not finite is left out whole.
        if "real_time" in entry and "cpu_time" in entry:
            entries.append(entry)
    return entries


_NOT_COUNTERS = frozenset(("name", "family_index", "per_family_instance_index", "run_name",
                           "run_type", "repetitions", "repetition_index", "threads", "iterations",
                           "real_time", "cpu_time", "time_unit"))


def run_row(name: str, family: int, serve: Callable, service: Service, min_time_s: float,
            repetitions: int, ideal_ns: float,
            offered: Optional[Tuple[float, float]] = None,
            extra: Optional[Dict[str, float]] = None) -> List[dict]:
    """Every JSON entry of one row: its repetitions, then their aggregates; a failed service
    ends the row with an error entry. `extra`: counters the row measured once, outside its
    timed services (a pool's memory), added to each repetition."""
    runs: List[dict] = []
    iterations = None
    for index in range(repetitions):
        try:
            tally = measure(serve, service, min_time_s, iterations)
        except ServiceError as e:
            return runs + [error_entry(name, family, repetitions, index, str(e))]
        iterations = tally.iterations
        runs.append(iteration_entry(name, family, repetitions, index, tally,
                                    dict(counters(service, tally, ideal_ns, offered),
                                         **(extra or {}))))
    return runs + aggregate_entries(name, family, runs)

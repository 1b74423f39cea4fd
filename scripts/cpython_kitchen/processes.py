"""py_processes: the article's remedy for CPU-bound work in CPython, a pool of processes, each
with its own interpreter and GIL: ProcessPoolExecutor(max_workers=chefs).map over the orders.

Each service starts a pool of `chefs` worker processes, then serves the same orders as
py_threads with the same cooking and the same ledger: every worker cooks an order with
blocking_chef.cook_blocking against a ledger of its own, and sends back, with the order's result,
that ledger's entries for it. Their times are read in the worker on time.perf_counter_ns, which
is CLOCK_MONOTONIC on Linux, one clock for every process, so the service's ledger takes them as
they are and checks them as it checks py_threads' (served once, in order, at most `chefs` at
once, failed only where the plan says).

What processes pay and threads do not is measured apart:
  open_us                the pool's start, until each of its `chefs` workers has started
                         (a barrier holds each worker until all have), before the orders
  pickled_bytes_per_dish what crosses between processes per order: the calls and the records
                         that come back, pickled again after the service with the pool's pickler
  cooking_processes      distinct worker processes that cooked an order
  pool_uss_kib, pool_pss_kib  a worker's unique and proportional set after a service (from
                         /proc/<pid>/smaps_rollup), measured in a service of its own, untimed

The pantry is one count in shared memory (multiprocessing.RawValue), taken under a
multiprocessing.Lock, or without it as --pantry says; so lost updates are real races between
processes. A worker that dies mid-service (killed, say) breaks the pool: the service raises
WorkerLost, naming the worker's PID, its chef and its signal, and the row is an error row.

Net rows and --fail-fast are not served here (a worker cannot reach the row's connections or
the other workers' stop), and an open loop submits each order at its time, where --chunksize
has no effect: plan() in main.py refuses or leaves out those rows.
"""

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.reduction import ForkingPickler
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from .blocking_chef import cook_blocking, submit_on_arrival
from .context import set_timer_slack_ns
from .ledger import Ledger
from .model import LOCKED, Service

# The start methods this platform offers; the first is its default (multiprocessing's docs).
START_METHODS: Tuple[str, ...] = tuple(multiprocessing.get_all_start_methods())
DEFAULT_START_METHOD = START_METHODS[0]

# A worker that has not started after this long is a broken start, not a slow one.
START_TIMEOUT_S = 120.0

# The most chefs a pool is given: a process per chef. Rows above it are refused when the
# executor is named, left out otherwise (main.plan).
MAX_WORKERS = 64


class PoolOptions(NamedTuple):
    start_method: str = DEFAULT_START_METHOD
    chunksize: int = 1  # as map has it; 1, as the article would write it


class WorkerLost(Exception):
    """A worker process ended mid-service; str() names it, for the row's error."""


class SharedPantry:
    """model.Pantry's stock in shared memory, so that every worker takes from one count: the same
    begin_take/end_take, under a multiprocessing.Lock when locked."""

    def __init__(self, mode: str, context) -> None:
        self.mode = mode
        self.awaits_inside = mode == "unlocked_await"
        self._value = context.RawValue("q", 0)
        self._lock = context.Lock()

    @property
    def stock(self) -> int:
        return self._value.value

    def begin_take(self) -> int:
        return 0 if self.mode == LOCKED else self._value.value

    def end_take(self, seen: int) -> None:
        if self.mode == LOCKED:
            with self._lock:
                self._value.value -= 1
        else:
            self._value.value = seen - 1


# A worker's kitchen: its copy of the service, its ledger, its chef number; set at its start.
_worker: Dict[str, object] = {}


def _worker_start(orders, costs, chefs, failures, cpu_units, pantry, ready) -> None:
    # A process inherits the timer slack of the thread that forked it (forkserver's server, for
    # one): set here, every worker sleeps with bench_kitchen's 1 ns whoever started it.
    set_timer_slack_ns(1)
    # Ctrl-C is the parent's to handle: it shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    service = Service(orders, costs, chefs, 1.0, failures)
    service.cpu_units = cpu_units  # the parent's calibration, not this process's
    service.pantry = pantry
    ledger = Ledger(service)
    # Times are read as they are on the shared clock; the parent makes them relative.
    ledger.on_the_clock()
    # py_threads' cooking, whole.
    _worker.update(service=service, ledger=ledger, ready=ready, cook=cook_blocking)


def _ready(_: int) -> Tuple[int, int]:
    """(PID, chef number): each worker waits here until all have started; the barrier gives each
    a different number."""
    chef = _worker["ready"].wait(START_TIMEOUT_S)
    _worker["chef"] = chef
    return os.getpid(), chef


def _cook(order: int) -> tuple:
    """One order, cooked as py_threads cooks it; returns its result and its ledger entries."""
    ledger: Ledger = _worker["ledger"]
    result = _worker["cook"](_worker["service"], ledger, order, _worker["chef"])
    return (result, os.getpid(), ledger.thread[order], ledger.live[order],
            ledger.started_ns[order], ledger.ended_ns[order], ledger.outcome[order],
            ledger.steps[order], ledger.chef[order])


def _record(ledger: Ledger, order: int, back: tuple) -> str:
    result, pid, thread, live, started, ended, outcome, steps, chef = back
    ledger.record(order, chef, started, ended, outcome, steps, pid, thread, live)
    return result


def _uss_pss_kib(pid: int) -> Optional[Tuple[float, float]]:
    """(USS, PSS) of a process in KiB from /proc/<pid>/smaps_rollup; None where it cannot be
    read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return None
    try:
        kib = {k.strip(): float(v.split()[0]) for k, v in fields.items() if v.strip().endswith("kB")}
    except (ValueError, IndexError):
        return None
    if "Pss" not in kib:
        return None
    return kib.get("Private_Clean", 0.0) + kib.get("Private_Dirty", 0.0), kib["Pss"]


def _lost(workers: Sequence, chef_of: Dict[int, int], back: int, customers: int) -> str:
    """Which worker ended, and how, once the broken pool has ended them all. The pool terminates
    (SIGTERM) the workers left when one dies, so a worker ended otherwise is the one that died."""
    ended = [(p.pid, p.exitcode) for p in workers]
    died = [(pid, code) for pid, code in ended if code not in (0, -signal.SIGTERM)] or \
        [(pid, code) for pid, code in ended if code != 0]

    def how(code: Optional[int]) -> str:
        if code is None:
            return "with no exit status"
        if code < 0:
            return f"by {signal.Signals(-code).name}" if -code in signal.valid_signals() \
                else f"by signal {-code}"
        return f"with exit status {code}"

    names = "; ".join(f"worker process {pid} (chef {chef_of.get(pid, '?')}) ended {how(code)}"
                      for pid, code in died) or "a worker process ended"
    return f"{names} mid-service; the pool broke with {back} of {customers} orders back"


def _pickled_bytes(service: Service, chunksize: int, records: Sequence[tuple]) -> int:
    """What the pool pickles for a service's orders: per chunk of map, the function and the
    chunk's arguments sent, and the chunk's records sent back, as the pool's pickler writes them
    (its own few bytes of framing per chunk, a work id, are left out)."""
    total = 0
    for first in range(0, service.customers, chunksize):
        chunk = range(first, min(first + chunksize, service.customers))
        total += len(ForkingPickler.dumps((_cook, tuple((o,) for o in chunk))))
        total += len(ForkingPickler.dumps([records[o] for o in chunk]))
    return total


def serve_processes(service: Service):
    return _serve(service, memory=False)


def pool_memory(service: Service) -> Dict[str, float]:
    """A service of its own, untimed, checked like any: then each worker's USS and PSS in KiB,
    their mean over the pool; {} where /proc cannot tell."""
    ledger, results = _serve(service, memory=True)
    problem = ledger.check(results)
    if problem:
        raise WorkerLost(f"the memory service went wrong: {problem}")
    read = [m for m in ledger.memory if m is not None]
    if not read or len(read) != len(ledger.memory):
        return {}
    return {"pool_uss_kib": sum(u for u, _ in read) / len(read),
            "pool_pss_kib": sum(p for _, p in read) / len(read)}


def _serve(service: Service, memory: bool):
    if service.net is not None or service.fail_fast:
        raise ValueError("py_processes' workers cannot use the row's connections or reach a "
                         "fail-fast stop; it serves neither net rows nor --fail-fast")
    options: PoolOptions = service.pool_options or PoolOptions()
    context = multiprocessing.get_context(options.start_method)
    # The row's pantry, shared with the workers: the count the ledger checks.
    if not isinstance(service.pantry, SharedPantry):
        service.pantry = SharedPantry(service.pantry.mode, context)
    ledger = Ledger(service)
    ready = context.Barrier(service.chefs)
    pool = ProcessPoolExecutor(
        max_workers=service.chefs, mp_context=context, initializer=_worker_start,
        initargs=(service.orders, service.costs, service.chefs, service.failures,
                  service.cpu_units, service.pantry, ready))
    records: List[tuple] = []
    workers: List = []
    ledger.memory = []
    chef_of: Dict[int, int] = {}
    try:
        try:
            # One task per worker, each held until all have started: the pool's start, whole.
            chef_of = dict(pool.map(_ready, range(service.chefs)))
            workers = [p for p in multiprocessing.active_children() if p.pid in chef_of]
            ledger.parent_threads = threading.active_count()
            ledger.opened()
            if not service.open_loop:
                for back in pool.map(_cook, range(service.customers),
                                     chunksize=options.chunksize):
                    records.append(back)
            else:
                records = submit_on_arrival(service, ledger, pool, _cook)
            # Before the pool shuts down: the workers as a service has left them.
            if memory:
                ledger.memory = [_uss_pss_kib(pid) for pid in chef_of]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    except BrokenProcessPool:
        raise WorkerLost(_lost(workers, chef_of, len(records), service.customers)) from None
    ledger.close()  # every worker has ended
    results = [_record(ledger, order, back) for order, back in enumerate(records)]
    # An open loop submits each order alone, a chunk of one.
    chunksize = 1 if service.open_loop else options.chunksize
    ledger.transfer_bytes = lambda: _pickled_bytes(service, chunksize, records)
    return ledger, results

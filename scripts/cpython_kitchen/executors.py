"""The CPython executors of py_kitchen.py: the article's two kitchens and its asyncio pitfall.

Each serves one whole service (open the kitchen, serve every order, close it) and returns its
ledger and the results in the order of the orders, like `executor.map` and `asyncio.gather`.
They differ only in how a chef waits for an ingredient and how many dishes cook at once:

  py_threads           ThreadPoolExecutor(max_workers=chefs).map; waits with time.sleep
  py_asyncio           create_task per order, Semaphore(chefs), gather; awaits asyncio.sleep
  py_asyncio_blocking  the article's asyncio as written: an `async def` that never awaits, so
                       its time.sleep and its work block the loop and the orders run one by one

In an open-loop service (Service.arrivals), orders arrive at their times t_k instead of all at
open: py_threads' calling thread is the arrival schedule, sleeping to each order's absolute
due time and submitting it then; the asyncio kitchens schedule each order's create_task with
loop.call_at on their own loop, so a loop kept busy hands orders over late (the ledger records
the hand-over and arrival_lag_ms shows it).

An ingredient out of stock (the failure plan of --fail-rate) raises OutOfStock in the step; each
chef catches it around its own order, records the order as failed and goes on with the next, so
one failure never stops the service (bench_kitchen's executors without --fail-fast).
"""

import asyncio
import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Tuple

from .ledger import Ledger
from .model import Cooking, OutOfStock, Service

Served = Tuple[Ledger, List[str]]


def _cook_blocking(service: Service, ledger: Ledger, order: int, chef: int) -> str:
    cooking = Cooking(service, order, chef)
    ledger.start(order, chef)
    wait = service.wait_s
    # A net row fetches every ingredient from the pantry server on this chef's own connection,
    # a blocking socket: the thread sleeps in recv() until the reply arrives.
    link = service.net.links[chef] if service.net is not None else None
    try:
        while not cooking.done():
            if link is not None:
                link.fetch(cooking.steps_done, service.costs.io_us)
            elif wait:  # a wait of 0 is skipped, as in every C++ executor
                time.sleep(wait)
            cooking.step()
    except OutOfStock:
        return ledger.fail(cooking)
    return ledger.serve(cooking)


async def _cook_awaiting(service: Service, ledger: Ledger, order: int, chef: int) -> str:
    cooking = Cooking(service, order, chef)
    ledger.start(order, chef)
    wait = service.wait_s
    # A net row: the chef's token carries its connection, asyncio streams on this loop.
    link = service.net.links[chef] if service.net is not None else None
    try:
        while not cooking.done():
            if link is not None:
                await link.fetch(cooking.steps_done, service.costs.io_us)
            elif wait:
                # The loop serves other orders meanwhile. On Linux it waits in epoll, whose
                # timeout is whole milliseconds, rounded up: a 500 us wait takes 1 ms. That is
                # CPython's asyncio as users get it, so it is measured, not corrected.
                await asyncio.sleep(wait)
            cooking.step()
    except OutOfStock:
        return ledger.fail(cooking)
    return ledger.serve(cooking)


async def _cook_as_written(service: Service, ledger: Ledger, order: int, chef: int) -> str:
    # `async def` alone does not make the body concurrent: nothing here yields to the loop.
    return _cook_blocking(service, ledger, order, chef)


def serve_threads(service: Service) -> Served:
    ledger = Ledger(service)
    chefs: Dict[int, int] = {}  # thread ident -> chef number, in order of first dish
    lock = threading.Lock()

    def prepare_dish(order: int) -> str:
        me = threading.get_ident()
        chef = chefs.get(me)
        if chef is None:
            with lock:
                chef = chefs.setdefault(me, len(chefs))
        return _cook_blocking(service, ledger, order, chef)

    with ThreadPoolExecutor(max_workers=service.chefs) as pool:
        ledger.staffed()  # the pool starts its threads lazily, on the first orders
        if not service.open_loop:
            results = list(pool.map(prepare_dish, range(service.customers)))
        else:
            results = _submit_on_arrival(service, ledger, pool, prepare_dish)
    return ledger, results


def _submit_on_arrival(service: Service, ledger: Ledger, pool: ThreadPoolExecutor,
                       prepare_dish) -> List[str]:
    """Open loop: this thread is the arrival schedule, submitting each order at its time t_k
    whatever the kitchen is doing."""
    futures = []
    for order in range(service.customers):
        _sleep_until(ledger.due_ns(order))
        ledger.arrived(order)
        futures.append(pool.submit(prepare_dish, order))
    return [f.result() for f in futures]


def _sleep_until(deadline_ns: int) -> None:
    """Sleep to an absolute time on perf_counter_ns's clock (time.sleep may wake early when a
    signal arrives; the deadline, not the duration, decides)."""
    while True:
        left = deadline_ns - time.perf_counter_ns()
        if left <= 0:
            return
        time.sleep(left / 1e9)


def _serve_on_loop(service: Service, cook) -> Served:
    ledger = Ledger(service)

    async def main() -> List[str]:
        semaphore = asyncio.Semaphore(service.chefs)  # created on the running loop (3.9)
        free_chefs = list(range(service.chefs - 1, -1, -1))

        async def chef_task(order: int) -> str:
            async with semaphore:
                # Which chef holds this permit: the chef's token, for the ledger's check, and
                # in a net row the key to that chef's own connection.
                chef = free_chefs.pop()
                try:
                    return await cook(service, ledger, order, chef)
                finally:
                    free_chefs.append(chef)

        ledger.staffed()  # asyncio.run has created the loop
        if not service.open_loop:
            tasks = [asyncio.create_task(chef_task(order)) for order in range(service.customers)]
            return list(await asyncio.gather(*tasks))
        return await _arrive_on_loop(service, ledger, chef_task)

    loop = service.net.loop if service.net is not None else None
    if loop is None:
        results = asyncio.run(main())
    else:
        # A net row's streams belong to the loop that opened them, kept for the whole row.
        results = _run_on(loop, main())
    return ledger, results


def _run_on(loop: asyncio.AbstractEventLoop, main) -> List[str]:
    """Run `main` on a loop that outlives it; if it fails, cancel and finish its other tasks
    first (as asyncio.run does), so that none is left behind on the loop."""
    try:
        return loop.run_until_complete(main)
    except BaseException:
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
        raise


async def _arrive_on_loop(service: Service, ledger: Ledger, chef_task) -> List[str]:
    """Open loop: each order's task is created by a loop.call_at callback at its time t_k."""
    loop = asyncio.get_running_loop()
    # loop.time() and perf_counter_ns() may be different clocks: convert through one reading of
    # each, the loop's second, so that a due time converted is never earlier than meant.
    perf_now = time.perf_counter_ns()
    loop_now = loop.time()
    tasks: List[asyncio.Task] = [None] * service.customers  # type: ignore[list-item]
    everyone_arrived = asyncio.Event()
    handed = 0

    def hand_over(order: int) -> None:
        nonlocal handed
        early_ns = ledger.due_ns(order) - time.perf_counter_ns()
        # The loop may run a timer a clock tick early: an order never arrives before its time.
        if early_ns > 0:
            loop.call_later(early_ns / 1e9, hand_over, order)
            return
        ledger.arrived(order)
        tasks[order] = asyncio.create_task(chef_task(order))
        handed += 1
        if handed == service.customers:
            everyone_arrived.set()

    for order in range(service.customers):
        loop.call_at(loop_now + (ledger.due_ns(order) - perf_now) / 1e9, hand_over, order)
    await everyone_arrived.wait()
    return list(await asyncio.gather(*tasks))


def serve_asyncio(service: Service) -> Served:
    return _serve_on_loop(service, _cook_awaiting)


def serve_asyncio_blocking(service: Service) -> Served:
    return _serve_on_loop(service, _cook_as_written)


# Names are part of the interface: benchmark names, JSON and charts use them.
EXECUTORS: Dict[str, Callable[[Service], Served]] = {
    "py_threads": serve_threads,
    "py_asyncio": serve_asyncio,
    "py_asyncio_blocking": serve_asyncio_blocking,
}

# The catalogue py_kitchen.py writes into its JSON (the `kitchen_catalogue` context key, as
# bench_kitchen does): side, pair, and whether it serves one dish at a time whatever the chefs
# (such executors are left out of built-in sweeps where that would take long). source_lines
# counts the closed batch, the article's kitchen: the open-loop helpers are left out alike.
_ENTRIES = (
    ("py_threads", "threads", "py_asyncio", False, "a thread pool of chefs workers, map",
     "ThreadPoolExecutor(max_workers=chefs).map", (serve_threads, _cook_blocking)),
    ("py_asyncio", "async", "py_threads", False, "a task per order, a semaphore of chefs, gather",
     "create_task + Semaphore(chefs) + gather", (_serve_on_loop, serve_asyncio, _cook_awaiting)),
    ("py_asyncio_blocking", "async", "", True,
     "the article's asyncio: coroutines that never await, so they run one by one",
     "async def without await", (_serve_on_loop, serve_asyncio_blocking, _cook_as_written,
                                 _cook_blocking)),
)

# Executors whose net rows use asyncio streams; the others block on their sockets.
STREAMS = frozenset(("py_asyncio",))

SERIAL = frozenset(name for name, _, _, one, _, _, _ in _ENTRIES if one)


def _lines(functions) -> int:
    return sum(len(inspect.getsourcelines(f)[0]) for f in functions)


def catalogue() -> List[dict]:
    """The executors as bench_kitchen's catalogue lists its own; source_lines counts the lines
    of the functions each one runs (the learning-curve proxy)."""
    return [{"name": name, "language": "CPython", "side": side, "what": what, "python": python,
             "pair": pair, "one_at_a_time": one, "source_lines": _lines(functions)}
            for name, side, pair, one, what, python, functions in _ENTRIES]

"""The CPython executors of py_kitchen.py: a thread pool, a coroutine per order
under a semaphore, the pitfall of coroutines that never await, and (gevent_kitchen.py) a
greenlet per order under a semaphore.

Each serves one whole service (open the kitchen, serve every order, close it) and returns its
ledger and the results in the order of the orders, like `executor.map` and `asyncio.gather`.
They differ only in how a chef waits for an ingredient and how many dishes cook at once:

  py_threads           ThreadPoolExecutor(max_workers=chefs).map; waits with time.sleep
  py_asyncio           create_task per order, Semaphore(chefs), gather; awaits asyncio.sleep
  py_asyncio_blocking  asyncio with an `async def` that never awaits, so
                       its time.sleep and its work block the loop and the orders run one by one
  py_processes         ProcessPoolExecutor(max_workers=chefs).map, cooking as py_threads does
                       in each worker process (processes.py)
  py_gevent            gevent.spawn per order, BoundedSemaphore(chefs), joinall; py_threads'
                       chef code, waiting with gevent.sleep (gevent_kitchen.py)

In an open-loop service (Service.arrivals), orders arrive at their times t_k instead of all at
open: py_threads' calling thread is the arrival schedule, sleeping to each order's absolute
due time and submitting it then; the asyncio kitchens schedule each order's create_task with
loop.call_at on their own loop, so a loop kept busy hands orders over late (the ledger records
the hand-over and arrival_lag_ms shows it).

An ingredient out of stock (the failure plan of --fail-rate) raises OutOfStock in the step; each
chef catches it around its own order, records the order as failed and goes on with the next, so
one failure never stops the service (bench_kitchen's executors without --fail-fast). With
--fail-fast (Service.fail_fast) the first failure stops the kitchen: py_threads' chefs sleep on a
threading.Event that the failure sets, so every sleeping chef wakes and cancels its order; the
asyncio kitchens cancel (task.cancel()) every order's task still waiting for a chef or cooking;
an order not yet started is cancelled unstarted. A net row's chefs finish the fetch in flight
and stop before the next ingredient. The ledger times the stop (cancel_ms) and the teardown
after it (teardown_ms) apart.

The asyncio kitchens run every service of a row on one event loop made for the row (row_loop).
"""

import asyncio
import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Tuple

from .blocking_chef import cook_blocking, submit_on_arrival
from .gevent_kitchen import green_sockets, serve_gevent, start_hub  # noqa: F401
from .ledger import Ledger
from .model import Cooking, OutOfStock, Service
from .processes import _cook, _ready, _serve, serve_processes

Served = Tuple[Ledger, List[str]]


async def _cook_awaiting(service: Service, ledger: Ledger, order: int, chef: int) -> str:
    cooking = Cooking(service, order, chef)
    ledger.start(order, chef)
    wait = service.wait_s
    # A net row: the chef's token carries its connection, asyncio streams on this loop.
    link = service.net.links[chef] if service.net is not None else None
    try:
        while not cooking.done():
            if ledger.stopping:  # fail-fast: stop between ingredients
                return ledger.cancel(cooking)
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
    except asyncio.CancelledError:
        # Fail-fast: task.cancel() by the first failure, in this chef's wait. Any other
        # cancellation (the run interrupted) goes on up.
        if not ledger.stopping:
            raise
        return ledger.cancel(cooking)
    return ledger.serve(cooking)


async def _cook_as_written(service: Service, ledger: Ledger, order: int, chef: int) -> str:
    # `async def` alone does not make the body concurrent: nothing here yields to the loop.
    return cook_blocking(service, ledger, order, chef)


def serve_threads(service: Service) -> Served:
    ledger = Ledger(service)
    chefs: Dict[int, int] = {}  # thread ident -> chef number, in order of first dish
    lock = threading.Lock()
    # Fail-fast: set by the first failure; sleeping chefs wait on it, so it wakes them.
    stop = threading.Event() if service.fail_fast else None

    def prepare_dish(order: int) -> str:
        me = threading.get_ident()
        chef = chefs.get(me)
        if chef is None:
            with lock:
                chef = chefs.setdefault(me, len(chefs))
        return cook_blocking(service, ledger, order, chef, stop)

    with ThreadPoolExecutor(max_workers=service.chefs) as pool:
        ledger.opened()  # the pool starts its threads lazily, on the first orders
        if not service.open_loop:
            results = list(pool.map(prepare_dish, range(service.customers)))
        else:
            results = submit_on_arrival(service, ledger, pool, prepare_dish, stop)
    ledger.close()  # the pool has shut down: every worker joined
    return ledger, results


def _serve_on_loop(service: Service, cook) -> Served:
    ledger = Ledger(service)

    async def main() -> List[str]:
        semaphore = asyncio.Semaphore(service.chefs)  # created on the running loop (3.9)
        free_chefs = list(range(service.chefs - 1, -1, -1))
        # Fail-fast: the orders' tasks that have begun, waiting for a chef or cooking, which
        # the first failure cancels (a task never stepped cannot catch its cancellation: it
        # sees ledger.stopping when it starts instead); what else stopping must do (an open
        # loop hands its remaining orders over at once).
        waiting: Dict[int, asyncio.Task] = {}
        cooking: Dict[int, asyncio.Task] = {}
        on_stop: List[Callable[[], None]] = []
        stopped = False

        def stop_everyone() -> None:
            nonlocal stopped
            stopped = True
            for task in list(waiting.values()):
                task.cancel()
            # A net row's chefs finish the fetch in flight (its connection stays in step) and
            # stop before their next ingredient.
            if service.net is None:
                for task in list(cooking.values()):
                    task.cancel()
            for then in on_stop:
                then()

        async def chef_task(order: int) -> str:
            if ledger.stopping:
                return ledger.cancel_unstarted(order)
            me = asyncio.current_task()
            if service.fail_fast:
                waiting[order] = me
            try:
                await semaphore.acquire()
            except asyncio.CancelledError:
                if not ledger.stopping:
                    raise
                return ledger.cancel_unstarted(order)
            finally:
                waiting.pop(order, None)
            try:
                # Cancelled while it could not yet be told (it had its permit, not yet its
                # step): it starts and stops at once.
                if ledger.stopping:
                    return ledger.cancel_unstarted(order)
                if service.fail_fast:
                    cooking[order] = me
                # Which chef holds this permit: the chef's token, for the ledger's check, and
                # in a net row the key to that chef's own connection.
                chef = free_chefs.pop()
                try:
                    result = await cook(service, ledger, order, chef)
                finally:
                    free_chefs.append(chef)
                    cooking.pop(order, None)
                if ledger.stopping and not stopped:
                    stop_everyone()
                return result
            finally:
                semaphore.release()

        ledger.opened()  # the row's loop runs (or asyncio.run has created one)
        if not service.open_loop:
            tasks = [asyncio.create_task(chef_task(order)) for order in range(service.customers)]
            results = list(await asyncio.gather(*tasks))
        else:
            results = await _arrive_on_loop(service, ledger, chef_task, on_stop)
        ledger.close()  # every order's task has ended
        return results

    # The row's loop (executors.row_loop; a net row's streams live on it), or one of its own.
    loop = service.loop
    if loop is None and service.net is not None:
        loop = service.net.loop  # streams belong to the loop that opened them
    results = asyncio.run(main()) if loop is None else _run_on(loop, main())
    return ledger, results


def row_loop(service: Service) -> asyncio.AbstractEventLoop:
    """The event loop every service of an asyncio row runs on, made before the row's first
    service and closed after its last by close_row_loop: one loop per row, on timer rows as on
    net rows (whose streams must live on one loop). A service's open_us is then what it costs
    to start on a running loop; making the loop is left out, as the row's connections are."""
    if service.net is not None and service.net.loop is not None:
        return service.net.loop
    return asyncio.new_event_loop()


def close_row_loop(service: Service) -> None:
    loop, service.loop = service.loop, None
    if loop is None or (service.net is not None and loop is service.net.loop):
        return  # none, or the connections' own loop, which they close
    try:
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


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


async def _arrive_on_loop(service: Service, ledger: Ledger, chef_task,
                          on_stop: List[Callable[[], None]]) -> List[str]:
    """Open loop: each order's task is created by a loop.call_at callback at its time t_k;
    after a fail-fast failure, every order not yet handed over is, at once (to be cancelled)."""
    loop = asyncio.get_running_loop()
    # loop.time() and perf_counter_ns() may be different clocks: convert through one reading of
    # each, the loop's second, so that a due time converted is never earlier than meant.
    perf_now = time.perf_counter_ns()
    loop_now = loop.time()
    tasks: List[asyncio.Task] = [None] * service.customers  # type: ignore[list-item]
    everyone_arrived = asyncio.Event()
    handed = 0
    timers: Dict[int, asyncio.TimerHandle] = {}

    def hand_over(order: int) -> None:
        nonlocal handed
        timers.pop(order, None)
        if not ledger.stopping:
            early_ns = ledger.due_ns(order) - time.perf_counter_ns()
            # The loop may run a timer a clock tick early: an order never arrives before its
            # time.
            if early_ns > 0:
                timers[order] = loop.call_later(early_ns / 1e9, hand_over, order)
                return
            ledger.arrived(order)
        tasks[order] = asyncio.create_task(chef_task(order))
        handed += 1
        if handed == service.customers:
            everyone_arrived.set()

    def hand_over_the_rest() -> None:
        for order, timer in sorted(timers.items()):
            timer.cancel()
            hand_over(order)

    on_stop.append(hand_over_the_rest)
    for order in range(service.customers):
        timers[order] = loop.call_at(loop_now + (ledger.due_ns(order) - perf_now) / 1e9,
                                     hand_over, order)
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
    "py_processes": serve_processes,
    "py_gevent": serve_gevent,
}

# The catalogue py_kitchen.py writes into its JSON (the `kitchen_catalogue` context key, as
# bench_kitchen does): side, pair, and whether it serves one dish at a time whatever the chefs
# (such executors are left out of built-in sweeps where that would take long). source_lines
# counts the closed-batch kitchen: the open-loop helpers are left out alike.
_ENTRIES = (
    ("py_threads", "threads", "py_asyncio", False, "a thread pool of chefs workers, map",
     "ThreadPoolExecutor(max_workers=chefs).map", (serve_threads, cook_blocking)),
    ("py_asyncio", "async", "py_threads", False, "a task per order, a semaphore of chefs, gather",
     "create_task + Semaphore(chefs) + gather", (_serve_on_loop, serve_asyncio, _cook_awaiting)),
    ("py_asyncio_blocking", "async", "", True,
     "asyncio coroutines that never await, so they run one by one",
     "async def without await", (_serve_on_loop, serve_asyncio_blocking, _cook_as_written,
                                 cook_blocking)),
    ("py_processes", "processes", "py_threads", False,
     "a pool of chefs worker processes, map", "ProcessPoolExecutor(max_workers=chefs).map",
     (serve_processes, _serve, _ready, _cook, cook_blocking)),
    # Set against py_threads, whose chef code it runs, and (ALSO_PAIRS) py_asyncio, on the
    # same one thread, as C++'s `fibers` against threads_per_order and asio_coro.
    ("py_gevent", "fibers", "py_threads", False,
     "a greenlet per order on one thread, a semaphore of chefs; gevent's sleep and sockets, "
     "no monkey-patching", "gevent.spawn per customer + BoundedSemaphore(chefs) + joinall",
     (serve_gevent, cook_blocking)),
)

# Executors whose net rows use asyncio streams; the others block on their sockets.
STREAMS = frozenset(("py_asyncio",))
# Executors that run on an event loop: one per row (row_loop).
LOOP_EXECUTORS = frozenset(("py_asyncio", "py_asyncio_blocking"))
# Executors that cook in worker processes (processes.py): a worker cannot reach the row's
# connections or the other workers' fail-fast stop, so net and fail-fast rows are not theirs.
PROCESS_POOLS = frozenset(("py_processes",))
# Executors on gevent's hub: made before a row (start_hub), it waits for their sleeps and
# sockets; their net rows connect with gevent's sockets (link_sockets).
HUB_EXECUTORS = frozenset(("py_gevent",))
# Executors that need a module beyond the standard library: the module (its Debian package is
# python3-<module>).
MODULES = {"py_gevent": "gevent"}


def link_sockets(executor: str):
    """The socket module of an executor's blocking net connections: gevent's on the hub, None
    (the standard library's) elsewhere."""
    return green_sockets() if executor in HUB_EXECUTORS else None


SERIAL = frozenset(name for name, _, _, one, _, _, _ in _ENTRIES if one)
# A second executor an executor is compared with (the catalogue's also_pair), of a third side.
ALSO_PAIRS = {"py_gevent": "py_asyncio"}


def _lines(functions) -> int:
    return sum(len(inspect.getsourcelines(f)[0]) for f in functions)


def catalogue() -> List[dict]:
    """The executors as bench_kitchen's catalogue lists its own; source_lines counts the lines
    of the functions each one runs (the learning-curve proxy)."""
    return [{"name": name, "language": "CPython", "side": side, "what": what, "python": python,
             "pair": pair, "also_pair": ALSO_PAIRS.get(name, ""), "one_at_a_time": one,
             "source_lines": _lines(functions)}
            for name, side, pair, one, what, python, functions in _ENTRIES]

"""The chef code written for threads, which three CPython executors share: py_threads runs it on
its pool's threads, py_gevent on greenlets (with gevent's sleep and event), py_processes in each
worker process. One order is cooked by blocking calls, one after another; an open loop's
orders are handed over by a caller that sleeps to each one's arrival time.

Its own module, which imports no executor, so that executors.py, gevent_kitchen.py and
processes.py each import it and none of them imports another that imports it back.
"""

import threading
import time
from typing import Callable, List, Optional

from .ledger import Ledger
from .model import Cooking, OutOfStock, Service


def cook_blocking(service: Service, ledger: Ledger, order: int, chef: int,
                   stop: Optional[threading.Event] = None,
                   sleep: Callable[[float], None] = time.sleep) -> str:
    """One order, cooked by thread-style code. `stop` (fail-fast) is an event whose wait(s)
    returns True once set; `sleep` is the wait without one: time.sleep on a thread,
    gevent.sleep on a greenlet, whose `stop` is then gevent's event."""
    # Fail-fast: once an order has failed, an order not yet started is cancelled unstarted.
    if ledger.stopping:
        return ledger.cancel_unstarted(order)
    cooking = Cooking(service, order, chef)
    ledger.start(order, chef)
    wait = service.wait_s
    # A net row fetches every ingredient from the pantry server on this chef's own connection,
    # a blocking socket: the thread sleeps in recv() until the reply arrives.
    link = service.net.links[chef] if service.net is not None else None
    try:
        while not cooking.done():
            if ledger.stopping:  # fail-fast: stop between ingredients
                return ledger.cancel(cooking)
            if link is not None:
                # A fetch in flight is not interrupted: the connection stays in step for the
                # row's next service, and the chef notices the stop when the reply is in.
                link.fetch(cooking.steps_done, service.costs.io_us)
            elif wait:  # a wait of 0 is skipped, as in every C++ executor
                if stop is None:
                    sleep(wait)
                elif stop.wait(wait):
                    # Fail-fast: the sleeping thread is woken by the first failure, as
                    # bench_kitchen's thread crews interrupt theirs.
                    return ledger.cancel(cooking)
            cooking.step()
    except OutOfStock:
        failed = ledger.fail(cooking)
        if stop is not None:
            stop.set()
        return failed
    return ledger.serve(cooking)


def submit_on_arrival(service: Service, ledger: Ledger, pool,
                       prepare_dish, stop: Optional[threading.Event] = None,
                       sleep: Callable[[float], None] = time.sleep) -> List[str]:
    """Open loop: this thread is the arrival schedule, submitting each order at its time t_k
    whatever the kitchen is doing; after a fail-fast failure, at once (to be cancelled).
    `pool`: anything whose submit(fn, order) returns what has result(); `sleep`, `stop`: as
    cook_blocking's."""
    futures = []
    for order in range(service.customers):
        if not ledger.stopping:
            sleep_until(ledger.due_ns(order), stop, sleep)
        if not ledger.stopping:
            ledger.arrived(order)
        futures.append(pool.submit(prepare_dish, order))
    return [f.result() for f in futures]


def sleep_until(deadline_ns: int, stop: Optional[threading.Event] = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
    """Sleep to an absolute time on perf_counter_ns's clock (time.sleep may wake early when a
    signal arrives; the deadline, not the duration, decides); woken early by `stop`."""
    while True:
        left = deadline_ns - time.perf_counter_ns()
        if left <= 0:
            return
        if stop is None:
            sleep(left / 1e9)
        elif stop.wait(left / 1e9):
            return

"""py_gevent: the kitchen on greenlets (gevent's stackful user-space threads), one per order,
on the thread that serves, with at most `chefs` cooking at once.

The chef code is py_threads' own (blocking_chef.cook_blocking): blocking-style, one call after
another. What differs is what its calls wait on: gevent.sleep for a timer row, gevent's socket
for a net row (the same calls as a blocking socket's), a gevent.event.Event for --fail-fast's
stop, and a gevent.lock.BoundedSemaphore of `chefs` for a chef. Each of those switches to
gevent's hub, which runs the other greenlets until the wait is over; so every greenlet cooks
on one OS thread (cooking_threads 1), as C++'s `fibers` on one scheduler thread. The hub's loop
(libev) waits in epoll_wait, whose timeout is whole milliseconds, rounded up: a 200 us sleep
that nothing else wakes waits 1 ms or more, as asyncio's does. That is gevent as users get it:
measured, not corrected.

gevent.monkey is never called: time.sleep, socket.socket and threading stay the standard
library's, so py_threads and py_asyncio in the same process measure what they say. The price:
code in a greenlet that calls those blocking functions (the fibers' pitfall) stalls the hub and
every greenlet of its thread; nothing here does.

An open loop's orders are started at their times t_k by the serving greenlet, which sleeps to
each with gevent.sleep meanwhile, as py_threads' thread does with time.sleep
(blocking_chef.submit_on_arrival). The hub is the serving thread's own, made before the row's
first service (start_hub) and kept for the process, as the asyncio kitchens' row loop is made
before the row.

Without gevent installed (python3-gevent) the executor stays catalogued; py_kitchen.py runs
itself with an interpreter that has it, or says what to install, before any row runs.
"""

from types import SimpleNamespace
from typing import List, Optional, Tuple

try:
    import gevent
    import gevent.event
    import gevent.lock
    import gevent.socket
except ImportError:
    gevent = None

from . import blocking_chef
from .ledger import Ledger
from .model import Service

NOT_INSTALLED = "py_gevent needs gevent: install python3-gevent (apt-get install python3-gevent)"


def green_sockets():
    """gevent's socket module, for a net row's connections (net.BlockingLink)."""
    if gevent is None:
        raise RuntimeError(NOT_INSTALLED)
    return gevent.socket


def start_hub() -> None:
    """Make this thread's hub now, before a row's services: its first making takes
    milliseconds, which the asyncio kitchens' row loop leaves out of their services too."""
    if gevent is None:
        raise RuntimeError(NOT_INSTALLED)
    gevent.get_hub()


class _Greenlets:
    """The pool the orders are submitted to (as blocking_chef.submit_on_arrival submits an open
    loop's): submit() starts the order's greenlet at once; its get(), which waits for it and
    returns what it returned, is the future's result()."""

    def __init__(self) -> None:
        self.started: List = []

    def submit(self, fn, order: int) -> SimpleNamespace:
        greenlet = gevent.spawn(fn, order)
        self.started.append(greenlet)
        return SimpleNamespace(result=greenlet.get)


def serve_gevent(service: Service):
    if gevent is None:
        raise RuntimeError(NOT_INSTALLED)
    ledger = Ledger(service)
    chefs = gevent.lock.BoundedSemaphore(service.chefs)
    free_chefs = list(range(service.chefs - 1, -1, -1))
    # Fail-fast: set by the first failure; a sleeping chef waits on it, so it wakes them.
    stop = gevent.event.Event() if service.fail_fast else None
    # What an order raised (a lost connection, say), by order. Kept, not raised in its greenlet,
    # where gevent would print every one's traceback; the service raises the earliest order's
    # once every order has ended, as py_threads' map does.
    raised: List[Tuple[int, Exception]] = []

    def customer(order: int) -> Optional[str]:
        # A greenlet per order, as a thread per customer: it waits for a chef, then cooks.
        try:
            with chefs:
                chef = free_chefs.pop()
                try:
                    return blocking_chef.cook_blocking(service, ledger, order, chef, stop,
                                                      gevent.sleep)
                finally:
                    free_chefs.append(chef)
        except Exception as e:
            raised.append((order, e))
            return None

    pool = _Greenlets()
    ledger.opened()  # the greenlets spawned below first run when this one waits for a dish
    try:
        if not service.open_loop:
            dishes = [pool.submit(customer, order) for order in range(service.customers)]
            results = [dish.result() for dish in dishes]
        else:
            results = blocking_chef.submit_on_arrival(service, ledger, pool, customer, stop,
                                                     gevent.sleep)
    except BaseException:
        # Interrupted here (Ctrl-C reaches the serving greenlet): the orders' greenlets are
        # ended, so that none is left on the hub for a later service to run.
        gevent.killall(pool.started)
        raise
    ledger.close()  # every order's greenlet has returned
    if raised:
        raise min(raised, key=lambda found: found[0])[1]
    return ledger, results


"""The ledger of one service in py_kitchen.py: when each order started and ended, who cooked it,
and how it ended (served or failed); then the check that makes a wrong service an error row
instead of a number (the rules of src/kitchen/ledger.cpp).

Chefs write only their own order's entries while they cook and share no counter: the peak of
dishes in preparation is computed after the service, from the start and end times, as
Ledger::peak_in_preparation does in C++.
"""

import math
import threading
import time
from typing import List, Optional, Sequence, Tuple

from .arrivals import MAX_SERVICE_NS, quantile
from .model import LOCKED, MENU, NO_FAILURE, Cooking, Service

# How an order ended (kitchen::Outcome).
PENDING, SERVED, FAILED, CANCELLED = 0, 1, 2, 3


def served_text(dish: int) -> str:
    """What a served order returns: "Served <dish>"."""
    return f"Served {MENU[dish][0]}"


def failed_text(dish: int, ingredient: int) -> str:
    """The result of an order whose ingredient was out of stock (Ledger::result in C++)."""
    name, ingredients = MENU[dish]
    return f"Failed {name}: out of {ingredients[ingredient]}"


def cancelled_text(dish: int) -> str:
    """The result of an order that a fail-fast failure cancelled (Ledger::result in C++)."""
    return f"Cancelled {MENU[dish][0]}"


def result_text(dish: int, fail_at: int) -> str:
    """What the order must come back as, given the failure plan."""
    return served_text(dish) if fail_at == NO_FAILURE else failed_text(dish, fail_at)


def _most_at_once(events: List[Tuple[float, int]]) -> int:
    """The highest running total of (time, +1 or -1) events taken in time order; at equal times
    -1 sorts first, so what ends as another begins is not counted twice."""
    events.sort()
    now = most = 0
    for _, change in events:
        now += change
        most = max(most, now)
    return most


class Ledger:
    def __init__(self, service: Service):
        n = service.customers
        self.service = service
        self.started_ns = [-1] * n
        self.ended_ns = [-1] * n
        self.endings = [0] * n
        self.outcome = [PENDING] * n
        self.steps = [0] * n
        self.chef = [-1] * n
        # Per order, the thread that cooked it and the live threads when it started.
        self.thread = [0] * n
        self.live = [0] * n
        # Orders cooked in other processes (processes.py): each one's process, and the parent's
        # live threads once its pool had started; 0 where the kitchen is this process.
        self.process = [0] * n
        self.parent_threads = 0
        # What crossed between processes for the service, in bytes: a callable, figured when
        # asked, after the timed span; None where nothing crossed.
        self.transfer_bytes = None
        # processes.pool_memory: per worker, (USS, PSS) in KiB or None.
        self.memory: list = []
        # Open loop: when each order was handed to the kitchen, since open; -1 until it was.
        self.arrived_ns = [-1] * n
        self.open_ns = 0
        self._peak: Optional[int] = None  # computed once, after the service
        self._stock_at_open = service.pantry.stock
        # Fail-fast: when the first failure happened, since open; -1 while none has.
        self.first_failure_ns = -1
        self.makespan_ns = -1  # set by close(), when the service has closed
        self._opened = time.perf_counter_ns()

    def since_open(self) -> int:
        # perf_counter_ns is CLOCK_MONOTONIC on Linux: one clock for every thread, so the start
        # and end times of different chefs can be ordered against each other.
        return time.perf_counter_ns() - self._opened

    def on_the_clock(self) -> None:
        """Times are kept as perf_counter_ns reads them, not since an opening: a worker
        process's ledger, whose entries the service's ledger (in another process) takes."""
        self._opened = 0

    def opened(self) -> None:
        """The kitchen is open: what opening cost (loop or pool creation) is reported apart. In
        an open loop, arrival times count from now."""
        self.open_ns = self.since_open()

    def due_ns(self, order: int) -> int:
        """Open loop: when the order is due, on time.perf_counter_ns's clock."""
        return self._opened + self.open_ns + self.service.arrivals[order]

    def arrived(self, order: int) -> None:
        """Open loop: the arrival schedule hands the order to the kitchen now."""
        self.arrived_ns[order] = self.since_open()

    def placed_ns(self, order: int) -> int:
        """When the order was placed, since open: at open in a closed batch, at its arrival
        time t_k in an open loop."""
        return self.open_ns + self.service.arrivals[order] if self.service.arrivals else 0

    # start, serve and fail write only the entries of the chef's own order: no lock. A live peak
    # would need a lock shared by every chef, taken twice per dish, which bench_kitchen's chefs
    # do not take: overhead (and, on threads, contention) that only CPython would be charged.
    def start(self, order: int, chef: int) -> None:
        self.started_ns[order] = self.since_open()
        self.chef[order] = chef
        self.thread[order] = threading.get_ident()
        self.live[order] = threading.active_count()

    def record(self, order: int, chef: int, started_at: int, ended_at: int, outcome: int,
               steps: int, process: int, thread: int, live: int) -> None:
        """An order cooked in another process, whose ledger read its times on the same clock
        (on_the_clock): its entries, made relative to this ledger's opening."""
        self.started_ns[order] = started_at - self._opened if started_at >= 0 else -1
        self.ended_ns[order] = ended_at - self._opened if ended_at >= 0 else -1
        self.outcome[order] = outcome
        self.endings[order] += 1 if ended_at >= 0 else 0
        self.steps[order] = steps
        self.chef[order] = chef
        self.process[order] = process
        # Thread idents repeat across processes: a thread is known by its process too.
        self.thread[order] = (process, thread)
        self.live[order] = live

    def _end(self, cooking: Cooking, outcome: int) -> int:
        order = cooking.order
        self.steps[order] = cooking.steps_done
        self.ended_ns[order] = self.since_open()
        self.outcome[order] = outcome
        self.endings[order] += 1
        return self.service.orders[order]

    def serve(self, cooking: Cooking) -> str:
        return served_text(self._end(cooking, SERVED))

    def fail(self, cooking: Cooking) -> str:
        """The order's ingredient number steps_done was out of stock. The first failure's time
        is kept for fail-fast's cancel_ms (a lost race between two chefs failing at once moves
        it by the length of one comparison)."""
        dish = self._end(cooking, FAILED)
        if self.first_failure_ns < 0:
            self.first_failure_ns = self.ended_ns[cooking.order]
        return failed_text(dish, cooking.steps_done)

    def cancel(self, cooking: Cooking) -> str:
        """Fail-fast: the order was cooking when the stop came; it stops after steps_done
        ingredients."""
        return cancelled_text(self._end(cooking, CANCELLED))

    def cancel_unstarted(self, order: int) -> str:
        """Fail-fast: the order never started (it was waiting for a chef, or had not arrived)."""
        self.ended_ns[order] = self.since_open()
        self.outcome[order] = CANCELLED
        self.endings[order] += 1
        return cancelled_text(self.service.orders[order])

    @property
    def stopping(self) -> bool:
        """Fail-fast and a failure has happened: what is not yet done is cancelled."""
        return self.service.fail_fast and self.first_failure_ns >= 0

    def close(self) -> None:
        """The service has closed: its pool joined, or its loop's work done."""
        self.makespan_ns = self.since_open()

    def _last_chef_stopped_ns(self) -> int:
        """The last end of an order that had started: when the last chef stopped cooking."""
        return max((e for s, e in zip(self.started_ns, self.ended_ns) if s >= 0), default=0)

    def cancel_ns(self) -> int:
        """Fail-fast: from the first failure until the last cooking chef stopped; 0 without a
        failure (Ledger::cancel_ns)."""
        if self.first_failure_ns < 0:
            return 0
        return max(0, self._last_chef_stopped_ns() - self.first_failure_ns)

    def teardown_ns(self) -> int:
        """Fail-fast: from when the last cooking chef stopped until the service closed (the
        pool's join, the loop's drain); 0 without a failure (Ledger::teardown_ns)."""
        if self.first_failure_ns < 0 or self.makespan_ns < 0:
            return 0
        return max(0, self.makespan_ns - self._last_chef_stopped_ns())

    def takes(self) -> int:
        """Ingredients taken from the pantry: one per ingredient cooked."""
        return sum(self.steps)

    def lost_updates(self) -> int:
        """Takes that left no trace in the stock: takes less what the stock shows was taken.
        0 with a lock; an unlocked pantry's overlapping takes lose all but one."""
        return self.takes() - (self._stock_at_open - self.service.pantry.stock)

    @property
    def cooking_threads(self) -> int:
        """Distinct OS threads that cooked (every step of an order runs on the thread that
        started it, in each executor), as bench_kitchen's cooking_threads."""
        return len({t for t in self.thread if t})

    @property
    def cooking_processes(self) -> int:
        """Distinct worker processes that cooked an order; 0 where the kitchen is this process."""
        return len({p for p in self.process if p})

    @property
    def os_threads(self) -> int:
        """The peak of the process's live threads (the main thread included) seen when a dish
        started: every thread a service starts is alive while it cooks, so the peak falls on a
        dish's start (bench_kitchen's os_threads). With worker processes: the parent's threads,
        plus each cooking process's peak."""
        if not self.cooking_processes:
            return max(self.live, default=0)
        peaks: dict = {}
        for process, live in zip(self.process, self.live):
            if process:
                peaks[process] = max(peaks.get(process, 0), live)
        return self.parent_threads + sum(peaks.values())

    @property
    def peak(self) -> int:
        """The most dishes in preparation at once, from the start and end times (after the
        service, as in C++): +1 at each start, -1 at each end; at equal times the end comes
        first (a chef who hands a dish over and starts the next one in the same nanosecond cooks
        one dish, not two). An order started and never ended counts until the end."""
        if self._peak is None:
            events = []
            for started, ended in zip(self.started_ns, self.ended_ns):
                if started < 0:
                    continue
                events.append((started, 1))
                events.append((ended if ended >= 0 else math.inf, -1))
            self._peak = _most_at_once(events)
        return self._peak

    @peak.setter
    def peak(self, value: int) -> None:  # for tests that stage a crowded kitchen
        self._peak = value

    def latency_ns(self, q: float) -> int:
        """Nearest-rank percentile of the served orders' latencies: end time less the time the
        order was placed (at open, or its arrival time t_k: no coordinated omission)."""
        return quantile([t - self.placed_ns(i) for i, (t, o) in
                         enumerate(zip(self.ended_ns, self.outcome)) if o == SERVED], q)

    def arrival_lag_ns(self, q: float) -> int:
        """Open loop: how late the orders were handed over (hand-over less t_k) at quantile q;
        0 in a closed batch."""
        if not self.service.open_loop:
            return 0
        return quantile([t - self.placed_ns(i) for i, t in enumerate(self.arrived_ns)
                         if t >= 0], q)

    def max_backlog(self) -> int:
        """Open loop: the most orders arrived (t_k passed) and not yet started, at once."""
        if not self.service.open_loop:
            return 0
        # +1 when an order's time comes, -1 when a chef starts it; at equal times, -1 first.
        events = []
        for i, started in enumerate(self.started_ns):
            events.append((self.placed_ns(i), 1))
            events.append((started if started >= 0 else math.inf, -1))
        return _most_at_once(events)

    def check(self, results: Optional[Sequence[str]]) -> Optional[str]:
        """None when every order ended exactly once, by one of `chefs`, served fully cooked
        unless the failure plan says it failed, failed exactly where the plan says, cancelled
        only by a fail-fast failure; the
        results came back in the order of the orders; the pantry gave one ingredient per
        ingredient cooked; and no more than `chefs` dishes were in preparation at once. Else what
        went wrong, in one line."""
        service = self.service
        for i, dish in enumerate(service.orders):
            fail_at = service.failures[i]
            if self.endings[i] != 1:
                return f"order {i} ended {self.endings[i]} times, expected exactly once"
            # An arrival time the clock cannot count from this opening (a float, an overflow)
            # makes the order's latency meaningless: a wrong service, as in bench_kitchen.
            if service.arrivals:
                t = service.arrivals[i]
                if not isinstance(t, int) or not 0 <= t <= MAX_SERVICE_NS:
                    return (f"order {i} has an arrival time of {t} ns, outside what the clock "
                            "can count from the opening")
            if 0 <= self.started_ns[i] < self.placed_ns(i):
                return (f"order {i} was started {self.placed_ns(i) - self.started_ns[i]} ns "
                        "before it arrived")
            # An order cancelled before it started had no chef.
            unstarted = self.outcome[i] == CANCELLED and self.started_ns[i] < 0
            if not unstarted and not 0 <= self.chef[i] < service.chefs:
                return f"order {i} was cooked by chef {self.chef[i]} of only {service.chefs}"
            if self.outcome[i] == SERVED:
                if fail_at != NO_FAILURE:
                    return f"order {i} was served with an ingredient out of stock"
                # A latency is never negative: an order cannot be served before it was placed.
                if self.ended_ns[i] < self.placed_ns(i):
                    return (f"order {i} was served {self.placed_ns(i) - self.ended_ns[i]} ns "
                            "before it was placed (a negative latency)")
                wanted = len(MENU[dish][1])
                if self.steps[i] != wanted:
                    return (f"order {i} was served after {self.steps[i]} of its {wanted} "
                            "ingredients")
            elif self.outcome[i] == FAILED:
                if fail_at == NO_FAILURE or self.steps[i] != fail_at:
                    return f"order {i} failed where nothing was out of stock"
            elif self.outcome[i] == CANCELLED:
                if not service.fail_fast or self.first_failure_ns < 0:
                    return f"order {i} was cancelled, but no fail-fast failure asked for it"
            else:
                return f"order {i} never ended"
        # Implied by the above; stated.
        if self.served() + self.failed() + self.cancelled() != service.customers:
            return (f"{self.served()} served, {self.failed()} failed and {self.cancelled()} "
                    f"cancelled of {service.customers} customers")
        expected: List[str] = [
            cancelled_text(dish) if outcome == CANCELLED else result_text(dish, fail_at)
            for dish, fail_at, outcome in zip(service.orders, service.failures, self.outcome)]
        if results is None or list(results) != expected:
            return "the results did not come back in the order of the orders"
        taken, cooked = self._stock_at_open - service.pantry.stock, self.takes()
        # Unlocked, takes may be lost (lost_updates counts them); never gained, and never lost
        # under the lock.
        if taken > cooked or (service.pantry.mode == LOCKED and taken != cooked):
            return f"the pantry gave {taken} ingredients for {cooked} cooked"
        if self.peak > service.chefs:
            return (f"{self.peak} dishes were in preparation at once, with only "
                    f"{service.chefs} chefs")
        return None

    def served(self) -> int:
        return self.outcome.count(SERVED)

    def failed(self) -> int:
        return self.outcome.count(FAILED)

    def cancelled(self) -> int:
        return self.outcome.count(CANCELLED)

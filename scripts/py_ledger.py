"""The ledger of one service in py_kitchen.py: when each order started and ended, who cooked it,
and the peak number of dishes in preparation; then the check that makes a wrong service an
error row instead of a number (the rules of src/kitchen/ledger.cpp).
"""

import math
import threading
import time
from typing import List, Optional, Sequence

from py_model import MENU, Cooking, Service


def served_text(dish: int) -> str:
    """The article's result of a dish."""
    return f"Served {MENU[dish][0]}"


class Ledger:
    def __init__(self, service: Service):
        n = service.customers
        self.service = service
        self.started_ns = [-1] * n
        self.ended_ns = [-1] * n
        self.endings = [0] * n
        self.steps = [0] * n
        self.chef = [-1] * n
        self.open_ns = 0
        self.os_threads = 0
        self.peak = 0
        self._in_preparation = 0
        # Chefs on threads start and end dishes concurrently; on an event loop the lock is never
        # contended, and every executor pays the same small price for it.
        self._lock = threading.Lock()
        self._opened = time.perf_counter_ns()

    def since_open(self) -> int:
        return time.perf_counter_ns() - self._opened

    def staffed(self) -> None:
        """The kitchen is open: what opening cost (loop or pool creation) is reported apart."""
        self.open_ns = self.since_open()

    def start(self, order: int, chef: int) -> None:
        with self._lock:
            self._in_preparation += 1
            if self._in_preparation > self.peak:
                self.peak = self._in_preparation
        self.started_ns[order] = self.since_open()
        self.chef[order] = chef

    def serve(self, cooking: Cooking) -> str:
        order = cooking.order
        self.steps[order] = cooking.steps_done
        self.ended_ns[order] = self.since_open()
        with self._lock:
            self.endings[order] += 1
            self._in_preparation -= 1
        return served_text(self.service.orders[order])

    def close(self, os_threads: int) -> None:
        self.os_threads = os_threads

    def latency_ns(self, q: float) -> int:
        """Nearest-rank percentile of the served orders' end times (all are placed at open)."""
        ended = sorted(t for t in self.ended_ns if t >= 0)
        if not ended:
            return 0
        rank = math.ceil(min(max(q, 0.0), 1.0) * len(ended))
        return ended[max(rank, 1) - 1]

    def check(self, results: Optional[Sequence[str]]) -> Optional[str]:
        """None when every order ended exactly once, fully cooked, by one of `chefs`, the results
        came back in the order of the orders, and no more than `chefs` dishes were in
        preparation at once; else what went wrong, in one line."""
        service = self.service
        for i, dish in enumerate(service.orders):
            if self.endings[i] != 1:
                return f"order {i} ended {self.endings[i]} times, expected exactly once"
            if not 0 <= self.chef[i] < service.chefs:
                return f"order {i} was cooked by chef {self.chef[i]} of only {service.chefs}"
            wanted = len(MENU[dish][1])
            if self.steps[i] != wanted:
                return f"order {i} was served after {self.steps[i]} of its {wanted} ingredients"
        expected: List[str] = [served_text(dish) for dish in service.orders]
        if results is None or list(results) != expected:
            return "the results did not come back in the order of the orders"
        if self.peak > service.chefs:
            return (f"{self.peak} dishes were in preparation at once, with only "
                    f"{service.chefs} chefs")
        return None

    def served(self) -> int:
        return sum(1 for e in self.endings if e >= 1)

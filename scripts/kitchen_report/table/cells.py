"""A cell: one comparison the table makes, two medians read as a ratio with its interval and
an outcome against a tie band, kept whole so that verdicts.json and a later run can read it.

A row's word is derived from its cells' outcomes by the row's own rule; `settled` gives the
words that rule can still give over every way its undecided cells may turn out, so that a word
stands only when there is one."""

import itertools
import math
import statistics
from dataclasses import dataclass, field, replace
from typing import Callable, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from ..figures import num_label, times
from ..load import Row
from ..stats import (CONFIDENCE, DISTURBED, LOSE, MIN_LAUNCHES, MIN_REPETITIONS, TIE,
                     UNDECIDED, WIN, median_ratio_interval, outcome, possible, ratio)

# The interval, as verdicts.json and the text under the table name it.
METHOD = ("rank interval of the log ratio (Hodges-Lehmann; no narrower than the placements' "
          "variance allows from 7 a side), at one level for each of the rounds' looks")
# The outcomes that send a cell's rows to be measured again.
OPEN = (UNDECIDED, DISTURBED)

# Beyond this many ways for a row's undecided cells to turn out, the row is undecided outright.
_MAX_WAYS = 4096


@dataclass(frozen=True)
class Cell:
    """One comparison, seen from side a: `ratio` is median_a / median_b when higher is better,
    median_b / median_a when lower is (times, bytes), so that above 1 always favours a."""
    row: str                        # the anchor of the table row that made it
    pair: Tuple[str, str]           # (threads, async) as catalogued; for memory, the kinds
    level: str                      # where in the row: "1,000 chefs", "net, 100 chefs", ...
    counter: str
    a: str                          # the side the ratio is seen from
    b: str
    median_a: float
    median_b: float
    ratio: float
    interval: Optional[Tuple[float, float]]   # None with fewer than 2 repetitions a side
    band: float                     # the tie band is [1/band, band]
    outcome: str                    # win, lose, tie, undecided or disturbed (see compare)
    n_a: int                        # repetitions read on each side
    n_b: int
    rows: Tuple[str, ...]           # the benchmark rows read, a's first
    higher_is_better: bool = True
    possible: Tuple[str, ...] = field(default=(), compare=False)  # what undecided may become
    disturbed_a: int = 0            # repetitions measured while the machine was busy, each side
    disturbed_b: int = 0
    left_out: bool = False          # whether those were left out (n_a, n_b: the quiet ones)
    launches_a: int = 0             # launches of the program the n_a and n_b repetitions
    launches_b: int = 0             # came from (distinct Row.measured_by)

    def text(self) -> str:
        """'1.42x (95% CI 1.31–1.55, n=7/7): win', with the disturbed repetitions when any,
        and the launches when a side has too few."""
        busy = (f", disturbed {self.disturbed_a}/{self.disturbed_b}"
                + (" left out" if self.left_out else "")
                if self.disturbed_a or self.disturbed_b else "")
        if few_launches(self.launches_a, self.launches_b):
            busy += (f", {self.launches_a}/{self.launches_b} launches, fewer than "
                     f"{MIN_LAUNCHES} a side")
        if self.interval is None:
            spread = f"no interval, n={self.n_a}/{self.n_b}{busy}"
        else:
            spread = (f"{CONFIDENCE * 100:.0f}% CI {bound(self.interval[0])}–"
                      f"{bound(self.interval[1])}, n={self.n_a}/{self.n_b}{busy}")
        return f"{factor(self.ratio)} ({spread}): {self.outcome}"


def few_launches(launches_a: int, launches_b: int) -> bool:
    """Whether a side's repetitions come from fewer than MIN_LAUNCHES launches, which leaves
    a cell undecided whatever its interval."""
    return min(launches_a, launches_b) < MIN_LAUNCHES


def factor(x: float) -> str:
    """A ratio as a factor, '1.42x', with an infinite one (a side that took no time) as '∞'."""
    return "∞" if math.isinf(x) else times(x)


def bound(x: float) -> str:
    """An end of an interval: the factor without its 'x'."""
    return "∞" if math.isinf(x) else times(x)[:-1]


def chefs_label(n: float) -> str:
    """'1 chef', '1,000 chefs'."""
    return f"{num_label(n)} chef" + ("" if n == 1 else "s")


def values(row: Row, counter: str) -> Tuple[float, ...]:
    """Every repetition of a counter, or its median alone when the repetitions are not kept."""
    return tuple(row.samples.get(counter) or (row.value(counter),))


def _flags(row: Row, count: int) -> Tuple[bool, ...]:
    """Which of a row's `count` repetitions were measured while the machine was busy
    (Row.disturbed), none when the row does not say for each."""
    flags = tuple(row.disturbed)
    return flags if len(flags) == count else (False,) * count


def _launches(row: Row, count: int) -> Tuple[str, ...]:
    """The launch (pass monitor record, Row.measured_by) each of a row's `count` repetitions
    came from; one unknown launch for all when the row does not say for each."""
    by = tuple(row.measured_by)
    return by if len(by) == count else ("",) * count


def compare(first: Row, second: Row, counter: str, band: float, *, pair: Tuple[str, str],
            level: str, higher_is_better: bool = True, row: str = "",
            first_values: Optional[Sequence[float]] = None,
            second_values: Optional[Sequence[float]] = None) -> Cell:
    """first against second on one counter (or on values derived from it per repetition,
    given as first_values / second_values): the ratio of medians seen from first, its
    interval (stats.median_ratio_interval) and its outcome against the band.

    Repetitions measured while other processes or steal took more of the machine than the
    run's threshold (Row.disturbed) are never pooled with quiet ones: with MIN_REPETITIONS
    quiet ones a side the cell reads those alone; else it reads them all, and an interval that
    would decide it gives the outcome `disturbed` instead (the rounds measure it again), one
    that would not leaves it undecided.

    A side whose repetitions read come from fewer than MIN_LAUNCHES launches of the program
    (Row.measured_by: each launch has its own pass monitor record) leaves the cell undecided,
    whatever its interval, and its text says so: one launch's repetitions do not see the
    spread between launches, so the rounds measure it again in a launch of their own."""
    a = tuple(first_values) if first_values is not None else values(first, counter)
    b = tuple(second_values) if second_values is not None else values(second, counter)
    busy_a, busy_b = _flags(first, len(a)), _flags(second, len(b))
    from_a, from_b = _launches(first, len(a)), _launches(second, len(b))
    quiet_a = tuple(v for v, busy in zip(a, busy_a) if not busy)
    quiet_b = tuple(v for v, busy in zip(b, busy_b) if not busy)
    left_out = (any(busy_a) or any(busy_b)) and min(len(quiet_a), len(quiet_b)) >= MIN_REPETITIONS
    if left_out:
        a, b = quiet_a, quiet_b
        from_a = tuple(m for m, busy in zip(from_a, busy_a) if not busy)
        from_b = tuple(m for m, busy in zip(from_b, busy_b) if not busy)
    if first_values is None and not left_out:
        med_a = first.value(counter)
    else:
        med_a = statistics.median(a)
    if second_values is None and not left_out:
        med_b = second.value(counter)
    else:
        med_b = statistics.median(b)
    num, den = (a, b) if higher_is_better else (b, a)
    point = ratio(med_a, med_b) if higher_is_better else ratio(med_b, med_a)
    interval = median_ratio_interval(num, den)
    decided = outcome(interval, band)
    allowed = possible(interval, band)
    launches_a, launches_b = len(set(from_a)), len(set(from_b))
    if few_launches(launches_a, launches_b):
        decided, allowed = UNDECIDED, (WIN, TIE, LOSE)
    if decided != UNDECIDED and not left_out and (any(busy_a) or any(busy_b)):
        decided, allowed = DISTURBED, (WIN, TIE, LOSE)
    return Cell(row=row, pair=tuple(pair), level=level, counter=counter, a=first.kind,
                b=second.kind, median_a=med_a, median_b=med_b, ratio=point, interval=interval,
                band=band, outcome=decided, n_a=len(a), n_b=len(b),
                rows=(first.name, second.name), higher_is_better=higher_is_better,
                possible=allowed, disturbed_a=sum(busy_a), disturbed_b=sum(busy_b),
                left_out=left_out, launches_a=launches_a, launches_b=launches_b)


def settled(cells: Sequence[Cell], rule: Callable[[Sequence[str]], str]) -> FrozenSet[str]:
    """The words `rule` gives on the cells' outcomes over every way the undecided cells can
    still turn out (each to any outcome its interval allows): one word when the cells decide
    it. Empty when there are too many ways to try: the word is then not known."""
    choices = [_ways(c) for c in cells]
    if math.prod(len(c) for c in choices) > _MAX_WAYS:
        return frozenset()
    return frozenset(rule(way) for way in itertools.product(*choices))


def _ways(c: Cell) -> Tuple[str, ...]:
    if c.outcome not in OPEN:
        return (c.outcome,)
    return c.possible or (WIN, TIE, LOSE)


def stamped(row: str, cells: Iterable[Cell]) -> List[Cell]:
    """The cells with the anchor of the row that reads them."""
    return [replace(c, row=row) for c in cells]


"""The little statistics the report needs, with the standard library only: medians, spreads,
coefficients of variation, the Mann-Whitney U test (exact for small samples without ties, else
the normal approximation with tie and continuity corrections), the interval and outcome of a
ratio of two medians, which every cell of the table reports, with the error each of the
rounds' looks may spend (look_error), the interval of one median (the open loop's pooled p99),
and the distribution-free interval of a median from order statistics (the harness shares'
paired ratios)."""

import bisect
import itertools
import math
import random
import statistics
from functools import lru_cache
from typing import NamedTuple, Optional, Sequence, Tuple

# Up to this many values per sample, and no ties, the U distribution is enumerated exactly.
EXACT_LIMIT = 20


def cv(values: Sequence[float]) -> Optional[float]:
    """Sample standard deviation over mean, as Google Benchmark's cv aggregate; None below two
    values or for a zero mean."""
    if len(values) < 2:
        return None
    mean = statistics.fmean(values)
    return statistics.stdev(values) / abs(mean) if mean else None


def overlap(a: Tuple[float, float], b: Tuple[float, float]) -> bool:
    """Whether two (min, max) spreads share any value."""
    return a[0] <= b[1] and b[0] <= a[1]


class UTest(NamedTuple):
    u: float          # U of the first sample
    p: float          # two-sided p-value
    method: str       # "exact" or "normal"


@lru_cache(maxsize=None)
def _u_counts(n1: int, n2: int) -> Tuple[int, ...]:
    """How many of the C(n1+n2, n1) orderings give each U = 0 .. n1*n2 (no ties)."""
    # counts(m, n)[u]: arrangements of m values of the first sample among n of the second.
    table = {(0, n): (1,) for n in range(n2 + 1)}
    for m in range(1, n1 + 1):
        table[(m, 0)] = (1,)
        for n in range(1, n2 + 1):
            # The largest value belongs to the first sample (it beats all n) or to the second.
            first, second = table[(m - 1, n)], table[(m, n - 1)]
            size = m * n + 1
            row = [0] * size
            for u, c in enumerate(first):
                row[u + n] += c
            for u, c in enumerate(second):
                row[u] += c
            table[(m, n)] = tuple(row)
    return table[(n1, n2)]


def mann_whitney(a: Sequence[float], b: Sequence[float]) -> Optional[UTest]:
    """Two-sided Mann-Whitney U test of a against b; None when either has fewer than 2 values."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return None
    ranked = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks = [0.0] * len(ranked)
    ties = []
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        if j > i:
            ties.append(j - i + 1)
        i = j + 1
    r1 = sum(r for r, (_, group) in zip(ranks, ranked) if group == 0)
    u1 = r1 - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    if not ties and n1 <= EXACT_LIMIT and n2 <= EXACT_LIMIT:
        counts = _u_counts(n1, n2)
        total = sum(counts)
        low = min(u1, n1 * n2 - u1)
        tail = sum(counts[: int(low) + 1]) / total
        return UTest(u1, min(1.0, 2 * tail), "exact")
    n = n1 + n2
    tie_term = sum(t ** 3 - t for t in ties) / (n * (n - 1))
    variance = n1 * n2 / 12 * ((n + 1) - tie_term)
    if variance <= 0:
        return UTest(u1, 1.0, "normal")
    z = (abs(u1 - mean) - 0.5) / math.sqrt(variance)
    p = math.erfc(max(z, 0.0) / math.sqrt(2))
    return UTest(u1, min(1.0, p), "normal")


# The interval every cell of the table gives, and the error the rounds may spend on a cell.
CONFIDENCE = 0.95
# Below this many repetitions on either side a cell has no interval and is undecided: the rounds
# measure it again.
MIN_REPETITIONS = 5
# Below this many launches of the program on either side (distinct pass monitor records among
# the repetitions a cell reads, Row.measured_by) a cell is undecided too, interval or not: the
# rounds measure it again, each round a launch of its own. One launch's repetitions never see
# the spread between launches, which is the larger: in two consecutive full runs py_threads io
# at 100 chefs x 1,000 customers served 4,970-5,133 dishes/s in every repetition of one
# launch and 6,644-7,051 in the other's, fibers_blocking overhead at 2 chefs pantry:unlocked
# 288k-302k against 106k-126k, and 10 cells decided in both runs had intervals that did not
# overlap. bench.sh runs every pass in this many launches (scripts/lib/bench_run.py).
MIN_LAUNCHES = 2
# The looks a cell may get: the rounds (scripts/lib/rounds.py) add ROUND repetitions to a row
# each time they measure it again, up to PLANNED_MAX_REPETITIONS (their default cap).
PLANNED_MAX_REPETITIONS = 15
ROUND = 2
# What one look's interval may miss (look_error): at most 11 looks at this level miss, any of
# them, with 3.7% when their statistics are jointly normal (calibration.looks_family_error).
LOOK_ERROR = 0.01
# That chance, as calibration.looks_family_error works it out (test_stats checks the figure).
FAMILY_ERROR = 0.037
# From this many repetitions a side, a cell's interval also guards against unequal spreads
# (median_ratio_interval); below, a variance estimated from so few placements would leave no
# interval at all.
PLACEMENT_REPETITIONS = 7
# The bootstrap interval of one median (median_interval, the open loop's pooled p99).
RESAMPLES = 4000
SEED = 1


def ratio(num: float, den: float) -> float:
    """num / den, with a zero denominator read as infinitely better (or 1 when both are 0), so
    that a side that took no time at all is not a division error."""
    if den > 0:
        return num / den
    return math.inf if num > 0 else 1.0


def planned_looks() -> Tuple[int, ...]:
    """The repetitions of both sides together (n_num + n_den) at which the rounds may look at a
    cell: from MIN_REPETITIONS a side to PLANNED_MAX_REPETITIONS, ROUND at a time."""
    return tuple(range(2 * MIN_REPETITIONS, 2 * PLANNED_MAX_REPETITIONS + 1, ROUND))


def look_error(n_num: int, n_den: int) -> Optional[float]:
    """The error one look at a cell with n_num and n_den repetitions may make (its interval
    misses the true ratio with at most this probability): LOOK_ERROR from MIN_REPETITIONS a
    side, None below, where no look is made.

    A cell is looked at each time its repetitions change, and the rounds stop at its first
    decision, so what must hold 1 - CONFIDENCE is all its looks together. The rounds add
    ROUND repetitions to a row at a time, up to PLANNED_MAX_REPETITIONS a side, so a cell gets
    at most 11 looks (planned_looks: n_num + n_den from 10 to 30). One level for every look,
    lower than a single look's, is Pocock's group-sequential design; LOOK_ERROR's family error
    is worked out by calibration.looks_family_error (the looks' statistics jointly normal,
    correlated as their shared repetitions make them) and, rounds and all, by
    calibrate_verdicts.py."""
    if min(n_num, n_den) < MIN_REPETITIONS:
        return None
    return LOOK_ERROR


@lru_cache(maxsize=None)
def _u_cumulative(n1: int, n2: int) -> Tuple[float, ...]:
    """P(U <= u) for u = 0 .. n1*n2, U the Mann-Whitney count of two samples of n1 and n2 drawn
    from one continuous distribution."""
    counts = _u_counts(n1, n2)
    total = sum(counts)
    found, running = [], 0
    for c in counts:
        running += c
        found.append(running / total)
    return tuple(found)


@lru_cache(maxsize=None)
def shift_rank(n1: int, n2: int, error: float) -> int:
    """The largest k such that P(U <= k - 1) <= error / 2 under the null (0 when even the most
    extreme pair is more likely): the [k-th smallest, k-th largest] of the n1 x n2 differences
    then covers a shift with probability at least 1 - error."""
    cumulative = _u_cumulative(n1, n2)
    k = 0
    while k < len(cumulative) // 2 and cumulative[k] <= error / 2:
        k += 1
    return k


def _squares(values: Sequence[float]) -> float:
    """The sum of squared deviations from the mean."""
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values)


def _placement_rank(x: Sequence[float], y: Sequence[float], shift: float,
                    error: float) -> int:
    """The rank k that the Mann-Whitney count's variance, estimated from the samples'
    placements (DeLong's estimate: each value's count of the other sample below it, after
    `shift`), gives the interval at this error under the normal approximation. It does not
    assume that the two samples have one shape, so it is wider than the exact rank when
    their spreads differ."""
    n1, n2 = len(x), len(y)
    ys, xs = sorted(y), sorted(v - shift for v in x)
    p = [(bisect.bisect_left(ys, v) + bisect.bisect_right(ys, v)) / 2 for v in xs]
    q = [(bisect.bisect_left(xs, v) + bisect.bisect_right(xs, v)) / 2 for v in ys]
    variance = (n1 / (n1 - 1) * _squares(p) + n2 / (n2 - 1) * _squares(q))
    z = statistics.NormalDist().inv_cdf(1 - error / 2)
    return math.floor(n1 * n2 / 2 - z * math.sqrt(variance) + 0.5)


def median_ratio_interval(num: Sequence[float], den: Sequence[float],
                          error: Optional[float] = None) -> Optional[Tuple[float, float]]:
    """An interval for median(num's population) / median(den's), from the ranks of the
    differences of logarithms (the interval that inverts the Mann-Whitney test, Hodges and
    Lehmann's): with x = log(num) and y = log(den), the k-th smallest to the k-th largest of
    the len(num) x len(den) differences x_i - y_j, exponentiated. `error` is the share the
    interval may miss; by default what one of the rounds' looks may miss (look_error).

    The exact rank (shift_rank) makes the interval cover the ratio with probability at least
    1 - error, for any sample sizes, when each side's logarithms are one distribution shifted
    (the same shape, so the same cv, any shape): the shift is then the log of the ratio of
    medians. From PLACEMENT_REPETITIONS a side k is the smaller of that and _placement_rank,
    which estimates the count's variance from the data, so that two sides whose spreads
    differ, where the exact rank covers less than it says, get a wider interval too;
    calibrate_verdicts.py shows both. The interval is centred on the median of the
    differences, not on the ratio of the sample medians a cell reports, so with few
    repetitions that ratio can sit near an end of it.

    None (no interval, the cell undecided) below MIN_REPETITIONS a side, when error is too
    small for these sample sizes (5 a side allows 0.0079 at least), or when a value is not a
    positive finite number (a ratio of values that may be zero has no logarithm). The same
    repetitions in any order give the same interval."""
    if error is None:
        error = look_error(len(num), len(den))
        if error is None:
            return None
    if len(num) < 2 or len(den) < 2:
        return None
    if not all(v > 0 and math.isfinite(v) for v in itertools.chain(num, den)):
        return None
    x = [math.log(v) for v in num]
    y = [math.log(v) for v in den]
    differences = sorted([a - b for a in x for b in y])
    k = shift_rank(len(x), len(y), error)
    if min(len(x), len(y)) >= PLACEMENT_REPETITIONS:
        k = min(k, _placement_rank(x, y, statistics.median(differences), error))
    if k < 1:
        return None
    return math.exp(differences[k - 1]), math.exp(differences[-k])


@lru_cache(maxsize=4096)
def _bootstrap_one(values: Tuple[float, ...], resamples: int, seed: int,
                   confidence: float) -> Tuple[float, float]:
    rng = random.Random(seed)
    n = len(values)
    medians = sorted(statistics.median(rng.choices(values, k=n)) for _ in range(resamples))
    cut = int((1 - confidence) / 2 * resamples)
    return medians[cut], medians[resamples - 1 - cut]


def median_interval(values: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED,
                    confidence: float = CONFIDENCE) -> Optional[Tuple[float, float]]:
    """A `confidence` interval for median(values), by the same percentile bootstrap as
    median_ratio_interval (resamples of len(values) draws with replacement from the sorted
    values, random.Random(seed), nearest-rank quantiles). None below 2 values. With 3 or 5
    values a 95% interval is the whole range, min to max: so few repetitions say no more."""
    if len(values) < 2:
        return None
    return _bootstrap_one(tuple(sorted(values)), resamples, seed, confidence)


def median_order_interval(values: Sequence[float],
                          confidence: float = CONFIDENCE) -> Optional[Tuple[float, float]]:
    """A distribution-free interval for the median of the population `values` came from: the
    k-th smallest to the k-th largest value, with k the largest rank such that a Binomial(n, 1/2)
    count falls below k with probability at most (1 - confidence) / 2. Its coverage is at least
    `confidence` for independent repetitions of any continuous distribution (at 20 values: the
    6th to the 15th, 95.9%), where a percentile bootstrap of the median can cover less than it
    says. None when no such interval exists: below 6 values at 95%, since even min to max covers
    only 1 - 2 / 2^n (93.8% at 5)."""
    n = len(values)
    tail = (1 - confidence) / 2
    below = 0.0   # P(count <= k - 1), growing with k
    k = 0
    while k < n // 2 and below + math.comb(n, k) / 2 ** n <= tail:
        below += math.comb(n, k) / 2 ** n
        k += 1
    if k == 0:
        return None
    ordered = sorted(values)
    return ordered[k - 1], ordered[n - k]


WIN, LOSE, TIE, UNDECIDED = "win", "lose", "tie", "undecided"
# A cell whose interval decides it only with repetitions measured while the machine was busy
# (table/cells.py): not a win, tie or lose.
DISTURBED = "disturbed"


def outcome(interval: Optional[Tuple[float, float]], band: float) -> str:
    """A ratio's outcome against the tie band [1/band, band] (band >= 1): win when the whole
    interval is above it, lose when wholly below, tie when wholly inside (its edges included),
    undecided when the interval reaches across an edge of the band, or is missing."""
    return _only(possible(interval, band))


def possible(interval: Optional[Tuple[float, float]], band: float) -> Tuple[str, ...]:
    """The outcomes an interval still allows: those of the three regions (below 1/band, the
    band, above band) it touches. One outcome when it is decided."""
    if interval is None:
        return (WIN, TIE, LOSE)
    lo, hi = interval
    found = []
    if hi > band:
        found.append(WIN)
    if lo <= band and hi >= 1 / band:
        found.append(TIE)
    if lo < 1 / band:
        found.append(LOSE)
    return tuple(found)


def _only(outcomes: Tuple[str, ...]) -> str:
    return outcomes[0] if len(outcomes) == 1 else UNDECIDED

"""The little statistics the report needs, with the standard library only: medians, spreads,
coefficients of variation, the Mann-Whitney U test (exact for small samples without ties, else
the normal approximation with tie and continuity corrections), the interval and outcome of a
ratio of two medians, which every cell of the table reports, the interval of one median (the
open loop's pooled p99), and the distribution-free interval of a median from order statistics
(the harness shares' paired ratios)."""

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


# The interval every cell of the table gives: a percentile bootstrap of the ratio of medians.
CONFIDENCE = 0.95
RESAMPLES = 4000
SEED = 1


def ratio(num: float, den: float) -> float:
    """num / den, with a zero denominator read as infinitely better (or 1 when both are 0), so
    that a side that took no time at all is not a division error."""
    if den > 0:
        return num / den
    return math.inf if num > 0 else 1.0


@lru_cache(maxsize=4096)
def _bootstrap(num: Tuple[float, ...], den: Tuple[float, ...], resamples: int, seed: int,
               confidence: float) -> Tuple[float, float]:
    rng = random.Random(seed)
    n1, n2 = len(num), len(den)
    ratios = sorted(ratio(statistics.median(rng.choices(num, k=n1)),
                          statistics.median(rng.choices(den, k=n2)))
                    for _ in range(resamples))
    cut = int((1 - confidence) / 2 * resamples)
    return ratios[cut], ratios[resamples - 1 - cut]


def median_ratio_interval(num: Sequence[float], den: Sequence[float],
                          resamples: int = RESAMPLES, seed: int = SEED,
                          confidence: float = CONFIDENCE) -> Optional[Tuple[float, float]]:
    """A `confidence` interval for median(num) / median(den), by the percentile bootstrap.

    Each resample draws len(num) values from num and, independently, len(den) from den, with
    replacement (the two sides are separate runs, so nothing pairs their repetitions), and
    takes the ratio of the two medians; the interval runs from the (1 - confidence) / 2
    quantile of the `resamples` ratios to the matching upper one (nearest rank: with 4,000
    resamples at 95%, the 101st smallest and the 101st largest). The draws come from
    random.Random(seed) over the sorted values, so the same repetitions give the same interval
    in any order, on any run and machine. None when a side has fewer than 2 values: one
    repetition says nothing of its own spread.

    With few repetitions the interval is wide by design: with 3 a side a median resample is
    the smallest value about one time in four, so the 95% interval is the whole range from
    min(num) / max(den) to max(num) / min(den)."""
    if len(num) < 2 or len(den) < 2:
        return None
    return _bootstrap(tuple(sorted(num)), tuple(sorted(den)), resamples, seed, confidence)


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

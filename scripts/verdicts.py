"""Verdict vocabulary and the arithmetic every table row shares (standard library only).

A verdict is one of the words below, a reason, and for "depends" what it depends on. Rows that
judge several scopes (C++ and CPython, the async and threads halves of a claim) combine them.
"""

from dataclasses import dataclass, field
from typing import List, Sequence, Tuple

HOLDS, FAILS, DEPENDS = "holds", "does not hold", "depends"
UNMEASURED, UNMEASURABLE = "not measured", "not measurable"
NOT_IN_RUN = "not measured in this run"


@dataclass(frozen=True)
class Thresholds:
    single_threaded_max: float
    cpu_speedup_parallel: float
    io_throughput_ratio: float
    memory_ratio: float
    race_lost_updates: float
    sync_ops_ratio: float
    cancel_ratio: float


@dataclass(frozen=True)
class Verdict:
    word: str
    why: str = ""
    on: str = ""          # what a "depends" verdict depends on


@dataclass
class TableRow:
    feature: str
    claim_async: str
    claim_threads: str
    verdict: Verdict
    async_figures: List[str] = field(default_factory=list)
    threads_figures: List[str] = field(default_factory=list)


def combine(parts: Sequence[Tuple[str, Verdict]], on: str) -> Verdict:
    """One verdict from several scopes: the common word if they agree, else "depends on `on`"."""
    measured = [(label, v) for label, v in parts if v.word != UNMEASURED]
    if not measured:
        return Verdict(UNMEASURED, "; ".join(v.why for _, v in parts if v.why) or NOT_IN_RUN)
    if len(measured) == 1:
        return measured[0][1]
    words = {v.word for _, v in measured}
    detail = "; ".join(f"{label} {v.word}" + (f" (on {v.on})" if v.on else "") + f": {v.why}"
                       for label, v in measured)
    if len(words) == 1 and DEPENDS not in words:
        return Verdict(words.pop(), detail)
    if len(words) == 1 and not on:  # every part depends: on everything they depend on
        on = " and ".join(dict.fromkeys(v.on for _, v in measured if v.on))
    return Verdict(DEPENDS, detail, on)


def outcome(ratio: float, threshold: float) -> str:
    """'win' when `ratio` (the claimed winner's figure over the other's, higher is better)
    reaches `threshold`, 'lose' when its inverse does, else 'tie'."""
    if ratio >= threshold:
        return "win"
    return "lose" if ratio <= 1 / threshold else "tie"


def compare(ratio: float, threshold: float, win: str, lose: str, tie: str) -> Verdict:
    """HOLDS on a win, FAILS on a loss or a tie (the claimed advantage did not show)."""
    o = outcome(ratio, threshold)
    return Verdict(HOLDS if o == "win" else FAILS, {"win": win, "lose": lose, "tie": tie}[o])

"""Complexity. The claim: async is "simpler (fewer race conditions)", threads "more complex
(needs synchronization)". Per catalogue pair, the pantry run unlocked: the services in which
each side lost an update to a race.

Any loss in any service proves a race, so a side's figure is a count, never a median: lost
updates in k of n services, k and n summed over every repetition of every unlocked row of that
side (each repetition reports its services, services_with_lost_updates, and the most one lost,
lost_updates_max); rows from before those counters count repetitions whose mean lost_updates
is above 0 instead. Two variants are read apart: /pantry:unlocked, where an update is read,
prepared and written back with no await in between, and /pantry:unlocked_await, where a
coroutine awaits the ingredient's fetch between reading the stock and writing it back. A loop
that cooks on one thread cannot lose an update of the first kind (that holds by construction);
of the second kind it can, and whether it did is measured."""

from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from ..figures import fmt, kitchen, num_label
from ..load import Results, Row
from .cells import values
from .common import (BY_CONSTRUCTION, FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict,
                     combine, pair_label, pairs)

RACE_SERVICES = 1
"""A side races when at least this many of its services lost an update of the unlocked pantry
(k of n, summed over every repetition of its unlocked rows): any loss in any service proves
the race, so the test is any k > 0, never a median."""

SINGLE_THREADED_MAX = 1
"""A side that cooked on at most this many threads cannot race without an await inside the
update (by construction)."""

PLAIN, AWAIT = "unlocked", "unlocked_await"
_WORDS = {PLAIN: "no await inside the update", AWAIT: "an await inside the update"}


def variant(r: Row) -> Optional[str]:
    """PLAIN, AWAIT, or None for a locked pantry."""
    pantry = str(r.params.get("pantry", ""))
    if pantry == AWAIT:
        return AWAIT
    return PLAIN if pantry == PLAIN or "unlocked" in r.flags else None


def unlocked(r: Row) -> bool:
    return variant(r) is not None


@dataclass(frozen=True)
class Races:
    """One side's lost updates over its rows of one variant."""
    rows: Tuple[Row, ...]
    k: int              # services that lost an update
    n: int              # services
    k_reps: int         # repetitions (of rows without the per-service counters) that lost one
    n_reps: int
    most: float         # the most one service lost (a repetition's mean, for older rows)

    @property
    def raced(self) -> bool:
        return self.k + self.k_reps >= RACE_SERVICES

    @property
    def threads(self) -> float:
        return max(r.counters.get("cooking_threads", 2) for r in self.rows)

    def counts(self, unit: bool = True) -> str:
        """'3 of 15 services' (without its unit: '3 of 15'), or with older rows '2 of 5
        repetitions', which keeps its unit."""
        parts = []
        if self.n:
            parts.append(f"{num_label(self.k)} of {num_label(self.n)}"
                         + (" services" if unit or self.n_reps else ""))
        if self.n_reps:
            parts.append(f"{num_label(self.k_reps)} of {num_label(self.n_reps)} repetitions")
        return " and ".join(parts)

    def most_text(self) -> str:
        """', at most 1,006' (a repetition's mean per service when only older rows say)."""
        if not self.raced:
            return ""
        return f", at most {fmt(self.most)}" + ("" if self.n else " (a repetition's mean)")

    def text(self) -> str:
        """'lost updates in 3 of 15 services, at most 1,006'."""
        return f"lost updates in {self.counts()}{self.most_text()}"


def races(results: Results, executor: str, which: str) -> Optional[Races]:
    rows = [r for r in kitchen(results) if r.kind == executor and variant(r) == which
            and "lost_updates" in r.counters]
    if not rows:
        return None
    k = n = k_reps = n_reps = 0
    most = 0.0
    for r in rows:
        if "services" in r.counters and "services_with_lost_updates" in r.counters:
            k += int(sum(values(r, "services_with_lost_updates")))
            n += int(sum(values(r, "services")))
            most = max([most, *values(r, "lost_updates_max" if "lost_updates_max" in r.counters
                                      else "lost_updates")])
        else:
            lost = values(r, "lost_updates")
            k_reps += sum(1 for v in lost if v > 0)
            n_reps += len(lost)
            most = max([most, *lost])
    return Races(tuple(rows), k, n, k_reps, n_reps, most)


def _names(found: Races) -> str:
    return ", ".join(f"`{r.name}`" for r in found.rows)


def _judge(t: str, a: str, t_r: Races, a_r: Races, which: str) -> Verdict:
    detail = f"{a} {a_r.text()}; {t} {t_r.text()}"
    if a_r.raced:
        short = ("async races where an await sits inside the update" if which == AWAIT
                 else f"{a} lost updates too")
        return Verdict(FAILS, short, detail)
    if not t_r.raced:
        return Verdict(FAILS, "no race seen, even unlocked", detail)
    if which == PLAIN and a_r.threads <= SINGLE_THREADED_MAX:
        return Verdict(BY_CONSTRUCTION, "a one-thread loop cannot race; threads did", detail)
    return Verdict(HOLDS, "threads raced; the loop did not", detail)


def _summary(async_races: dict) -> Optional[str]:
    """What is true of the async sides across both variants, in words derived from the data:
    {variant: [raced?, ...]} over the pairs' async executors measured with it."""
    plain, awaited = async_races.get(PLAIN, []), async_races.get(AWAIT, [])
    if not awaited:
        return None
    if any(awaited) and plain and not any(plain):
        return "async races where an await sits inside the update, and only there"
    if any(awaited) and any(plain):
        return "async raced with and without an await inside the update"
    if any(awaited):
        return "async races where an await sits inside the update"
    return "async lost no update, even awaiting inside it"


def evaluate(results: Results) -> TableRow:
    row = TableRow("Complexity", "complexity", "simpler (fewer race conditions)",
                   "more complex (needs synchronization)",
                   "per pair, pantry unlocked: a side races when it lost updates in k of n "
                   "services with k >= RACE_SERVICES (any k > 0; k and n summed over every "
                   "repetition, never a median); holds when threads race and async does not; "
                   "read apart with an await inside the update (/pantry:unlocked_await)",
                   __name__)
    row.point = ("every unlocked row of each side, its services counted together (a race "
                 "anywhere is a race)")
    parts = {PLAIN: [], AWAIT: []}
    async_races = {}
    measured = {PLAIN: [], AWAIT: []}
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            t_r = races(results, t, PLAIN)
            if t_r is None:
                continue
            found = False
            for which in (PLAIN, AWAIT):
                a_r = races(results, a, which)
                if a_r is None:
                    continue
                found = True
                # The threads' own update has no await to put inside it: with either variant of
                # the async side, the threads' plain unlocked rows are what it is set against.
                parts[which].append((f"{a} vs {t}", _judge(t, a, t_r, a_r, which)))
                async_races.setdefault(which, []).append(a_r.raced)
                row.used += [Used(r, counter, f"{r.kind} {which}") for r in a_r.rows + t_r.rows
                             for counter in ("lost_updates", "services_with_lost_updates")
                             if counter in r.counters]
                if not measured[which]:
                    measured[which] = [a, a_r, t, t_r]
            if found:
                row.pairs.append(pair_label(results, (t, a)))
    said = []
    if measured[PLAIN]:
        a, a_r, t, t_r = measured[PLAIN]
        said.append(f"unlocked: {a} lost updates in {a_r.counts()}{a_r.most_text()}, {t} in "
                    f"{t_r.counts(unit=False)}{t_r.most_text()}")
    if measured[AWAIT]:
        a, a_r = measured[AWAIT][:2]
        said.append(f"awaiting inside: {a} in {a_r.counts(unit=False)}{a_r.most_text()}")
    row.measured = "; ".join(said)
    paired = {n for p in pairs(results) for n in p}
    for e in results.catalogue:
        for which in (PLAIN, AWAIT):
            found = races(results, e.name, which) if e.name not in paired else None
            if found is not None and found.raced:
                row.notes.append(f"Outside the pairs, {e.name} {found.text()} ({_WORDS[which]}) "
                                 f"on up to {fmt(found.threads)} threads ({_names(found)}).")
    scopes = [(_WORDS[w], combine(parts[w], "the pair")) for w in (PLAIN, AWAIT) if parts[w]]
    if not scopes:
        row.verdict = Verdict(UNMEASURED, "no /pantry:unlocked rows for both members of a pair")
        return row
    verdict = combine(scopes, "where the update awaits")
    if {v.word for _, v in scopes} == {BY_CONSTRUCTION, HOLDS}:
        # No race without an await by construction, none with one measured: the claim holds
        # in both scopes, so the two words do not make it depend on anything.
        verdict = replace(verdict, word=HOLDS)
    summary = _summary(async_races)
    if summary:
        row.notes.append(f"What the data show of the async side: {summary}.")
        verdict = replace(verdict, short=summary)
    row.verdict = verdict
    return row

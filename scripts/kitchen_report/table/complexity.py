"""Complexity. The article: async is "simpler (fewer race conditions)", threads "more complex
(needs synchronization)". Per catalogue pair, the pantry run unlocked (/pantry:unlocked): the
updates each side lost to races. A loop that cooked on one thread cannot lose an update, so a
zero there holds by construction; the threads' losses are measured."""

from ..figures import chefs, fmt, kitchen
from ..load import Results, Row
from .common import (BY_CONSTRUCTION, FAILS, HOLDS, UNMEASURED, TableRow, Used, Verdict,
                     combine, pair_label, pairs)

RACE_LOST_UPDATES = 1
"""This many lost updates of the unlocked pantry, or more, is an observed race."""

SINGLE_THREADED_MAX = 1
"""A side that cooked on at most this many threads cannot race (by construction)."""


def unlocked(r: Row) -> bool:
    pantry = str(r.params.get("pantry", ""))
    return "unlocked" in r.flags or pantry == "unlocked"


def _worst(results: Results, executor: str):
    rows = [r for r in kitchen(results) if r.kind == executor and unlocked(r)
            and "lost_updates" in r.counters]
    return max(rows, key=lambda r: (r.counters["lost_updates"], chefs(r)), default=None)


def evaluate(results: Results) -> TableRow:
    row = TableRow("Complexity", "complexity", "simpler (fewer race conditions)",
                   "more complex (needs synchronization)",
                   "per pair, pantry unlocked: threads lose at least RACE_LOST_UPDATES updates "
                   "and async none", __name__)
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            t_row, a_row = _worst(results, t), _worst(results, a)
            if t_row is None or a_row is None:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            row.used += [Used(t_row, "lost_updates", t), Used(a_row, "lost_updates", a)]
            t_lost, a_lost = t_row.counters["lost_updates"], a_row.counters["lost_updates"]
            one_thread = a_row.counters.get("cooking_threads", 2) <= SINGLE_THREADED_MAX
            if not row.measured:
                row.measured = (f"unlocked: {a} lost {fmt(a_lost)} updates; {t} lost "
                                f"{fmt(t_lost)} ({chefs(t_row)} chefs)")
            label = f"{a} vs {t}"
            detail = f"{a} lost {fmt(a_lost)}, {t} lost {fmt(t_lost)} (`{t_row.name}`)"
            if a_lost >= RACE_LOST_UPDATES:
                parts.append((label, Verdict(FAILS, f"{a} lost updates too", detail)))
            elif t_lost < RACE_LOST_UPDATES:
                parts.append((label, Verdict(FAILS, "no race seen, even unlocked", detail)))
            elif one_thread:
                parts.append((label, Verdict(
                    BY_CONSTRUCTION, "a one-thread loop cannot race; threads did", detail)))
            else:
                parts.append((label, Verdict(HOLDS, "threads raced; the loop did not",
                                             detail)))
    paired = {n for p in pairs(results) for n in p}
    for e in results.catalogue:
        r = _worst(results, e.name) if e.name not in paired else None
        if r is not None and r.counters["lost_updates"] >= RACE_LOST_UPDATES:
            row.notes.append(f"Outside the pairs, {e.name} lost {fmt(r.counters['lost_updates'])}"
                             f" updates unlocked on {fmt(r.counters.get('cooking_threads', 0))} "
                             f"threads (`{r.name}`).")
    row.verdict = combine(parts, "the pair") if parts else Verdict(
        UNMEASURED, "no /pantry:unlocked rows for both members of a pair")
    return row

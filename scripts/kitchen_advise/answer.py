"""kitchen advise's words: the recommendation (the first line, at most FIRST_LINE_MAX
characters), one line per side, the comparisons (every cell at the user's N, the rates and the
sustainable point), where the answer changes, and each cell's text. The decisions they say are
decide.py's; the tables under them are tables.py's."""

import math
from typing import Dict, List, Optional, Sequence

from kitchen_report.figures import fmt, num_label
from kitchen_report.openloop import p99_cell
from kitchen_report.stats import DISTURBED, LOOK_ERROR, LOSE, TIE, UNDECIDED, WIN
from kitchen_report.table.cells import Cell, bound, factor
from kitchen_report.verdicts import cell_json

from . import plan as plans
from .decide import (BAND, PEAK, USER_MIN_REPETITIONS, Measured, Recommendation, comparisons,
                     level)

# A cell's interval (stats.median_ratio_interval, one look's error) as the words say it.
RATIO_CI = f"{(1 - LOOK_ERROR) * 100:g}% CI"

def interval_text(lo: float, hi: float, n: int = USER_MIN_REPETITIONS) -> str:
    """A cell's interval of the ratio of medians (stats.median_ratio_interval: one look's
    LOOK_ERROR), or with 3 repetitions or fewer a side what it is: the range."""
    if n <= 3:
        return f"range {bound(lo)}–{bound(hi)}x, n={n}"
    return f"{RATIO_CI} {bound(lo)}–{bound(hi)}x"


def cell_text(c: Cell) -> str:
    """The table's cell text, with a 3-repetition interval called what it is: the range."""
    if c.interval is None or min(c.n_a, c.n_b) > 3:
        return c.text()
    return (f"{factor(c.ratio)} (range {bound(c.interval[0])}–{bound(c.interval[1])}, "
            f"n={c.n_a}/{c.n_b}): {c.outcome}")


def _inverse(x: float) -> float:
    return 1 / x if x else math.inf


def clause(c: Cell) -> str:
    """'asio_coro serves 3.1x threads_pool (99% CI 2.8–3.4x)', seen from the side ahead (for
    a tie or an undecided cell, from the side whose median is ahead)."""
    lead, other, r, ci = c.a, c.b, c.ratio, c.interval
    if c.ratio < 1:
        lead, other, r = c.b, c.a, _inverse(c.ratio)
        ci = (_inverse(ci[1]), _inverse(ci[0])) if ci else None
    spread = interval_text(*ci, min(c.n_a, c.n_b)) if ci else f"no interval, n={c.n_a}/{c.n_b}"
    if c.higher_is_better:
        return f"{lead} serves {factor(r)} {other} ({spread})"
    ms = {c.a: c.median_a, c.b: c.median_b}
    return (f"{lead}'s p99 is {fmt(ms[lead])} ms against {other}'s {fmt(ms[other])} ms "
            f"({factor(r)} lower, {spread})")


def word(c: Cell, fibers: bool = False) -> str:
    """The cell's outcome in words: async or threads ahead, or for a fiber cell (fibers) the
    executor ahead by name."""
    if c.outcome == UNDECIDED and c.possible and len(c.possible) == 1 and min(
            c.n_a, c.n_b) < USER_MIN_REPETITIONS:
        return f"undecided: fewer than {USER_MIN_REPETITIONS} repetitions a side"
    ahead, behind = (c.a, c.b) if fibers else ("async", "threads")
    return {WIN: f"{ahead} ahead", LOSE: f"{behind} ahead", TIE: "a tie",
            UNDECIDED: "undecided: the interval reaches across the tie band",
            DISTURBED: "undecided: measured while the machine was busy"}[c.outcome]


def fiber_clause(plan: plans.Plan, here: Sequence[Cell]) -> str:
    """'; fibers lead: fibers serves 1.2x asio_coro (...), ...' when a fiber executor is ahead
    of every executor it was compared with at this point, else '; fibers: <clause>, <word>;
    ...'; '' without fiber cells."""
    said = []
    for f in dict.fromkeys(fiber for _, fiber in plan.fibers):
        mine = [c for c in here if c.pair in plan.fibers and c.a == f]
        if not mine:
            continue
        head = "fibers lead" if all(c.outcome == WIN for c in mine) else "fibers"
        said.append(f"{head}: " + "; ".join(f"{clause(c)}, {word(c, fibers=True)}"
                                             for c in mine))
    return "".join(f"; {text}" for text in said)

def verdict(found: Sequence[Cell]) -> str:
    """The words over the pairs' cells at one point. Where some are undecided, what every way
    they may still turn out agrees on (each cell's `possible` outcomes) is still said."""
    outcomes = [c.outcome for c in found]
    allowed = [set(c.possible or (c.outcome,)) for c in found]
    if not outcomes:
        return "nothing measured"
    if all(o == WIN for o in outcomes):
        return "async leads"
    if all(o == LOSE for o in outcomes):
        return "threads lead"
    if all(o == TIE for o in outcomes):
        return f"neither side leads (every pair within the ±{(BAND - 1) * 100:.0f}% tie band)"
    pending = " (some cells undecided between those)" if UNDECIDED in outcomes else ""
    if all(LOSE not in a for a in allowed):
        return "threads do not lead: async ahead or a tie" + pending
    if all(WIN not in a for a in allowed):
        return "async does not lead: threads ahead or a tie" + pending
    if UNDECIDED in outcomes:
        return "undecided for some pairs"
    return "it depends on the pair"


def span(values: Sequence[float]) -> str:
    """'3,003–4,859', or the one figure when they agree."""
    lo, hi = fmt(min(values)), fmt(max(values))
    return lo if lo == hi else f"{lo}–{hi}"


def backlog_text(point: plans.Point, many: bool = False) -> str:
    """Why an over-capacity p99 is no steady state's."""
    this = "these p99s measure" if many else "this p99 measures"
    grows = "grow" if many else "grows"
    return (f"the queue grew for the whole {num_label(point.customers)}-order service, so "
            f"{this} that backlog and {grows} with the service's length, "
            f"{'they are' if many else 'it is'} not a steady state")


def open_loop_text(m: Measured) -> str:
    """One executor's open-loop p99 as measured; over capacity, labelled with what it served."""
    p = p99_cell(m.row)
    ci = f" (95% CI {fmt(p.interval[0])}–{fmt(p.interval[1])})" if p.interval else ""
    if not m.over:
        return f"{m.executor} {fmt(p.median)} ms{ci}"
    return (f"{m.executor} {fmt(p.median)} ms{ci}, over capacity: served {fmt(m.served)}/s of "
            f"{fmt(m.point.rate)}/s offered")


def verdict_clauses(plan: plans.Plan, here: Sequence[Cell]) -> str:
    """'<verdict>: <clause>, <word>; ...' over the catalogued pairs' cells at one point, then
    'but ...' for the executors outside those pairs where they change the answer."""
    pairs = set(plan.pairs)
    catalogued = [c for c in here if c.pair in pairs]
    text = f"{verdict(catalogued)}: " + "; ".join(f"{clause(c)}, {word(c)}" for c in catalogued)
    # The executors outside the catalogue's pairs, where they change the answer: a cell whose
    # outcome differs from every catalogued cell of the same thread executor.
    changed = [c for c in here if c.pair not in pairs and c.pair not in plan.fibers
               and all(d.outcome != c.outcome for d in catalogued if d.pair[0] == c.pair[0])]
    if changed:
        text += "; but " + "; ".join(f"{clause(c)}, {word(c)}" for c in changed)
    return text + fiber_clause(plan, here)


def user_rate_clause(plan: plans.Plan, rows: Sequence[Measured]) -> str:
    """The p99 at the user's rate, every executor's as measured; over capacity, labelled so."""
    op = plan.open_point
    here = [m for m in rows if m.point == op]
    head = f"at your {fmt(op.rate)}/s (open loop, Poisson)"
    over = [m for m in here if m.over]
    if here and len(over) == len(here):
        return (f"{head} every executor is over capacity on this machine (served "
                f"{span([m.served for m in here])}/s; p99 "
                f"{span([p99_cell(m.row).median for m in here])} ms: "
                f"{backlog_text(op, many=True)})")
    text = f"{head} p99 is " + ", ".join(open_loop_text(m) for m in here)
    if over:
        text += "; where over capacity, " + backlog_text(op, many=len(over) > 1)
    return text


def sustainable_why(plan: plans.Plan) -> str:
    """'70% of the lowest capacity measured, asio_coro's 3,002/s served at your rate'."""
    cap = plan.capacity
    return (f"{plans.SUSTAINABLE_SHARE * 100:.0f}% of the lowest capacity measured, "
            f"{cap.executor}'s {fmt(cap.per_s)}/s {cap.source}")


def sustainable_clause(plan: plans.Plan, found: Sequence[Cell],
                       rows: Sequence[Measured]) -> Optional[str]:
    """The steady-state p99s at the sustainable rate, their cells read as the closed loop's
    are; an executor still over capacity there is labelled and not compared."""
    sp = plan.sustainable
    if sp is None or plan.capacity is None:
        return None
    head = f"at {fmt(sp.rate)}/s ({sustainable_why(plan)}; open loop)"
    here_rows = [m for m in rows if m.point == sp]
    if not here_rows:
        return f"{head} no row was measured (see the error rows)"
    here = [c for c in found if c.level == level(sp)]
    text = (f"{head}, {verdict_clauses(plan, here)}" if here
            else f"{head} no pair has both sides under capacity to compare")
    over = [m for m in here_rows if m.over]
    if over:
        text += ("; still over capacity there, so not compared: "
                 + ", ".join(open_loop_text(m) for m in over))
    return text


def comparisons_line(plan: plans.Plan, found: Sequence[Cell], rows: Sequence[Measured]) -> str:
    """The comparisons: every cell at the user's N in words, then with --rate each executor's
    p99 there and the sustainable point's cells, and where an executor fell short of N."""
    w = plan.workload
    head = f"At {num_label(w.concurrency)} in flight"
    if w.gil:
        head += " under the GIL"
    parts = [f"{head}, {verdict_clauses(plan, [c for c in found if c.level == level(plan.user)])}"]
    if plan.open_point is not None:
        parts.append(user_rate_clause(plan, rows))
    steady = sustainable_clause(plan, found, rows)
    if steady:
        parts.append(steady)
    short = []
    for m in rows:
        if m.point == plan.user and m.row.counters.get(PEAK, w.concurrency) < w.concurrency:
            short.append(f"{m.executor} reached at most {fmt(m.row.counters[PEAK])} of "
                         f"{num_label(w.concurrency)} in flight")
    if short:
        parts.append("peak in preparation: " + ", ".join(short))
    return "; ".join(parts) + "."


def changes(plan: plans.Plan, found: Sequence[Cell]) -> List[str]:
    """Per pair, the outcome at each closed point, and where it changes."""
    lines = []
    closed = [p for p in plan.points if not p.open_loop]
    for t, a in comparisons(plan):
        by = [(p, next((c for c in found if c.pair == (t, a) and c.level == level(p)), None))
              for p in closed]
        by = [(p, c) for p, c in by if c is not None]
        if not by:
            continue
        fibers = (t, a) in plan.fibers
        said = ", ".join(f"{word(c, fibers).split(':')[0]} at {num_label(p.chefs)}"
                         for p, c in by)
        flips = [f"between {num_label(p.chefs)} and {num_label(q.chefs)} in flight"
                 for (p, c), (q, d) in zip(by, by[1:])
                 if c.outcome != d.outcome and UNDECIDED not in (c.outcome, d.outcome)]
        tail = ("; the answer changes " + " and ".join(flips)) if flips else (
            "; the answer does not change within these neighbours" if len(by) > 1 else "")
        lines.append(f"- {a} vs {t}: {said}{tail}.")
    return lines


def cells_json(found: Sequence[Cell]) -> List[dict]:
    return [dict(cell_json(c), text=cell_text(c),
                 interval_kind="range" if min(c.n_a, c.n_b) <= 3 else
                 f"median_ratio_interval, {RATIO_CI}")
            for c in found]


# The recommendation line's length at most: one line a person reads before the rest.
FIRST_LINE_MAX = 200
_BOUND_WORDS = {"cores": "the cores", "waits": "the waits", "memory": "memory",
                "thread budget": "the thread budget"}


def _margin_text(m, interval: str) -> str:
    """'1.35x threads_pool (99% CI 1.21–1.48x)', or a tie or an undecided cell said so."""
    c = m.cell
    ci = c.interval
    spread = ""
    if ci and interval == "full":
        spread = f"{RATIO_CI} {bound(ci[0])}–{bound(ci[1])}x"
    elif ci and interval == "short":
        spread = f"{bound(ci[0])}–{bound(ci[1])}x"
    state = {TIE: "a tie", UNDECIDED: "undecided", DISTURBED: "disturbed"}.get(c.outcome, "")
    inside = ", ".join(x for x in (state, spread) if x)
    return f"{factor(c.ratio)} {m.other}" + (f" ({inside})" if inside else "")


def recommendation_line(plan: plans.Plan, rec: Optional[Recommendation]) -> str:
    """The first line: the executor that serves most at the user's N (or the tie, named; "Use"
    only when it is ahead of every other side's best), its margin with the interval over the
    best executor of each other side, and what bounds the workload; at most FIRST_LINE_MAX characters (the intervals' label, then the intervals of
    decided margins, go first when it would be longer)."""
    where = f"{num_label(plan.workload.concurrency)} in flight"
    if rec is None:
        return f"At {where} nothing was measured: see the error rows."
    tied = rec.tied
    bound_text = f"bound by {_BOUND_WORDS.get(rec.bound, rec.bound)}"
    for interval in ("full", "short", "decided-short", "none"):
        parts = []
        for m in rec.margins:
            keep = interval
            if interval == "decided-short":
                keep = "short" if m.cell.outcome != WIN else "none"
            parts.append(_margin_text(m, keep))
        if tied:
            lead = (f"{' and '.join((rec.executor,) + tied)} tie at {where}; "
                    f"{rec.executor} serves")
        elif all(m.cell.outcome == WIN for m in rec.margins):
            lead = f"Use {rec.executor} at {where}: it serves"
        else:
            # A margin still undecided: the median is ahead, the measurement has not decided.
            lead = f"{rec.executor} serves most at {where}, not yet decided:"
        line = f"{lead} {', '.join(parts)}; {bound_text}."
        if len(line) <= FIRST_LINE_MAX:
            return line
    return line[:FIRST_LINE_MAX - 1] + "…"


def side_lines(plan: plans.Plan, rows: Sequence[Measured], side_of,
               unreliable: Optional[Dict[str, str]] = None) -> List[str]:
    """One line per side at the user's N: its executors' median requests/s, best first, and
    where the model misses in this band, that its prediction is unreliable there."""
    here = [m for m in rows if m.point == plan.user]
    out = []
    for side in dict.fromkeys(side_of(m.executor) or "" for m in here):
        mine = sorted((m for m in here if (side_of(m.executor) or "") == side),
                      key=lambda m: -m.rate()[0])
        text = f"- {side}: " + ", ".join(f"{m.executor} {fmt(m.rate()[0])}/s" for m in mine)
        short = [m for m in mine if m.row.counters.get(PEAK, plan.workload.concurrency)
                 < plan.workload.concurrency]
        if short:
            text += ("; at most in preparation: " + ", ".join(
                f"{m.executor} {fmt(m.row.counters[PEAK])}" for m in short))
        if unreliable and side in unreliable:
            text += f"; {unreliable[side]}"
        out.append(text)
    return out

"""I/O-bound tasks. The claim: async is "well suited", threads "less efficient (thread
management overhead)". Per catalogue pair, on the io profile, the async executor's median
dishes/s against the threads executor's at each chefs level (the most customers both ran).

At each chefs level the evidence says how many dishes each side actually kept in preparation
(peak_in_preparation; "filled 612 of 1,000" when fewer than its chefs), and at each pair's
headline point how long its threads waited runnable for a CPU (runqueue_wait_us_per_dish): a
thread kitchen that lost to the scheduler did not lose to its own code.

At every chefs level the cell reads the rows measured at the system's default timer slack
(/slack:default, the slack pass) when both sides have one: that is what real programs run with,
and with many sleeping threads it lets the kernel batch their wake-ups. The same point at the
suite's 1 ns slack is a cell of its own, shown beside it.

At many chefs the threads also wait for the process-wide pantry lock. How much of their loss
that explains is shown from the same point with /pantry:unlocked when measured, else estimated
from pantry_wait_us_per_dish over a dish's time in preparation (lock_share).

The rule and its threshold live in io_rule.py, which io_net.py runs again on the net rows
(/io:net, and /reactor:io_uring), where each fetch is a request and a reply over a loopback
socket."""

from typing import Dict, Optional, Tuple

from .. import openloop
from ..figures import chefs, customers, fmt, num_label
from ..load import Results, Row
from . import io_net, io_rule
from .common import UNMEASURED, TableRow, Used, Verdict, combine, cv_text, pair_label, pairs
from .cells import chefs_label, compare
from .cpu import process_cell
from .io_rule import (IO_THROUGHPUT_RATIO, PEAK, filled, judge, kept_note, kept_text,
                      levels_of)


def lock_share(results: Results, t_row: Row, a_row: Row) -> Optional[str]:
    """How much of the threads' loss at this point the pantry lock explains, in words.

    Measured when the same point ran with /pantry:unlocked. Else estimated from
    pantry_wait_us_per_dish over a dish's time in preparation, which by Little's law is the
    dishes in preparation over dishes/s. The dishes in preparation are the row's measured
    peak_in_preparation, not its chefs: a starved thread kitchen keeps far fewer in flight.
    The peak is at least their mean, so the time per dish comes out at least as long as it
    was and the lock's share at least as small: the estimate is a lower bound. Little's law
    is not applied to dishes/s x p50 latency: in a closed batch every order is placed at the
    opening, so its latency counts the wait for a chef too, and the product counts orders
    waiting as well as those in preparation. Without peak_in_preparation only the wait is
    quoted."""
    d_t, d_a = t_row.counters["dishes_per_s"], a_row.counters["dishes_per_s"]
    if d_a <= d_t:
        return None
    unlocked = next((r for r in results.family("kitchen")
                     if r.name == t_row.name + "/pantry:unlocked"), None)
    if unlocked is not None:
        share = (unlocked.counters["dishes_per_s"] - d_t) / (d_a - d_t)
        return (f"unlocked, {t_row.kind} reaches {fmt(unlocked.counters['dishes_per_s'])} "
                f"dishes/s: the lock explains {share * 100:.0f}% of the gap")
    wait = t_row.counters.get("pantry_wait_us_per_dish")
    if wait is None:
        return None
    waited = f"{t_row.kind} waited {fmt(wait)} µs per dish for the pantry lock"
    in_flight = t_row.counters.get(PEAK, 0.0)
    if in_flight <= 0:
        return waited + f" (no {PEAK}: its share of a dish's time is not estimated)"
    in_preparation_us = in_flight / d_t * 1e6
    share_of_dish = min(wait / in_preparation_us, 0.99)
    without = d_t / (1 - share_of_dish)
    gap = min(max((without - d_t) / (d_a - d_t), 0.0), 1.0)
    return (f"{waited}, at least {share_of_dish * 100:.0f}% of a dish's time with "
            f"{fmt(in_flight)} dishes in preparation at most: at least about {gap * 100:.0f}% "
            "of the gap (estimate)")


RUNQUEUE = "runqueue_wait_us_per_dish"


def runqueue_note(t_row: Row, a_row: Row) -> Optional[str]:
    """Both sides' run-queue wait at one point (runqueue_wait_us_per_dish: the time the
    process's threads spent runnable, waiting for a CPU, per dish), when measured."""
    have = [r for r in (t_row, a_row) if RUNQUEUE in r.counters]
    if not have:
        return None
    t_part = (f"threads ({t_row.kind}) waited {fmt(t_row.counters[RUNQUEUE])} µs per dish for a "
              "CPU" if RUNQUEUE in t_row.counters else f"{t_row.kind}: not recorded")
    a_part = (f"async ({a_row.kind}) {fmt(a_row.counters[RUNQUEUE])} µs"
              if RUNQUEUE in a_row.counters else f"{a_row.kind} not recorded")
    return (f"At {chefs_label(chefs(t_row))} and {num_label(customers(t_row))} customers, "
            f"{t_part}, {a_part} ({RUNQUEUE}: time runnable but not running).")


def _knees(results: Results, row: TableRow) -> None:
    """Per io point swept open loop, per pair and arrival pattern both members were swept with:
    each one's sustainable load and its p99 knee (openloop.py; evidence only: the verdict above
    reads the closed batches). Any point will do, 100 chefs alone included."""
    for point, by_label in openloop.sustained(results).items():
        if point[0] != "io":
            continue
        series = {(s.executor, s.pattern): s for s in by_label.values()}
        patterns = sorted({p for _, p in series})
        for t, a in pairs(results):
            for pattern in patterns:
                if (t, pattern) not in series or (a, pattern) not in series:
                    continue
                found = [series[(e, pattern)] for e in (a, t)]
                arrivals = f" ({pattern} arrivals)" if pattern else ""
                said = "; ".join(
                    f"{s.executor} sustains {openloop.cell(s)}, {openloop.p99_knee_phrase(s)}"
                    for s in found)
                row.notes.append(
                    f"Open loop, {openloop.point_short(point)}{arrivals}, pooled p99 of the "
                    f"repetitions with its interval (REPORT.md's sustainable throughput and "
                    f"p99 knee): {said}.")
                for s in found:
                    row.used += [Used(r, "p99_ms", s.executor) for r in (s.knee, s.p99_knee.leaves)
                                 if r is not None]


SLACK_DEFAULT = "/slack:default"


def default_slack(results: Results, pair_rows: Tuple[Row, Row]) -> Optional[Tuple[Row, Row]]:
    """The same point's rows at the system's default timer slack (the slack pass), both sides,
    or None."""
    names = {r.name: r for r in results.family("kitchen")}
    found = tuple(names.get(r.name + SLACK_DEFAULT) for r in pair_rows)
    return found if all(found) else None


def at_default_slack(results: Results, levels: Dict[int, Tuple[Row, Row]]
                     ) -> Tuple[Dict[int, Tuple[Row, Row]], Dict[int, Tuple[Row, Row]]]:
    """The timer levels as the I/O row reads them: each chefs level's rows at the system's
    default timer slack where both sides have them; and, for those levels, the rows at the
    suite's 1 ns slack they replace."""
    read, one_ns = dict(levels), {}
    for c, pair_rows in levels.items():
        slack = default_slack(results, pair_rows)
        if slack is not None:
            read[c], one_ns[c] = slack, pair_rows
    return read, one_ns


def _unfilled(r: Row) -> str:
    """', filled 612 of 1,000' for the headline when the row did not fill its chefs."""
    return f", {kept_text(r, brief=True)}" if filled(r) is False else ""


def _processes(results: Results, row: TableRow) -> None:
    """The CPU row's processes cell, on the io profile: a pool of worker processes over serial
    CPython, where waiting dominates (evidence beside the pairs; the verdict is theirs)."""
    for e in results.catalogue:
        if e.side != "processes":
            continue
        got = process_cell(results, e.name, IO_THROUGHPUT_RATIO, profile="io")
        if got is None:
            continue
        cell, r, base = got
        row.add([cell])
        row.used += [Used(r, "dishes_per_s", e.name), Used(base, "dishes_per_s", "serial")]
        row.notes.append(f"Processes on the io profile (as in the CPU row): {e.name} at "
                         f"{cell.level}: {cell.text()}.")


def _one_ns(row: TableRow, pair: Tuple[str, str], levels, one_ns_levels, cells) -> None:
    """Beside each level read at the default slack, its cell at the suite's 1 ns slack, and one
    note pairing the two per level."""
    t, a = pair
    said = []
    for c, (t_1ns, a_1ns) in sorted(one_ns_levels.items()):
        one_ns = compare(a_1ns, t_1ns, "dishes_per_s", IO_THROUGHPUT_RATIO, pair=pair,
                         level=f"{chefs_label(c)}, 1 ns timer slack")
        row.add([one_ns])
        slack_t, slack_a = levels[c]
        default = next(x for x in cells if x.rows == (slack_a.name, slack_t.name))
        said.append(f"{chefs_label(c)}: {default.text()}, at 1 ns {one_ns.text()}")
        row.used += [Used(r, "dishes_per_s", f"{r.kind}, 1 ns slack") for r in (t_1ns, a_1ns)]
    row.notes.append(f"{a} vs {t} at the system's default timer slack (what the verdict reads) "
                     f"and at the suite's 1 ns: " + "; ".join(said) + ".")


def evaluate(results: Results) -> TableRow:
    row = TableRow("I/O-bound tasks", "io-bound-tasks", "well suited",
                   "less efficient (thread management overhead)",
                   "io profile, per pair and chefs level: async median dishes/s over threads', "
                   "a win when its interval is above IO_THROUGHPUT_RATIO", __name__,
                   also=[io_rule.__name__])
    row.point = ("at each chefs level, the most customers both sides ran, at the system's default "
                 "timer slack where both sides have that row (the suite's 1 ns beside it); the "
                 "headline at the most chefs")
    parts = []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            levels = levels_of(results, t, a)
            if not levels:
                continue
            row.pairs.append(pair_label(results, (t, a)))
            # At every level the verdict reads what real programs get, the system's default
            # timer slack, where it was measured; the suite's 1 ns is shown beside it.
            levels, one_ns_levels = at_default_slack(results, levels)
            verdict, cells = judge(levels, (t, a))
            row.add(cells)
            if one_ns_levels:
                _one_ns(row, (t, a), levels, one_ns_levels, cells)
            only_1ns = sorted(set(levels) - set(one_ns_levels))
            if only_1ns:
                row.notes.append(f"{a} vs {t} at {', '.join(chefs_label(c) for c in only_1ns)}: "
                                 f"the suite's 1 ns timer slack only (no {SLACK_DEFAULT} rows of "
                                 "both sides).")
            parts.append((f"{a} vs {t}", verdict))
            top = max(levels)
            t_row, a_row = levels[top]
            for c, (tr, ar) in sorted(levels.items()):
                row.used += [Used(tr, "dishes_per_s", t), Used(ar, "dishes_per_s", a)]
                row.used += [Used(r, PEAK, r.kind) for r in (tr, ar) if PEAK in r.counters]
            kept = kept_note(levels)
            if kept:
                row.notes.append(f"{a} vs {t}: {kept}")
            share = lock_share(results, t_row, a_row)
            if share:
                row.notes.append(f"At {num_label(top)} chefs, {share} (`{t_row.name}`).")
                for r in (t_row, a_row):
                    if "pantry_wait_us_per_dish" in r.counters:
                        row.used.append(Used(r, "pantry_wait_us_per_dish", r.kind))
            # The headline point of each pair: its most chefs, at the most customers both ran.
            waited = runqueue_note(t_row, a_row)
            if waited:
                row.notes.append(waited)
                row.used += [Used(r, RUNQUEUE, r.kind) for r in (t_row, a_row)
                             if RUNQUEUE in r.counters]
            if not row.measured:
                slack = " (default slack)" if top in one_ns_levels else ""
                row.measured = (f"{num_label(top)} chefs{slack}: {a} "
                                f"{fmt(a_row.counters['dishes_per_s'])}"
                                f"/s ({cv_text(a_row, 'dishes_per_s')}){_unfilled(a_row)}; {t} "
                                f"{fmt(t_row.counters['dishes_per_s'])}/s "
                                f"({cv_text(t_row, 'dishes_per_s')}){_unfilled(t_row)}")
    _knees(results, row)
    _processes(results, row)
    row.verdict = combine(parts, "the pair") if parts else Verdict(
        UNMEASURED, "no io point with both members of a pair")
    io_net.add(results, row)
    return row

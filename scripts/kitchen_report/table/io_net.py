"""The I/O row with real I/O: io_rule.py's rule run again on the net rows, where each fetch is
one request and one reply over a loopback socket to the pantry server (/io:net;
/reactor:io_uring from bench_kitchen_uring), set beside the timer rows.

Per pair and I/O variant the evidence gives the net verdict, then, at each chefs level both
the timer and the net rows ran, the two cells' ratios with their intervals and whether the
intervals overlap: two verdict words can agree while the ratios differ, or differ while the
ratios agree. Per net level it says how many dishes each side kept in preparation ("not
filled" when fewer than its chefs) and whether the pantry server was the bottleneck: its share
of the row's wall time on a CPU (server_cpu_util) and the requests per second it answered
against the capacity its pass recorded (context pantry_capacity_per_s). When the net verdict
word differs from the timer rows', the table's cell says so in a few words."""

import math
from typing import Dict, List, Optional, Tuple

from ..figures import IO_NET, IO_URING, customers, fmt, num_label
from ..load import Results, Row
from ..stats import overlap
from .cells import Cell, bound, chefs_label, factor
from .common import UNMEASURED, TableRow, Used, Verdict, combine, pairs
from .io_rule import filled, judge, kept_note, levels_of

LABELS = {IO_NET: "net", IO_URING: "io_uring"}

SERVER_BUSY = 0.9
"""The pantry server runs one thread: on a CPU for this share of a net row's wall time or
more, it was busy, and may have been the bottleneck."""

SERVER_NEAR_CAPACITY = 0.9
"""A net row whose requests per second reached this share of the server's recorded capacity
(the context's pantry_capacity_per_s) or more may have been held back by the server."""

# Every request and the header of every reply are 24-byte frames (src/pantry/protocol.hpp), and
# a reply carries pantry_payload_bytes more: bytes_per_dish over a round trip's bytes is the
# requests per dish.
FRAME_BYTES = 24


def _number(value) -> Optional[float]:
    """A context value (a string) as a finite number, else None."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def capacity(r: Row) -> Optional[float]:
    """The requests per second the row's pass recorded for the pantry server, if it did."""
    x = _number(r.context_value("pantry_capacity_per_s"))
    return x if x is not None and x > 0 else None


def requests_per_s(r: Row) -> Optional[float]:
    """The requests per second the server answered for this row: dishes/s x requests per dish,
    the latter from bytes_per_dish and the payload (FRAME_BYTES)."""
    payload = _number(r.context_value("pantry_payload_bytes"))
    if payload is None or "bytes_per_dish" not in r.counters:
        return None
    return r.counters["dishes_per_s"] * r.counters["bytes_per_dish"] / (2 * FRAME_BYTES + payload)


def _both(values: List[str]) -> str:
    """'5%' when the sides agree, '5% / 6%' (threads / async) when not."""
    return values[0] if len(set(values)) == 1 else " / ".join(values)


def server_text(t_row: Row, a_row: Row) -> Optional[str]:
    """Whether the pantry server was the bottleneck at one net level, from its CPU share and
    its requests/s against its recorded capacity, over both rows of the level (threads / async
    where they differ)."""
    rows = [r for r in (t_row, a_row) if "server_cpu_util" in r.counters]
    if not rows:
        return None
    busiest = max(r.counters["server_cpu_util"] for r in rows)
    said = ("server on a CPU "
            + _both([f"{r.counters['server_cpu_util'] * 100:.0f}%" for r in rows])
            + " of the time")
    rates = [(requests_per_s(r), capacity(r)) for r in (t_row, a_row)]
    known = [(rate, cap) for rate, cap in rates if rate is not None and cap is not None]
    share = max((rate / cap for rate, cap in known), default=None)
    if all(cap is None for _, cap in rates):
        said += ", capacity not recorded"
    elif len(known) < 2:
        said += ", its requests per second not known (no bytes_per_dish or payload size)"
    else:
        said += (f", {_both([fmt(rate) for rate, _ in known])} requests/s against a recorded "
                 f"capacity of {_both([fmt(cap) for _, cap in known])}/s "
                 f"({_both([f'{rate / cap * 100:.0f}%' for rate, cap in known])})")
    if busiest >= SERVER_BUSY:
        word = "busy: it may have been the bottleneck"
    elif share is not None and share > 1:
        # The rows served more than the probe did: the probe (fewer connections than the rows,
        # or a single one in results from before it used as many) understates the server, and
        # bounds nothing.
        word = ("not busy; it served more than its recorded capacity, so that figure is no "
                "bound here and the server was not shown to be the bottleneck")
    elif share is not None and share >= SERVER_NEAR_CAPACITY:
        word = ("not busy, but at or near its recorded capacity: it may have been the "
                "bottleneck")
    elif share is None:
        word = "not busy; against its capacity, not known"
    else:
        word = "not the bottleneck"
    return f"{said}: {word}"


def _interval(c: Cell) -> str:
    if c.interval is None:
        return f"no interval, n={c.n_a}/{c.n_b}"
    return f"95% CI {bound(c.interval[0])}–{bound(c.interval[1])}"


def ratios_text(timer: Dict[int, Tuple[Cell, Tuple[Row, Row]]],
                net: Dict[int, Tuple[Cell, Tuple[Row, Row]]], label: str) -> Optional[str]:
    """'100 chefs: timer 1.04x (95% CI 1.00–1.08) vs net 1.16x (95% CI 1.12–1.20): the
    intervals do not overlap' at each chefs level both ran."""
    parts = []
    for c in sorted(set(timer) & set(net)):
        (tc, (t_t, _)), (nc, (n_t, _)) = timer[c], net[c]
        if tc.interval is None or nc.interval is None:
            said = "no interval to compare"
        elif overlap(tc.interval, nc.interval):
            said = "the intervals overlap"
        else:
            said = "the intervals do not overlap"
        where = ("" if customers(t_t) == customers(n_t) else
                 f" (timer at {num_label(customers(t_t))} customers, {label} at "
                 f"{num_label(customers(n_t))})")
        parts.append(f"{chefs_label(c)}: timer {factor(tc.ratio)} ({_interval(tc)}) vs {label} "
                     f"{factor(nc.ratio)} ({_interval(nc)}): {said}{where}")
    return "; ".join(parts) if parts else None


def _by_level(levels: Dict[int, Tuple[Row, Row]], cells: List[Cell]):
    """{chefs: (its cell, its rows)}: judge() makes one cell per level, in chefs order."""
    return {c: (cell, levels[c]) for c, cell in zip(sorted(levels), cells)}


def _unfilled(levels: Dict[int, Tuple[Row, Row]]) -> List[str]:
    return [chefs_label(c) for c, (t_row, a_row) in sorted(levels.items())
            if filled(t_row) is False or filled(a_row) is False]


def _variant(results: Results, row: TableRow, variant: str) -> Tuple[List, List]:
    """(net verdicts, timer verdicts) per pair measured with this variant; notes and figures
    added to the row."""
    label = LABELS[variant]
    net_parts, timer_parts = [], []
    for language in results.catalogue.languages():
        for t, a in pairs(results, language):
            levels = levels_of(results, t, a, variant)
            if not levels:
                continue
            net, cells = judge(levels, (t, a), f"{label}, ")
            row.add(cells)
            timer_levels = levels_of(results, t, a)
            timer, timer_cells = (judge(timer_levels, (t, a)) if timer_levels
                                  else (Verdict(UNMEASURED), []))
            net_parts.append((f"{a} vs {t}", net))
            timer_parts.append((f"{a} vs {t}", timer))
            note = f"Real I/O ({label} rows), {a} vs {t}: **{net.word}** ({net.detail})"
            if timer.word == UNMEASURED:
                note += "; no timer rows of this pair to compare with."
            else:
                compared = ratios_text(_by_level(timer_levels, timer_cells),
                                       _by_level(levels, cells), label)
                note += (f"; timer against {label}, async over threads: {compared}." if compared
                         else "; no chefs level of the timer rows to compare with.")
            row.notes.append(note)
            kept = kept_note(levels, f" with {label} rows")
            if kept:
                missing = _unfilled(levels)
                row.notes.append(kept + (f" **Not filled** at {', '.join(missing)}: a side kept "
                                         "fewer dishes in preparation than its chefs, so that "
                                         "level compares fewer dishes in flight than it names."
                                         if missing else ""))
            servers = [(c, server_text(t_row, a_row)) for c, (t_row, a_row) in
                       sorted(levels.items())]
            servers = [f"{chefs_label(c)}: {text}" for c, text in servers if text]
            if servers:
                row.notes.append(f"Pantry server, per {label} level (threads / async where "
                                 "they differ; SERVER_BUSY, SERVER_NEAR_CAPACITY): "
                                 + "; ".join(servers) + ".")
            for c, (t_row, a_row) in sorted(levels.items()):
                for r in (t_row, a_row):
                    row.used.append(Used(r, "dishes_per_s", f"{r.kind} {label}"))
                    for counter in ("server_cpu_util", "bytes_per_dish", "peak_in_preparation"):
                        if counter in r.counters:
                            row.used.append(Used(r, counter, f"{r.kind} {label}"))
    return net_parts, timer_parts


def add(results: Results, row: TableRow) -> None:
    """The net rows' evidence, and a few words in the verdict when real I/O changes its word."""
    changed = []
    for variant in (IO_NET, IO_URING):
        net_parts, timer_parts = _variant(results, row, variant)
        if not net_parts:
            continue
        if __name__ not in row.also:
            row.also.append(__name__)
        net = combine(net_parts, "the pair")
        flipped = [name for (name, n), (_, t) in zip(net_parts, timer_parts)
                   if t.word != UNMEASURED and t.word != n.word]
        if row.verdict.word != UNMEASURED and (net.word != row.verdict.word or flipped):
            changed.append(f"{LABELS[variant]}: {net.word}")
            row.notes.append(f"With {LABELS[variant]} rows the verdict word is **{net.word}** "
                             f"where timer rows give **{row.verdict.word}**"
                             + (f" (a different word for {', '.join(flipped)})" if flipped else "")
                             + "; the ratios above say where and by how much.")
    if not changed:
        return
    suffix = "; " + ", ".join(changed)
    base = row.verdict.short
    row.verdict = Verdict(row.verdict.word, base + suffix,
                          row.verdict.detail + "; with real I/O: " + ", ".join(changed))

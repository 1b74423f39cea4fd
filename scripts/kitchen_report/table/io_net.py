"""The I/O row with real I/O: io.py's rule run again on the net rows, where each fetch is one
request and one reply over a loopback socket to the pantry server (/io:net; /reactor:io_uring
from bench_kitchen_uring), compared with its verdict on the timer rows.

The evidence says, per pair and per I/O variant, both verdicts and whether they differ, and
what share of each net row's wall time the server spent on a CPU (server_cpu_util): on a
machine with few cores the server competes with the kitchen for them. When a verdict differs,
the table's cell says so in a few words."""

from typing import List, Tuple

from ..figures import IO_NET, IO_URING, num_label
from ..load import Results
from .common import UNMEASURED, TableRow, Used, Verdict, combine, pairs, short
from .io_rule import judge, levels_of

LABELS = {IO_NET: "net", IO_URING: "io_uring"}


def _server_share(levels, label: str) -> str:
    """'server CPU: py_threads 5%, py_asyncio 6% at 1 chef; ...' over one pair's net rows."""
    parts = []
    for c, (t_row, a_row) in sorted(levels.items()):
        shares = [f"{r.kind} {r.counters['server_cpu_util'] * 100:.0f}%" for r in (t_row, a_row)
                  if "server_cpu_util" in r.counters]
        if shares:
            parts.append(f"{', '.join(shares)} at {num_label(c)} chef{'s' if c != 1 else ''}")
    if not parts:
        return ""
    return (f"Share of each {label} row's wall time the pantry server spent on a CPU "
            f"(server_cpu_util): {'; '.join(parts)}.")


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
            timer = judge(timer_levels, (t, a))[0] if timer_levels else Verdict(UNMEASURED)
            net_parts.append((f"{a} vs {t}", net))
            timer_parts.append((f"{a} vs {t}", timer))
            if timer.word == UNMEASURED:
                change = "no timer rows of this pair to compare with"
            elif timer.word == net.word:
                change = "the verdict is the same with real I/O"
            else:
                change = "**the verdict changes with real I/O**"
            row.notes.append(f"Real I/O ({label} rows), {a} vs {t}: **{net.word}** "
                             f"({net.detail}); with timers: {timer.word}: {change}.")
            share = _server_share(levels, label)
            if share:
                row.notes.append(share)
            for c, (t_row, a_row) in sorted(levels.items()):
                for r in (t_row, a_row):
                    row.used.append(Used(r, "dishes_per_s", f"{r.kind} {label}"))
                    if "server_cpu_util" in r.counters:
                        row.used.append(Used(r, "server_cpu_util", f"{r.kind} {label}"))
    return net_parts, timer_parts


def add(results: Results, row: TableRow) -> None:
    """The net rows' evidence, and a few words in the verdict when real I/O changes it."""
    changed = []
    for variant in (IO_NET, IO_URING):
        net_parts, timer_parts = _variant(results, row, variant)
        if not net_parts:
            continue
        net = combine(net_parts, "the pair")
        flipped = [name for (name, n), (_, t) in zip(net_parts, timer_parts)
                   if t.word != UNMEASURED and t.word != n.word]
        if row.verdict.word != UNMEASURED and (net.word != row.verdict.word or flipped):
            changed.append(f"{LABELS[variant]}: {net.word}")
            row.notes.append(f"With {LABELS[variant]} rows the verdict reads **{net.word}** "
                             f"where timer rows read **{row.verdict.word}**"
                             + (f" (changed for {', '.join(flipped)})" if flipped else "") + ".")
    if not changed:
        return
    suffix = "; " + ", ".join(changed)
    base = short(row.verdict.short, max(12 - len(suffix.split()), 0))
    row.verdict = Verdict(row.verdict.word, base + suffix,
                          row.verdict.detail + "; with real I/O: " + ", ".join(changed))


"""pros_cons.md: a seven-row table a person reads in one minute, the interval and outcome rule
its cells follow, then one evidence section per row (the rule, the thresholds, the pairs
compared, each cell with its interval, every figure used with its median, CV and spread).
Standard library only."""

import ast
import importlib
import inspect
from typing import List, Sequence, Tuple

from ..figures import fmt, num_label
from ..load import Results
from ..interference import WARN_SHARE
from ..stats import (CONFIDENCE, DISTURBED, FAMILY_ERROR, LOOK_ERROR, MIN_LAUNCHES,
                     MIN_REPETITIONS, PLACEMENT_REPETITIONS, PLANNED_MAX_REPETITIONS, ROUND,
                     planned_looks)
from . import fibers
from .cells import Cell, bound, factor, few_launches
from .common import BY_CONSTRUCTION, OTHER_REASON, UNDECIDED, TableRow, short

TITLE = "Async or threads: the pros/cons table, measured"
CELL_MAX = 160


def cell(text: str, limit: int = CELL_MAX) -> str:
    """A table cell: pipes escaped, one line, at most `limit` characters (cut at a '; ')."""
    text = " ".join(text.replace("|", "/").split()) or "not measured in this run"
    if len(text) <= limit:
        return text
    cut = text.rfind("; ", 0, limit - 2)
    return (text[:cut] if cut > 0 else text[:limit - 2]) + " …"


def threshold_notes(module_name: str) -> List[Tuple[str, object, str]]:
    """(name, value, docstring) of each documented constant of a row's module, read from its
    source so that the table and the code cannot disagree."""
    module = importlib.import_module(module_name)
    body = ast.parse(inspect.getsource(module)).body
    notes = []
    for node, doc in zip(body, body[1:]):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()
                and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)):
            name = node.targets[0].id
            notes.append((name, getattr(module, name), " ".join(doc.value.value.split())))
    return notes


def _verdict_cell(row: TableRow) -> str:
    words = short(row.verdict.short, 16)
    return cell(f"**{row.verdict.word}**" + (f": {words}" if words else ""))


def table(rows: Sequence[TableRow]) -> List[str]:
    out = ["| Feature | Claim: async / threads | Measured here | Verdict |",
           "|---|---|---|---|"]
    for r in rows:
        out.append(f"| [{r.feature}](#{r.anchor}) | {cell(f'{r.claim_async} / {r.claim_threads}')}"
                   f" | {cell(r.measured)} | {_verdict_cell(r)} |")
    return out


def _spread(row, counter) -> str:
    lo, hi = row.spread(counter)
    return fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"


def _cell_line(c: Cell) -> str:
    interval = "none" if c.interval is None else " – ".join(bound(x) for x in c.interval)
    busy = (f" ({c.disturbed_a}/{c.disturbed_b} disturbed"
            + (", left out)" if c.left_out else ")") if c.disturbed_a or c.disturbed_b else "")
    if few_launches(c.launches_a, c.launches_b):
        busy += f" ({c.launches_a}/{c.launches_b} launches)"
    return (f"| {c.level} | {c.a} vs {c.b} | {c.counter} | {fmt(c.median_a)} / {fmt(c.median_b)}"
            f" | {factor(c.ratio)} | {interval} | {c.n_a}/{c.n_b}{busy} | {num_label(c.band)} | "
            f"{c.outcome} |")


def cells_table(cells: Sequence[Cell]) -> List[str]:
    """Every cell of a row: where, the sides, both medians, the ratio with its interval."""
    if not cells:
        return []
    head = (f"| cell | sides | counter | medians | ratio | {CONFIDENCE * 100:.0f}% interval | "
            "n | band | outcome |")
    return ["", head, "|---|---|---|---|---|---|---|---|---|"] + [_cell_line(c) for c in cells]


def evidence(r: TableRow, level: str = "##") -> List[str]:
    out = [f"{level} {r.feature}", "",
           f"**{r.verdict.word}**" + (f": {r.verdict.detail}" if r.verdict.detail else "")
           + ".", "", f"- Rule: {r.rule}."]
    for module in dict.fromkeys([r.module] + r.also):
        for name, value, meaning in threshold_notes(module):
            out.append(f"- Threshold `{name} = {value}`: {meaning}")
    if r.pairs:
        out.append("- Pairs compared (from the catalogue): " + "; ".join(r.pairs) + ".")
    out += [f"- {note}" for note in r.notes]
    out += cells_table(r.cells)
    if r.used:
        out += ["", "| row | counter | median | cv | spread (min – max) | runs |",
                "|---|---|---|---|---|---|"]
        seen = set()
        for u in r.used:
            key = (u.row.name, u.counter)
            if key in seen:
                continue
            seen.add(key)
            cv = u.row.cv(u.counter)
            out.append(f"| `{u.row.name}` | {u.counter} | {fmt(u.row.value(u.counter))} | "
                       f"{'–' if cv is None else f'{cv * 100:.1f}%'} | "
                       f"{_spread(u.row, u.counter)} | {u.row.repetitions} |")
    return out + [""]


def bands(rows: Sequence[TableRow]) -> str:
    """'CPU-bound tasks 1.5, I/O-bound tasks 1.1': the band(s) each row's cells applied."""
    parts = []
    for r in rows:
        used = sorted({c.band for c in r.cells})
        if used:
            parts.append(f"{r.feature} {' and '.join(num_label(b) for b in used)}")
    return ", ".join(parts)


def interval_rule() -> str:
    """The sentences that say how a cell's interval is made and how the rounds' looks share its
    error, with the figures stats.py uses."""
    looks = len(planned_looks())
    return (f"The interval is the rank interval of the log ratio: the n_a x n_b differences "
            f"of the two sides' logarithms, from the k-th smallest to the k-th largest, k from "
            f"the exact Mann-Whitney distribution (it covers the true ratio of medians when "
            f"the two sides' spreads have one shape, whatever that shape), and from "
            f"{PLACEMENT_REPETITIONS} a side no narrower than the variance of the two samples' "
            f"placements allows (for spreads that differ). Below {MIN_REPETITIONS} "
            f"repetitions a side a cell has no interval and is undecided; so is a cell whose "
            f"repetitions on a side come from fewer than {MIN_LAUNCHES} launches of the program "
            f"(n says launches when a side has too few), since one launch's repetitions do not "
            f"see the spread between launches. The rounds look at a "
            f"cell each time it gains repetitions and stop at its first decision, so the "
            f"{CONFIDENCE * 100:.0f}% holds for all its looks together: each look's interval "
            f"is at {(1 - LOOK_ERROR) * 100:g}%, and a cell gets at most {looks} looks "
            f"({MIN_REPETITIONS} to {PLANNED_MAX_REPETITIONS} repetitions a side, {ROUND} a "
            f"round), which together miss with about {FAMILY_ERROR * 100:.1f}% (Pocock's "
            f"group-sequential design; `scripts/calibrate_verdicts.py` measures the coverage, "
            f"the cells decided on a band edge and the power of the whole procedure by "
            f"simulation).")


def legend(rows: Sequence[TableRow]) -> List[str]:
    """The one paragraph under the table: the medians, the interval, the bands, the rule."""
    applied = bands(rows)
    return [f"Every figure is the median of a row's repetitions; cv is their coefficient of "
            f"variation. Each comparison is a cell: the ratio of two medians, above 1 when it "
            f"favours the side named first (turned round for times and bytes), with a "
            f"{CONFIDENCE * 100:.0f}% interval and n, the repetitions read on each side. "
            + interval_rule() + " "
            + (f"Tie bands B: {applied}. " if applied else "")
            + "A cell is a **win** when its whole interval is above B, a **lose** when it is "
            "wholly below 1/B, a **tie** when it is wholly within 1/B to B (edges included), "
            "and **undecided** otherwise; an undecided cell is never counted as a win. "
            f"A repetition measured while other processes or steal took more of the machine "
            f"than the run's threshold (bench.sh --disturbed-share, {WARN_SHARE * 100:.0f}% "
            f"unless set; REPORT.md lists each pass and round) is disturbed: with "
            f"{MIN_REPETITIONS} quiet ones a side a cell reads only those; else a cell that "
            f"only its disturbed repetitions would decide is **{DISTURBED}**, which counts as "
            "undecided, and the rounds measure it again. A row's word follows from its cells; "
            f"**{UNDECIDED}**: its undecided cells could still give it another word. "
            f"**{BY_CONSTRUCTION}**: the claim cannot fail on any data (a one-thread loop "
            "cannot race with itself); what can be measured is shown beside it. "
            f"**{OTHER_REASON}**: the claim's word holds on the data, which contradict the "
            "reason it gives; its evidence says what they show instead. "
            "Each feature links to its evidence below."]


def points(rows: Sequence[TableRow]) -> List[str]:
    """The paragraph saying, per row, at which point its comparisons read both sides."""
    said = [f"- {r.feature}: {r.point}." for r in rows if r.point]
    if not said:
        return []
    return ["Each comparison reads both sides at one point, chosen by a rule, never the best "
            "of several rows:", ""] + said


def fibers_section(rows: Sequence[TableRow]) -> List[str]:
    """The section "Fibers: the third answer": a table of where the fibers land in each row,
    the points its comparisons read, then each row's evidence one level down. Its cells follow
    the legend above."""
    if not rows:
        return []
    out = [f"## {fibers.TITLE}", "", "Where the catalogue's fibers-side executors land on each "
           "row, against the threads and async executors they name as their pair and "
           "also_pair (every ratio above 1 favours the fibers). " + fibers.WORDS, "",
           "| Feature | Measured here | Where fibers land |", "|---|---|---|"]
    for r in rows:
        feature = r.feature.split(": ", 1)[-1]
        out.append(f"| [{feature}](#{r.anchor}) | {cell(r.measured)} | {_verdict_cell(r)} |")
    out += [""] + points(rows) + ([""] if points(rows) else [])
    for r in rows:
        out += evidence(r, "###")
    return out


def document(results: Results, rows: Sequence[TableRow], machine: str,
             fibers_rows: Sequence[TableRow] = ()) -> str:
    out = [f"# {TITLE}", "", f"Measured on {machine}.", ""]
    out += table(rows) + [""] + legend(list(rows) + list(fibers_rows)) + [""]
    out += points(rows) + ([""] if points(rows) else [])
    out += fibers_section(fibers_rows)
    for r in rows:
        out += evidence(r)
    if results.errors:
        out += ["## Rows that failed", "",
                f"{len(results.errors)} row(s) failed and were not used "
                "(REPORT.md says why):", ""]
        out += [f"- `{e.name}`: {e.message}" for e in results.errors]
        out.append("")
    return "\n".join(out)

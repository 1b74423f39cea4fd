"""The I/O row's rule, shared by io.py (timer rows) and io_net.py (the same rule on net rows):
per chefs level, the (threads, async) rows at the most customers both ran, and a cell of the
async side's median dishes/s over the threads side's, against IO_THROUGHPUT_RATIO. A module of
its own so that io.py, which calls io_net.py, and io_net.py both import it, and neither the
other."""

from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Tuple

from ..figures import IO_TIMER, chefs, customers, fmt, io_rows, num_label
from ..load import Results, Row
from ..stats import WIN
from .cells import OPEN, Cell, chefs_label, compare
from .common import DEPENDS, FAILS, HOLDS, Verdict, decided

IO_THROUGHPUT_RATIO = 1.10
"""The tie band of a chefs level: async wins it when the 95% interval of its median dishes/s
over the paired threads executor's lies wholly above this; wholly within 1/this to this is a
tie."""


def levels_of(results: Results, t: str, a: str,
              variant: str = IO_TIMER) -> Dict[int, Tuple[Row, Row]]:
    """Per chefs level, the (threads row, async row) at the most customers both ran, among the
    io profile's rows of one I/O variant (timer, net or net io_uring)."""
    cells: Dict[Tuple[int, int], Dict[str, Row]] = {}
    for r in io_rows(results, variant):
        if r.kind in (t, a):
            cells.setdefault((chefs(r), customers(r)), {})[r.kind] = r
    levels: Dict[int, Tuple[Row, Row]] = {}
    for (c, _), here in sorted(cells.items()):
        if t in here and a in here:
            levels[c] = (here[t], here[a])
    return levels


def _word(outcomes: Sequence[str]) -> str:
    """Ahead (a win) at every chefs level holds; at none does not hold; at some, depends."""
    ahead = sum(o == WIN for o in outcomes)
    return HOLDS if ahead == len(outcomes) else DEPENDS if ahead else FAILS


def judge(levels, pair: Tuple[str, str], where: str = "") -> Tuple[Verdict, List[Cell]]:
    """The verdict over one pair's chefs levels (`where` names the I/O variant in each cell's
    level), and the cells it read."""
    cells = [compare(a_row, t_row, "dishes_per_s", IO_THROUGHPUT_RATIO, pair=pair,
                     level=where + chefs_label(c))
             for c, (t_row, a_row) in sorted(levels.items())]
    found = list(zip(sorted(levels), cells))
    ahead = ", ".join(num_label(c) for c, cell in found if cell.outcome == WIN)
    open_ = ", ".join(num_label(c) for c, cell in found if cell.outcome in OPEN)
    verdict = decided(cells, _word)
    if verdict.word == HOLDS:
        phrase = "async ahead at every chefs level"
    elif verdict.word == FAILS:
        phrase = "async not ahead at any chefs level"
    elif verdict.word == DEPENDS:
        phrase = (f"on the chefs: async ahead at {ahead} only" if not open_ else
                  f"on the chefs: async ahead at {ahead}, undecided at {open_}")
    else:
        phrase = f"undecided at {open_} chefs" + (f"; ahead at {ahead}" if ahead else "")
    detail = "; ".join(f"{chefs_label(c)}: async {cell.text()}" for c, cell in found)
    return replace(verdict, short=phrase, detail=detail), cells


PEAK = "peak_in_preparation"


def filled(r: Row) -> Optional[bool]:
    """Whether the row kept as many dishes in preparation as it has chefs at some moment (the
    median over its repetitions of each one's peak), None when the row does not say."""
    if PEAK not in r.counters:
        return None
    return r.counters[PEAK] >= chefs(r)


def kept_text(r: Row, brief: bool = False) -> str:
    """The dishes a row kept in preparation at most: '1,000' when it filled its chefs, else
    'filled 612 of 1,000' (unless brief, with its repetitions' spread when they differ and the
    customers when there were fewer orders than chefs)."""
    if PEAK not in r.counters:
        return "not recorded"
    peak = r.counters[PEAK]
    if filled(r):
        return fmt(peak)
    lo, hi = r.spread(PEAK)
    text = f"filled {fmt(peak)} of {num_label(chefs(r))}"
    more = ([f"only {num_label(customers(r))} customers"] if customers(r) < chefs(r) else []) \
        + ([f"repetitions {fmt(lo)}–{fmt(hi)}"] if lo != hi else [])
    return text if brief or not more else f"{text} ({'; '.join(more)})"


def kept_note(levels: Dict[int, Tuple[Row, Row]], where: str = "") -> Optional[str]:
    """'Dishes kept in preparation at once (peak_in_preparation, median of the repetitions):
    10 chefs: threads_pool 10, asio_coro 10; 1,000 chefs: threads_pool filled 612 of 1,000,
    asio_coro 1,000.' None when no row says."""
    parts = []
    for c, (t_row, a_row) in sorted(levels.items()):
        said = [f"{r.kind} {kept_text(r)}" for r in (t_row, a_row) if PEAK in r.counters]
        if said:
            parts.append(f"{chefs_label(c)}: {', '.join(said)}")
    if not parts:
        return None
    return (f"Dishes kept in preparation at once{where} ({PEAK}, median of the repetitions): "
            + "; ".join(parts) + ".")

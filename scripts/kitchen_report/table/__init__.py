"""The async-vs-threads pros/cons table, rebuilt row by row from measured rows.

One module per row, each holding its thresholds (documented constants), its rule and its words;
markdown.py lays the rows out; fibers.py asks the same rows of the fibers side, a section of
its own. No verdict is written by hand. Every comparison a row makes is a
cell (cells.py); undecided_cells() lists those an interval does not decide yet, for a driver
that measures their rows again.
"""

from typing import List

from ..load import Results
from . import complexity, concurrency, cpu, errors, fibers, io, learning, memory
from .cells import OPEN, Cell
from .common import TableRow

ROWS = (concurrency, cpu, io, memory, complexity, errors, learning)


def evaluate(results: Results) -> List[TableRow]:
    return [module.evaluate(results) for module in ROWS]


def fibers_section(results: Results) -> List[TableRow]:
    """The section "Fibers: the third answer" (fibers.py): the seven rows again, asking where
    the catalogue's fibers-side executors land; empty when it has none."""
    return fibers.evaluate(results)


def cells(results: Results) -> List[Cell]:
    """Every cell the table reads, row by row, then the fibers section's."""
    return [c for row in evaluate(results) + fibers_section(results) for c in row.cells]


def undecided_cells(results: Results) -> List[Cell]:
    """The cells whose interval does not decide their outcome, or decides it only from
    repetitions measured while the machine was busy (disturbed): each names the benchmark rows
    it read (Cell.rows), which are the rows worth measuring again. Pure: reads `results`
    only."""
    return open_cells(cells(results))


def open_cells(found: List[Cell]) -> List[Cell]:
    """The cells among `found` that the rounds measure again: undecided or disturbed."""
    return [c for c in found if c.outcome in OPEN]


def undecided_rows(results: Results) -> List[str]:
    """The benchmark rows behind the undecided cells, each once, in the table's order."""
    return list(dict.fromkeys(name for c in undecided_cells(results) for name in c.rows))

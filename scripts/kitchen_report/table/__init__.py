"""The article's async-vs-threads table, rebuilt row by row from measured rows.

One module per row, each holding its thresholds (documented constants), its rule and its words;
markdown.py lays the rows out. No verdict is written by hand.
"""

from typing import List

from ..load import Results
from . import complexity, concurrency, cpu, errors, io, learning, memory
from .common import TableRow

ROWS = (concurrency, cpu, io, memory, complexity, errors, learning)


def evaluate(results: Results) -> List[TableRow]:
    return [module.evaluate(results) for module in ROWS]

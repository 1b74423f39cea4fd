"""Learning curve. The claim: async is "steeper", threads "easier". No benchmark measures
learning: the verdict is "not measurable", and the lines of code of each paired executor are
shown as a labelled proxy: `source_lines` in the catalogue, counted at build time, which for a
C++ executor is its own file plus every project header it includes, directly or through another
(its share of the model, the helpers and the shared coroutine kitchen), each counted once."""

from ..load import Results
from .common import UNMEASURABLE, TableRow, Verdict, pair_label, pairs


def evaluate(results: Results) -> TableRow:
    row = TableRow("Learning curve", "learning-curve", "steeper", "easier",
                   "none: no benchmark measures learning", __name__,
                   Verdict(UNMEASURABLE, "no benchmark measures learning"))
    c = results.catalogue
    for t, a in pairs(results):
        lines = [c.get(t).source_lines, c.get(a).source_lines]
        if None in lines:
            continue
        row.pairs.append(pair_label(results, (t, a)))
        row.notes.append(f"Proxy only: {a} is {lines[1]} lines, {t} {lines[0]} lines, each its own "
                         "file with the project headers it includes.")
        if not row.measured:
            row.measured = f"proxy: {a} {lines[1]} lines of code; {t} {lines[0]}"
    return row

"""Learning curve. The claim: async is "steeper", threads "easier". No benchmark measures
learning: the verdict is "not measurable", and the lines of code of each paired executor
(`source_lines` in the catalogue, counted at build time) are shown as a labelled proxy."""

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
        row.notes.append(f"Proxy only: {a} is {lines[1]} lines, {t} {lines[0]} lines.")
        if not row.measured:
            row.measured = f"proxy: {a} {lines[1]} lines of code; {t} {lines[0]}"
    return row

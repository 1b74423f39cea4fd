"""What every row of the table shares: the verdict words, the evidence a row keeps (the rows it
used, with medians, CVs and spreads), and the comparison of two medians within a pair.

A row module (concurrency, cpu, io, memory, complexity, errors, learning) holds its own
thresholds, rule and words, and returns a TableRow; markdown.py only lays them out.
"""

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..figures import fmt, times
from ..load import Results, Row
from ..stats import overlap

HOLDS, FAILS, DEPENDS = "holds", "does not hold", "depends"
BY_CONSTRUCTION, NOISE = "by construction", "within noise"
UNMEASURED, UNMEASURABLE = "not measured", "not measurable"


@dataclass(frozen=True)
class Verdict:
    word: str
    short: str = ""       # at most 12 words, for the table's cell
    detail: str = ""      # the full reasoning, for the evidence section


@dataclass(frozen=True)
class Used:
    """One figure the verdict read: a row, its counter, and a label saying what it stands for."""
    row: Row
    counter: str
    label: str = ""


@dataclass
class TableRow:
    feature: str
    anchor: str
    claim_async: str
    claim_threads: str
    rule: str
    module: str                         # the module of the thresholds (their docstrings are shown)
    verdict: Verdict = Verdict(UNMEASURED, "not in this run")
    measured: str = ""                  # one headline figure per side
    pairs: List[str] = field(default_factory=list)
    used: List[Used] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


def side_of(results: Results, name: str) -> Optional[str]:
    return results.catalogue.side(name)


def pairs(results: Results, language: Optional[str] = None) -> List[Tuple[str, str]]:
    """The catalogue's (threads, async) pairs, of one language if given."""
    c = results.catalogue
    return [p for p in c.pairs() if language is None or c.language(p[0]) == language]


def pair_label(results: Results, pair: Tuple[str, str]) -> str:
    """'<threads> vs <async>', with the Python constructs they stand for when catalogued."""
    c = results.catalogue
    t, a = (c.get(n) for n in pair)
    python = f" ({t.python} vs {a.python})" if t and a and t.python and a.python else ""
    return f"{pair[0]} vs {pair[1]}{python}"


def cv_text(row: Row, counter: str) -> str:
    c = row.cv(counter)
    return "1 run" if c is None else f"cv {c * 100:.0f}%" if c >= 0.01 else "cv <1%"


def figure(row: Row, counter: str, unit: str = "") -> str:
    """'9,300 dishes/s (cv 2%)'."""
    return f"{fmt(row.value(counter))}{unit} ({cv_text(row, counter)})"


@dataclass(frozen=True)
class Comparison:
    outcome: str      # "win", "lose", "tie" or "noise", seen from `first`
    ratio: float      # first's median over second's, higher is better for `first`


def compare(first: Row, second: Row, counter: str, threshold: float,
            higher_is_better: bool = True) -> Comparison:
    """first against second on one counter: 'noise' when their spreads overlap, else 'win' or
    'lose' when the better one is at least `threshold` times the other, else 'tie'."""
    a, b = first.value(counter), second.value(counter)
    if higher_is_better:
        ratio = a / b if b > 0 else (float("inf") if a > 0 else 1.0)
    else:
        ratio = b / a if a > 0 else (float("inf") if b > 0 else 1.0)
    if overlap(first.spread(counter), second.spread(counter)):
        return Comparison("noise", ratio)
    if ratio >= threshold:
        return Comparison("win", ratio)
    return Comparison("lose" if ratio <= 1 / threshold else "tie", ratio)


def ratio_text(c: Comparison) -> str:
    return times(c.ratio)


def combine(parts: Sequence[Tuple[str, Verdict]], on: str) -> Verdict:
    """One verdict from several scopes (pairs, languages, halves of a claim): their word if
    they agree, else "depends" on `on`. Unmeasured parts are left out."""
    measured = [(label, v) for label, v in parts if v.word not in (UNMEASURED,)]
    if not measured:
        return Verdict(UNMEASURED, "not in this run",
                       "; ".join(v.detail for _, v in parts if v.detail))
    detail = "; ".join(f"{label}: {v.word}" + (f" ({v.detail})" if v.detail else "")
                       for label, v in measured)
    if len(measured) == 1:
        return Verdict(measured[0][1].word, measured[0][1].short, detail)
    words = {v.word for _, v in measured}
    if len(words) == 1:
        return Verdict(words.pop(), measured[0][1].short, detail)
    return Verdict(DEPENDS, f"on {on}", detail)


def short(text: str, words: int = 12) -> str:
    """At most `words` words."""
    parts = text.split()
    return " ".join(parts[:words])

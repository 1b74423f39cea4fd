"""What every row of the table shares: the verdict words, the evidence a row keeps (the rows it
used, with medians, CVs and spreads, and its cells: cells.py), and how the verdicts of a row's
scopes make one.

A row module (concurrency, cpu, io, memory, complexity, errors, learning) holds its own
thresholds, rule and words, and returns a TableRow; markdown.py only lays them out.
"""

import itertools
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from ..figures import fmt
from ..load import Results, Row
from .cells import Cell, settled, stamped

HOLDS, FAILS, DEPENDS = "holds", "does not hold", "depends"
BY_CONSTRUCTION, UNMEASURED, UNMEASURABLE = "by construction", "not measured", "not measurable"
# The claim's word holds on the data, but the data contradict the reason the claim gives.
OTHER_REASON = "holds for another reason"
# The word of a verdict whose undecided cells could still give it more than one word.
UNDECIDED = "undecided"
# Stands for any word, in `could` of an undecided verdict that cannot say which it may become.
_ANY = "?"


@dataclass(frozen=True)
class Verdict:
    word: str
    short: str = ""       # at most 12 words, for the table's cell
    detail: str = ""      # the full reasoning, for the evidence section
    could: Tuple[str, ...] = ()   # undecided only: the words its undecided cells still allow


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
    cells: List[Cell] = field(default_factory=list)
    also: List[str] = field(default_factory=list)   # more modules whose thresholds it applies
    point: str = ""                     # the rule choosing where its comparisons read both sides

    def add(self, cells: Sequence[Cell]) -> None:
        """Keep cells this row read, stamped with its anchor."""
        self.cells += stamped(self.anchor, cells)


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


def decided(cells: Sequence[Cell], rule: Callable[[Sequence[str]], str]) -> Verdict:
    """The verdict word `rule` gives on the cells' outcomes, if every way their undecided
    cells can still turn out gives that word; else undecided, with the words it could be.
    Only the word: the caller adds its phrase and detail (dataclasses.replace)."""
    words = settled(cells, rule)
    if len(words) == 1:
        return Verdict(next(iter(words)))
    return Verdict(UNDECIDED, could=tuple(sorted(words)) or (_ANY,))


def _joined(words: Sequence[str]) -> str:
    """The plain rule for one way the parts can turn out: agreeing parts give their word, two
    different words "depends"; an unknown part (_ANY) leaves an agreement unknown."""
    known = set(words) - {_ANY}
    if len(known) > 1:
        return DEPENDS
    return _ANY if _ANY in words or not known else known.pop()


def combine(parts: Sequence[Tuple[str, Verdict]], on: str) -> Verdict:
    """One verdict from several scopes (pairs, languages, halves of a claim): their word if
    they agree, else "depends" on `on`. Unmeasured parts are left out. An undecided part
    counts as each word it could still be: the whole is decided only if every way gives the
    same word (two decided parts that differ already make it "depends")."""
    measured = [(label, v) for label, v in parts if v.word not in (UNMEASURED,)]
    if not measured:
        return Verdict(UNMEASURED, "not in this run",
                       "; ".join(v.detail for _, v in parts if v.detail))
    detail = "; ".join(f"{label}: {v.word}" + (f" ({v.detail})" if v.detail else "")
                       for label, v in measured)
    if len(measured) == 1:
        v = measured[0][1]
        return Verdict(v.word, v.short, detail, v.could)
    options = [(v.could or (_ANY,)) if v.word == UNDECIDED else (v.word,) for _, v in measured]
    ways = {_joined(way) for way in itertools.product(*options)}
    if len(ways) == 1 and _ANY not in ways:
        word = ways.pop()
        agree = all(v.word == word for _, v in measured)
        return Verdict(word, measured[0][1].short if agree else f"on {on}", detail)
    could = () if _ANY in ways else tuple(sorted(ways))
    return Verdict(UNDECIDED, could_text(could), detail, could or (_ANY,))


def could_text(could: Sequence[str]) -> str:
    """'could still be holds or depends', the short words of an undecided verdict."""
    known = [w for w in could if w != _ANY]
    return f"could still be {' or '.join(known)}" if known else "its cells do not decide it"


def short(text: str, words: int = 12) -> str:
    """At most `words` words; a cut one ends in an ellipsis, without the comma or semicolon it
    was cut at, so that a list cut short ("ahead at 100, 1,000") does not read as whole."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + " …"

"""Two runs' verdicts.json, cell by cell: which cells changed outcome, and how.

A cell is matched across runs by its row, pair, level, counter and sides. A change between win
and lose is a contradiction: the two runs claim opposite things. A decided cell that became
undecided is a weakening, the reverse a strengthening; a move between tie and a win or a loss
is a shift (each run's interval was decided, on different sides of a band edge). Apart from
outcomes, the cells decided in both runs whose intervals do not overlap are counted and named:
two honest intervals of one ratio rarely miss each other."""

from typing import Dict, List, Optional, Sequence, Tuple

from .stats import LOSE, TIE, UNDECIDED, WIN, overlap
from .verdicts import all_rows, read

DECIDED = (WIN, LOSE, TIE)

CONTRADICTION, WEAKENING, STRENGTHENING, SHIFT = (
    "contradiction", "weakening", "strengthening", "shift")


def key(cell: dict) -> Tuple[str, ...]:
    return (cell["row"], "/".join(cell["pair"]), cell["level"], cell["counter"], cell["a"],
            cell["b"])


def change(old: str, new: str) -> str:
    """What a change of outcome is (the two outcomes differ)."""
    if {old, new} == {WIN, LOSE}:
        return CONTRADICTION
    if new == UNDECIDED:
        return WEAKENING
    if old == UNDECIDED:
        return STRENGTHENING
    return SHIFT


def _cells(doc: dict) -> Dict[Tuple[str, ...], dict]:
    return {key(c): c for row in all_rows(doc) for c in row["cells"]}


def _text(cell: dict) -> str:
    ratio, interval = cell["ratio"], cell["interval"]
    r = "∞" if ratio is None else f"{ratio:.2f}x"
    if interval is None:
        span = "no interval"
    else:
        span = "–".join("∞" if x is None else f"{x:.2f}" for x in interval)
    return f"{cell['outcome']} {r} [{span}] n={cell['n_a']}/{cell['n_b']}"


def _interval(cell: dict) -> Optional[Tuple[float, float]]:
    """A cell's interval with an end written as null (not finite) read as infinite."""
    iv = cell["interval"]
    if iv is None:
        return None
    lo, hi = iv
    return (float("inf") if lo is None else lo, float("inf") if hi is None else hi)


def disjoint(old: Dict[Tuple[str, ...], dict],
             new: Dict[Tuple[str, ...], dict]) -> List[Tuple[str, ...]]:
    """The cells decided in both runs (win, lose or tie) whose intervals share no value."""
    found = []
    for k in old:
        if k not in new or old[k]["outcome"] not in DECIDED or new[k]["outcome"] not in DECIDED:
            continue
        a, b = _interval(old[k]), _interval(new[k])
        if a is not None and b is not None and not overlap(a, b):
            found.append(k)
    return found


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.0f}%" if whole else "–"


def lines(a: dict, b: dict, a_name: str, b_name: str) -> Tuple[List[str], int]:
    """The report and the exit status: 1 when any cell contradicts, else 0."""
    old, new = _cells(a), _cells(b)
    shared = [k for k in old if k in new]
    changed = [(change(old[k]["outcome"], new[k]["outcome"]), k) for k in shared
               if old[k]["outcome"] != new[k]["outcome"]]
    order = (CONTRADICTION, WEAKENING, SHIFT, STRENGTHENING)
    changed.sort(key=lambda c: order.index(c[0]))
    out = [f"A: {a_name}" + (f" ({a['machine']})" if a.get("machine") else ""),
           f"B: {b_name}" + (f" ({b['machine']})" if b.get("machine") else ""), ""]
    if changed:
        out.append("Cells whose outcome differs (A -> B):")
        for kind, k in changed:
            row, pair, level, counter, first, second = k
            out.append(f"- {kind}: {row} | {first} vs {second} | {level} | {counter}: "
                       f"{_text(old[k])} -> {_text(new[k])}")
    else:
        out.append("No cell differs in outcome.")
    only_a = [k for k in old if k not in new]
    only_b = [k for k in new if k not in old]
    for name, keys in (("A", only_a), ("B", only_b)):
        for row, pair, level, counter, first, second in keys:
            out.append(f"- only in {name}: {row} | {first} vs {second} | {level} | {counter}")
    count = {kind: sum(1 for c, _ in changed if c == kind) for kind in order}
    same = len(shared) - len(changed)
    undecided = [sum(c["outcome"] == UNDECIDED for c in cells.values()) for cells in (old, new)]
    apart = disjoint(old, new)
    decided_both = sum(1 for k in shared if old[k]["outcome"] in DECIDED
                       and new[k]["outcome"] in DECIDED)
    out += ["", f"Cells decided in both runs whose intervals do not overlap: {len(apart)} of "
            f"{decided_both}" + (":" if apart else ".")]
    for k in apart:
        row, pair, level, counter, first, second = k
        out.append(f"- disjoint: {row} | {first} vs {second} | {level} | {counter}: "
                   f"{_text(old[k])} -> {_text(new[k])}")
    out += ["", f"{len(shared)} cells compared, {same} with the same outcome "
            f"({_share(same, len(shared))}); {count[CONTRADICTION]} contradictions, "
            f"{count[WEAKENING]} weakenings, {count[STRENGTHENING]} strengthenings, "
            f"{count[SHIFT]} shifts; undecided: {undecided[0]} of {len(old)} in A "
            f"({_share(undecided[0], len(old))}), {undecided[1]} of {len(new)} in B "
            f"({_share(undecided[1], len(new))}); {len(only_a)} cells only in A, "
            f"{len(only_b)} only in B", ""]
    out += _words(a, b)
    return out, 1 if count[CONTRADICTION] else 0


def _words(a: dict, b: dict) -> List[str]:
    """The verdict words side by side, one line per feature, in A's order."""
    words_b = {r["feature"]: r["verdict"] for r in b["rows"]}
    features = [r["feature"] for r in a["rows"]]
    features += [f for f in words_b if f not in features]
    words_a = {r["feature"]: r["verdict"] for r in a["rows"]}
    width = max((len(f) for f in features), default=7)
    out = [f"{'feature':<{width}}  {'A':<16}  B"]
    for f in features:
        wa, wb = words_a.get(f, "-"), words_b.get(f, "-")
        out.append(f"{f:<{width}}  {wa:<16}  " + (wb if wa == wb else f"{wb:<16}  differs"))
    same = sum(words_a.get(f) == words_b.get(f) for f in features)
    out.append(f"{same} of {len(features)} verdict words the same")
    return out


def run(paths: Sequence[str]) -> Tuple[List[str], int]:
    a, b = read(paths[0]), read(paths[1])
    return lines(a, b, paths[0], paths[1])

"""verdicts.json: the table's seven verdict words and every cell behind them, machine-readable,
so that two runs can be compared cell by cell (verdicts_compare.py). Standard library only.

{"format": "kitchen-verdicts", "version": 1, "machine": "...",
 "interval": {"statistic": "ratio of medians", "method": "...", "confidence": 0.95,
              "min_repetitions": 5, "min_launches": 2, "planned_max_repetitions": 15,
              "round": 2, "look_error": 0.01, "family_error": 0.037},
 "rule": "...",
 "rows": [{"feature": "I/O-bound tasks", "anchor": "io-bound-tasks", "verdict": "depends",
           "short": "...", "cells": [CELL, ...]}, ...],
 "fibers": {"title": "Fibers: the third answer", "rows": [ROW, ...]}}

CELL: {"row", "pair": [threads, async], "level", "counter", "a", "b", "higher_is_better",
       "median_a", "median_b", "ratio", "interval": [lo, hi] or null, "band", "outcome",
       "n_a", "n_b", "launches_a", "launches_b", "rows": [a's row, b's row], "disturbed_a",
       "disturbed_b", "left_out"}.
The outcome is win, lose, tie, undecided, or disturbed (decided only by repetitions measured
while the machine was busy; table/cells.py). launches_a and launches_b count the launches of
the program each side's n repetitions came from (files written before they were counted lack
them). disturbed_a and disturbed_b count each side's disturbed repetitions; left_out says they
were left out, n_a and n_b then the quiet ones. A number that is not finite (a ratio over a
side that took no time) is written as null, so that any strict JSON reader accepts the file.
"""

import json
import math
import os
from typing import Sequence

from .atomic import write_text
from .load import LoadError
from .stats import (CONFIDENCE, DISTURBED, FAMILY_ERROR, LOOK_ERROR, LOSE, MIN_LAUNCHES,
                    MIN_REPETITIONS, PLANNED_MAX_REPETITIONS, ROUND, TIE, UNDECIDED, WIN)
from .table.cells import METHOD, Cell
from .table.common import TableRow
from .table.fibers import TITLE as FIBERS_TITLE

FORMAT, VERSION = "kitchen-verdicts", 1
# The key of the section "Fibers: the third answer": {"title", "rows": [ROW, ...]}, its rows in
# the schema of "rows"; present when the catalogue has fibers-side executors.
FIBERS = "fibers"
FILE = "verdicts.json"
OUTCOMES = (WIN, LOSE, TIE, UNDECIDED, DISTURBED)
RULE = ("win: the whole interval above the band B; lose: wholly below 1/B; tie: wholly within "
        "1/B to B, edges included; undecided: otherwise, or fewer than "
        f"{MIN_REPETITIONS} repetitions a side, or a side's from fewer than {MIN_LAUNCHES} "
        "launches of the program; disturbed: decided only with repetitions measured while the "
        "machine was busy")
CELL_FIELDS = ("row", "pair", "level", "counter", "a", "b", "higher_is_better", "median_a",
               "median_b", "ratio", "interval", "band", "outcome", "n_a", "n_b", "rows")


def _finite(value):
    """The value with every NaN or infinity replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def cell_json(c: Cell) -> dict:
    return {"row": c.row, "pair": list(c.pair), "level": c.level, "counter": c.counter,
            "a": c.a, "b": c.b, "higher_is_better": c.higher_is_better,
            "median_a": c.median_a, "median_b": c.median_b, "ratio": c.ratio,
            "interval": None if c.interval is None else list(c.interval), "band": c.band,
            "outcome": c.outcome, "n_a": c.n_a, "n_b": c.n_b, "launches_a": c.launches_a,
            "launches_b": c.launches_b, "rows": list(c.rows),
            "disturbed_a": c.disturbed_a, "disturbed_b": c.disturbed_b, "left_out": c.left_out}


def _rows_json(rows: Sequence[TableRow]) -> list:
    return [{"feature": r.feature, "anchor": r.anchor, "verdict": r.verdict.word,
             "short": r.verdict.short, "cells": [cell_json(c) for c in r.cells]} for r in rows]


def document(rows: Sequence[TableRow], machine: str = "",
             fibers_rows: Sequence[TableRow] = ()) -> dict:
    doc = {"format": FORMAT, "version": VERSION, "machine": machine,
            "interval": {"statistic": "ratio of medians", "method": METHOD,
                         "confidence": CONFIDENCE, "min_repetitions": MIN_REPETITIONS,
                         "min_launches": MIN_LAUNCHES,
                         "planned_max_repetitions": PLANNED_MAX_REPETITIONS, "round": ROUND,
                         "look_error": LOOK_ERROR, "family_error": FAMILY_ERROR},
            "rule": RULE,
            "rows": _rows_json(rows)}
    if fibers_rows:
        doc[FIBERS] = {"title": FIBERS_TITLE, "rows": _rows_json(fibers_rows)}
    return doc


def dumps(doc: dict) -> str:
    return json.dumps(_finite(doc), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write(path: str, rows: Sequence[TableRow], machine: str = "",
          fibers_rows: Sequence[TableRow] = ()) -> None:
    write_text(path, dumps(document(rows, machine, fibers_rows)))


def all_rows(doc: dict) -> list:
    """The table's rows, then the fibers section's (absent in files written before it)."""
    return list(doc["rows"]) + list(doc.get(FIBERS, {}).get("rows", []))


class _NotFinite(ValueError):
    pass


def _refuse(constant: str):
    raise _NotFinite(constant)


def read(given: str) -> dict:
    """A verdicts.json (a run folder stands for the one in it), checked; LoadError if unusable."""
    path = os.path.join(given, FILE) if os.path.isdir(given) else given
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.loads(f.read(), parse_constant=_refuse)
    except OSError as e:
        raise LoadError(f"cannot read {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise LoadError(f"{path} is not UTF-8 text, so not a verdicts.json") from None
    except _NotFinite as e:
        raise LoadError(f"{path} holds {e}, which strict JSON refuses (a number that is not "
                        "finite is written as null)") from None
    except ValueError as e:  # JSONDecodeError is one
        raise LoadError(f"{path} is not strict JSON ({e}); was it cut short?") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise LoadError(f"{path} is JSON but not a verdicts.json (needs \"format\": "
                        f"\"{FORMAT}\"; pros_cons.py --verdicts writes one)")
    if doc.get("version") != VERSION:
        raise LoadError(f"{path}: version {json.dumps(doc.get('version'))}; this compare.py "
                        f"reads version {VERSION}")
    rows = doc.get("rows")
    if not isinstance(rows, list):
        raise LoadError(f"{path}: 'rows' is not a list")
    section = doc.get(FIBERS, {"rows": []})
    if not isinstance(section, dict) or not isinstance(section.get("rows"), list):
        raise LoadError(f"{path}: '{FIBERS}' is not an object with a 'rows' list")
    for i, row in enumerate(all_rows(doc)):
        if (not isinstance(row, dict) or not isinstance(row.get("feature"), str)
                or not isinstance(row.get("verdict"), str)
                or not isinstance(row.get("cells"), list)):
            raise LoadError(f"{path}: row {i} needs a 'feature', a 'verdict' and a 'cells' list")
        for j, cell in enumerate(row["cells"]):
            missing = [k for k in CELL_FIELDS if not isinstance(cell, dict) or k not in cell]
            if missing:
                raise LoadError(f"{path}: row '{row['feature']}', cell {j} lacks "
                                f"{', '.join(missing)}")
            if cell["outcome"] not in OUTCOMES:
                raise LoadError(f"{path}: row '{row['feature']}', cell {j}: outcome "
                                f"{json.dumps(cell['outcome'])}; expected one of "
                                f"{', '.join(OUTCOMES)}")
    return doc

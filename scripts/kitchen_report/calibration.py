"""What the verdicts' decision procedure does on cells whose true ratio is known: simulated
repetitions go through the table's own code (table/cells.py's compare, table/__init__.py's
open_cells) and the rounds' own (scripts/lib/rounds.py's pending and next_round), rounds
included, up to the rounds' cap, and the final cells are counted. calibrate_verdicts.py prints
and writes the figures.

A simulated cell has two rows of log-normal repetitions (the same cv on both sides), the first
with median `ratio` and the second with median 1, so that the true ratio of medians is `ratio`.
Both start with the kitchen sweep's 3 repetitions (the other passes' 5 are the same cell after
one round), from the two launches bench.sh splits them over (bench_run.launch_shares: 2, then
1); each round adds the rounds' ROUND repetitions to every row an open cell names, in a launch
of its own, until it is decided or its rows have the cap. Each repetition names its launch
(Row.measured_by), so the table's launch rule (stats.MIN_LAUNCHES) is applied as on a run; the
spread between launches is not simulated (every repetition is drawn from one distribution), so
the rule never decides a simulated cell's outcome. The rounds' time budget is not simulated
either: a cell here gets every round the cap allows.

Per setting (a cv and a tie band, the bands the table's row modules use):
- edge: the true ratio on a band edge (B, then 1/B, in turn): the share decided is
  `edge_decided`, which the procedure must keep at or below its 5%;
- tie: the true ratio 1.0, and win: two bands out (B squared): the shares decided correctly
  are the power;
- coverage: the share of final intervals, over all three, that hold the true ratio.
"""

import math
import os
import random
import statistics
import sys
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from .load import Row
from .stats import LOOK_ERROR, LOSE, PLANNED_MAX_REPETITIONS, ROUND, TIE, WIN, planned_looks
from .table import cpu, errors, io_rule, memory
from .table import open_cells
from .table.cells import compare

# The rounds' decision functions live beside their driver, in scripts/lib.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
import bench_run  # noqa: E402
import rounds  # noqa: E402

# The tie bands the table's rows apply, read from their modules.
BANDS = tuple(sorted({io_rule.IO_THROUGHPUT_RATIO, cpu.CPU_SPEEDUP_PARALLEL,
                      memory.MEMORY_RATIO, errors.CANCEL_RATIO}))
CVS = (0.02, 0.05, 0.15)
CELLS = 2000
SEED = 1
# The kitchen sweep's repetitions, before any round.
START = 3
# The simulated pass's name, which its launches' and rounds' records are named after.
PASS = "simulated"
COUNTER = "dishes_per_s"
SCENARIOS = ("edge", "tie", "win")
DECIDED = (WIN, LOSE, TIE)

# The targets (issue 30): a 95% procedure, less the Monte Carlo error at 2,000 cells.
COVERAGE_MIN = 0.94
EDGE_DECIDED_MAX = 0.06
POWER_MIN = 0.9
POWER_CVS = (0.02, 0.05)


@dataclass(frozen=True)
class Final:
    """A simulated cell where the rounds left it."""
    outcome: str
    covered: bool
    n_a: int
    n_b: int


def _row(name: str, values: Sequence[float], measured_by: Sequence[str]) -> Row:
    ordered = sorted(values)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return Row(name=name, family="kitchen", kind=name.split("/")[1], profile="io", params={},
               flags=frozenset(), counters={COUNTER: median}, real_ms=1.0, cpu_ms=1.0,
               source="simulated", samples={COUNTER: tuple(values)},
               measured_by=tuple(measured_by))


def _first_launches() -> List[str]:
    """The launch each of a pass's START repetitions comes from, as bench.sh splits them."""
    return [bench_run.launch_name(PASS, k)
            for k, share in enumerate(bench_run.launch_shares(START), 1) for _ in range(share)]


def simulate_cell(rng: random.Random, true_ratio: float, cv_a: float, cv_b: float, band: float,
                  cap: int = PLANNED_MAX_REPETITIONS) -> Final:
    """One cell through the table's decision and the rounds, to its decision or the cap."""
    sigma_a = math.sqrt(math.log(1 + cv_a * cv_a))
    sigma_b = math.sqrt(math.log(1 + cv_b * cv_b))
    mu_a = math.log(true_ratio)
    names = ("kitchen/sim_a/io/x", "kitchen/sim_b/io/x")
    drawn = {names[0]: [rng.lognormvariate(mu_a, sigma_a) for _ in range(START)],
             names[1]: [rng.lognormvariate(0.0, sigma_b) for _ in range(START)]}
    draw = {names[0]: lambda: rng.lognormvariate(mu_a, sigma_a),
            names[1]: lambda: rng.lognormvariate(0.0, sigma_b)}
    launches = {n: _first_launches() for n in names}
    number = 0
    while True:
        cell = compare(_row(names[0], drawn[names[0]], launches[names[0]]),
                       _row(names[1], drawn[names[1]], launches[names[1]]),
                       COUNTER, band, pair=("sim_b", "sim_a"), level="simulated")
        items = rounds.pending(open_cells([cell]))
        again, _ = rounds.next_round(items, {n: len(v) for n, v in drawn.items()}, cap)
        if not items or not again:
            break
        number += 1
        for name in again:
            drawn[name] += [draw[name]() for _ in range(ROUND)]
            launches[name] += [f"{PASS}.round{number}.0"] * ROUND
    iv = cell.interval
    return Final(cell.outcome, iv is not None and iv[0] <= true_ratio <= iv[1],
                 cell.n_a, cell.n_b)


def looks_family_error(draws: int = 200_000, seed: int = SEED) -> float:
    """The chance that any of a cell's planned looks (stats.planned_looks), each at LOOK_ERROR,
    misses, when the looks' statistics are jointly normal as sums over shared repetitions are
    (the statistic at m repetitions is the sum of m independent steps over the square root of
    m): the group-sequential design's family error, by seeded simulation."""
    rng = random.Random(seed)
    limit = statistics.NormalDist().inv_cdf(1 - LOOK_ERROR / 2)
    looks = planned_looks()
    missed = 0
    for _ in range(draws):
        total, before = 0.0, 0
        for m in looks:
            total += rng.gauss(0.0, math.sqrt(m - before))
            before = m
            if abs(total) > limit * math.sqrt(m):
                missed += 1
                break
    return missed / draws


def _true_ratio(scenario: str, band: float, i: int) -> float:
    if scenario == "edge":
        return band if i % 2 == 0 else 1 / band
    return 1.0 if scenario == "tie" else band * band


def run_setting(cv: float, band: float, cells: int = CELLS, seed: int = SEED,
                cv_b: float = 0.0) -> dict:
    """The figures of one setting: each scenario with its own seeded stream."""
    found: Dict[str, List[Final]] = {}
    for scenario in SCENARIOS:
        rng = random.Random(f"{seed}/{cv}/{cv_b or cv}/{band}/{scenario}")
        found[scenario] = [simulate_cell(rng, _true_ratio(scenario, band, i), cv, cv_b or cv,
                                         band) for i in range(cells)]
    return summary(cv, band, cells, found, cv_b)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summary(cv: float, band: float, cells: int, found: Dict[str, List[Final]],
            cv_b: float = 0.0) -> dict:
    every = [f for finals in found.values() for f in finals]
    counts = {s: {o: sum(f.outcome == o for f in finals)
                  for o in sorted({f.outcome for f in finals})} for s, finals in found.items()}
    covered = {s: sum(f.covered for f in finals) for s, finals in found.items()}
    correct = {"tie": sum(f.outcome == TIE for f in found["tie"]),
               "win": sum(f.outcome == WIN for f in found["win"])}
    decided_edge = sum(f.outcome in DECIDED for f in found["edge"])
    mean_n = {s: round(sum(f.n_a + f.n_b for f in finals) / (2 * len(finals)), 2)
              for s, finals in found.items()}
    return {"cv": cv, "cv_b": cv_b or cv, "band": band, "cells": cells,
            "coverage": _share(sum(covered.values()), len(every)),
            "coverage_by_scenario": {s: _share(c, len(found[s])) for s, c in covered.items()},
            "edge_decided": _share(decided_edge, len(found["edge"])),
            "power": {k: _share(v, len(found[k])) for k, v in correct.items()},
            "counts": {"covered": covered, "edge_decided": decided_edge, "correct": correct,
                       "outcomes": counts},
            "mean_repetitions": mean_n}


def settings() -> List[Tuple[float, float]]:
    return [(cv, band) for cv in CVS for band in BANDS]


def misses(figures: dict) -> List[str]:
    """The targets a setting's figures miss, in words (empty when it meets them all)."""
    found = []
    where = f"cv {figures['cv'] * 100:g}%, band {figures['band']:g}"
    if figures["coverage"] < COVERAGE_MIN:
        found.append(f"{where}: coverage {figures['coverage']} < {COVERAGE_MIN}")
    if figures["edge_decided"] > EDGE_DECIDED_MAX:
        found.append(f"{where}: edge_decided {figures['edge_decided']} > {EDGE_DECIDED_MAX}")
    if figures["cv"] in POWER_CVS:
        for kind, value in figures["power"].items():
            if value < POWER_MIN:
                found.append(f"{where}: power ({kind}) {value} < {POWER_MIN}")
    return found


def table(rows: Sequence[dict]) -> List[str]:
    lines = ["   cv   band  cells  coverage  edge_decided  power(tie)  power(win)  mean n "
             "(edge/tie/win)"]
    for f in rows:
        cv = f"{f['cv'] * 100:g}%" + ("" if f["cv_b"] == f["cv"] else f"/{f['cv_b'] * 100:g}%")
        n = "/".join(f"{f['mean_repetitions'][s]:.1f}" for s in SCENARIOS)
        lines.append(f"{cv:>7} {f['band']:>5g} {f['cells']:>6} {f['coverage']:>9.4f} "
                     f"{f['edge_decided']:>13.4f} {f['power']['tie']:>11.4f} "
                     f"{f['power']['win']:>11.4f}  {n}")
    return lines

"""kitchen advise --gil, for a CPU-heavy workload: the article's remedy, measured. Under the GIL
threads cannot cook on two cores at once; a pool of worker processes can, at the cost of
starting them and pickling every order. bench_kitchen emulates the GIL but has no process pool,
so the advisor runs the CPython kitchen (py_kitchen.py) once at the user's point: each process
pool of its catalogue (side `processes`) beside the threads executor it names as its pair, real
CPython both, and compares them by the advisor's own rule (decide.BAND). The pool is named in
the answer when its cell is a win: its interval wholly above the band."""

import os
import sys
from dataclasses import dataclass
from typing import List, Optional, Tuple

from cpython_kitchen.executors import catalogue as py_catalogue
from cpython_kitchen.processes import MAX_WORKERS
from kitchen_report.load import load
from kitchen_report.stats import WIN
from kitchen_report.table.cells import Cell, compare

from . import answer, decide, plan as plans

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY_KITCHEN = os.path.join(ROOT, "scripts", "py_kitchen.py")
REPETITIONS = decide.USER_MIN_REPETITIONS


@dataclass(frozen=True)
class Pool:
    executor: str      # the process pool
    pair: str          # the threads executor it is compared with
    chefs: int         # the user's N, at most MAX_WORKERS
    cell: Optional[Cell]
    error: str = ""

    @property
    def leads(self) -> bool:
        return self.cell is not None and self.cell.outcome == WIN

    def as_json(self) -> dict:
        from kitchen_report.verdicts import cell_json
        return {"executor": self.executor, "pair": self.pair, "chefs": self.chefs,
                "leads": self.leads, "cell": cell_json(self.cell) if self.cell else None,
                "error": self.error}


def pools() -> List[Tuple[str, str]]:
    """(process pool, its paired threads executor) of the CPython kitchen's catalogue."""
    return [(e["name"], e["pair"]) for e in py_catalogue() if e["side"] == "processes"]


def applies(plan: plans.Plan) -> bool:
    return plan.workload.gil and plan.cpu_heavy and bool(pools())


def point(plan: plans.Plan) -> plans.Point:
    """The user's point, its chefs capped at the pool's most workers."""
    p = plan.user
    return plans.Point(chefs=min(p.chefs, MAX_WORKERS), customers=p.customers, io_us=p.io_us,
                       cpu_us=p.cpu_us)


def command(plan: plans.Plan, out: str) -> List[str]:
    p = point(plan)
    executors = [e for pool in pools() for e in pool]
    return [sys.executable, PY_KITCHEN, f"--executors={','.join(dict.fromkeys(executors))}",
            f"--profiles={plans.PROFILE}", f"--io-us={p.io_us}", f"--cpu-us={p.cpu_us}",
            f"--chefs={p.chefs}", f"--customers={p.customers}",
            f"--repetitions={REPETITIONS}", f"--min-time={plans.MIN_TIME_S:g}", f"--out={out}"]


def measure(plan: plans.Plan, work: str, run) -> List[Pool]:
    """Runs the command under `run` (measure.run_monitored) and makes each pool's cell; a failed
    run or an error row makes a Pool with its error instead."""
    out = os.path.join(work, "processes.json")
    p = point(plan)
    try:
        run(command(plan, out), "processes", work)
        results = load([out])
    except Exception as e:  # the advisor's answer stands without this; the reason is told
        return [Pool(e_, t, p.chefs, None, f"{type(e).__name__}: {e}") for e_, t in pools()]
    found = []
    for pool, threads in pools():
        a, b = (decide.find_row(results, e, p) for e in (pool, threads))
        if a is None or b is None:
            failed = [x.message for x in results.errors]
            found.append(Pool(pool, threads, p.chefs, None,
                              failed[0] if failed else f"no rows of {pool} and {threads}"))
            continue
        cell = compare(a, b, decide.RATE, decide.BAND, pair=(pool, threads),
                       level=f"{p.chefs} in flight, CPython")
        found.append(Pool(pool, threads, p.chefs, cell))
    return found


def lines(found: List[Pool]) -> List[str]:
    """The answer's words on each pool."""
    out = []
    for pool in found:
        head = (f"In CPython (its real GIL, py_kitchen.py), {pool.executor} against "
                f"{pool.pair} at {pool.chefs} in flight")
        if pool.cell is None:
            out.append(f"{head}: not measured ({pool.error}).")
        elif pool.leads:
            out.append(f"{head}: the process pool leads, {answer.cell_text(pool.cell)}: for "
                       f"this workload under the GIL, use {pool.executor}.")
        else:
            out.append(f"{head}: the process pool does not lead, "
                       f"{answer.cell_text(pool.cell)}.")
    return out


def dry_run_line(plan: plans.Plan) -> str:
    return "CPython's process pool (--gil, CPU-heavy): " + " ".join(command(plan, "PY.json"))

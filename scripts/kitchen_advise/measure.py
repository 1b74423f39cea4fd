"""The measuring rounds. Round 1 runs every point's command with ROUND1 interleaved repetitions
(bench_kitchen discards each row's first service in a process as a warm-up); each later round
reruns, per point, only the rows behind a cell still undecided, ROUND repetitions each,
appended to that point's file (lib/rounds.py's filter and append), until every cell is decided,
a row has MAX_REPETITIONS, or the next round would not fit in the budget. Round 1 is checked
against the budget from the model's rates (it always runs whole: no cell is decided without
it); a later round's time is estimated per row, from the row's own measured services. A point
added after round 1 (the open loop at a sustainable rate, when round 1 found the user's rate
over capacity) is measured in round 2 with its round-1 repetitions, and runs whole as round 1
does. Every command runs under lib/pass_monitor.py, which records what else used the machine
meanwhile. Progress goes to stderr."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from kitchen_report.load import Results, load
from lib.rounds import append_repetitions, gbench_filter, repetitions

from . import plan as plans

# Round 1's repetitions: USER_REPETITIONS at the user's point (closed and open loop), whose
# cells the first line reads and which may be decided only with that many a row (a bootstrap
# interval of a median over 3 repetitions is their min-max range, about 75% coverage), and
# ROUND1 at the neighbours (their intervals are labelled as the range when n = 3).
ROUND1, USER_REPETITIONS, ROUND, MAX_REPETITIONS = 3, 5, 2, 30
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONITOR = os.path.join(HERE, "lib", "pass_monitor.py")
WARN_SHARE = 0.05


def say(text: str) -> None:
    print(f"kitchen advise: {text}", file=sys.stderr, flush=True)


class MeasureError(RuntimeError):
    pass


@dataclass
class Run:
    """What the rounds measured: one merged Google Benchmark file per point."""
    files: Dict[str, str] = field(default_factory=dict)
    rounds: int = 0
    seconds: float = 0.0
    interference: List[dict] = field(default_factory=list)
    stopped: str = ""

    def results(self) -> Results:
        return load(list(self.files.values()))


# The child running now, so that a signal can stop it (its own process group: bench_kitchen
# and the pantry server it starts go with it).
_child: Optional[subprocess.Popen] = None


def _stop_child(signum, _frame):
    if _child is not None and _child.poll() is None:
        try:
            os.killpg(_child.pid, signal.SIGTERM)
        except OSError:
            pass
    raise SystemExit(128 + signum)


def install_signals() -> None:
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, _stop_child)


def run_monitored(argv: List[str], name: str, work: str) -> dict:
    """Runs one bench_kitchen command under the pass monitor; its interference record."""
    global _child
    record_path = os.path.join(work, f"{name}.machine.json")
    log_path = os.path.join(work, f"{name}.log")
    monitor = [sys.executable, MONITOR, f"--name={name}", f"--out={record_path}",
               f"--warn-share={WARN_SHARE}", "--"] + argv
    with open(log_path, "w") as log:
        _child = subprocess.Popen(monitor, stdout=subprocess.DEVNULL, stderr=log,
                                  start_new_session=True)
        status = _child.wait()
        _child = None
    if status != 0:
        with open(log_path) as f:
            lines = [l.strip() for l in f if l.strip() and "***WARNING***" not in l]
        raise MeasureError(f"bench_kitchen failed (exit {status}): "
                           f"{lines[-1] if lines else 'no message'}; command: {' '.join(argv)}")
    try:
        with open(record_path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"name": name}


def first_repetitions(plan: plans.Plan, point: plans.Point) -> int:
    """A point's repetitions when it is first measured: USER_REPETITIONS at the user's N
    (closed loop and open loops), ROUND1 at the neighbours."""
    return USER_REPETITIONS if point.chefs == plan.workload.concurrency else ROUND1


# Per point key, what a round measures there: the rows behind undecided cells (none: every
# executor, a point measured for the first time) and their repetitions.
Todo = Dict[str, Tuple[List[str], int]]


def measure_point(bench: str, plan: plans.Plan, point: plans.Point, rows: List[str],
                  reps: int, work: str, run: Run) -> None:
    """One round's command at one point; its repetitions are appended to the point's file."""
    out = os.path.join(work, f"{point.key}.round{run.rounds}.json")
    executors = plan.executors
    if rows:
        executors = [e for e in executors if any(r.split("/")[1] == e for r in rows)]
    argv = plans.command(bench, plan, point, executors, reps, out)
    if rows:
        argv.append(f"--benchmark_filter={gbench_filter(rows)}")
    run.interference.append(run_monitored(argv, f"{point.key}.round{run.rounds}", work))
    with open(out) as f:
        new = json.load(f)
    target = run.files.get(point.key)
    if target is None:
        run.files[point.key] = out
        return
    with open(target) as f:
        doc = json.load(f)
    append_repetitions(doc, new, rows)
    with open(target, "w") as f:
        json.dump(doc, f)
    os.remove(out)


def rows_again(run: Run, plan: plans.Plan, wanted: List[str]) -> Todo:
    """The rows behind undecided cells, per point, that have fewer than MAX_REPETITIONS."""
    todo: Todo = {}
    for point in plan.points:
        if point.key not in run.files:
            continue
        with open(run.files[point.key]) as f:
            have = repetitions(json.load(f))
        rows = [r for r in wanted if r in have and have[r] < MAX_REPETITIONS]
        if rows:
            todo[point.key] = (rows, ROUND)
    return todo


def schedule_added(plan: plans.Plan, added: List[plans.Point], todo: Todo, estimate: float,
                   left: float) -> Tuple[Todo, float]:
    """The next round with the points round 1 added (the sustainable-rate open loop): each with
    its round-1 repetitions and every executor, before any row measured again, since the first
    line reads it. Like round 1 it runs whole (no cell there is decided without it; its orders
    are bounded as the user's open loop's), and a note says when it is over the budget left;
    the rows measured again join it only when both fit, else they wait for the round after."""
    need = sum(point_estimate_s(plan, p) for p in added)
    if need > left:
        note = (f"the open loop at {', '.join(f'{p.rate:g}/s' for p in added)} (a sustainable "
                f"rate, added after round 1) is estimated at {need:.0f} s, over the "
                f"{max(left, 0):.0f} s of the budget left; it runs whole, as round 1 does (no "
                "cell there is decided without it)")
        say(note)
        plan.notes.append(note)
    if estimate + need > left:
        todo, estimate = {}, 0.0
    for p in added:
        todo[p.key] = ([], first_repetitions(plan, p))
    return todo, estimate + need


def measure(bench: str, plan: plans.Plan, work: str, budget_s: float,
            undecided: Callable[[Results], List[Tuple[str, List[str]]]],
            extend: Callable[[Results], List[plans.Point]] = lambda results: []) -> Run:
    """Rounds until no cell is undecided or the budget is spent; `undecided` gives each cell
    still undecided, as (what it compares, the rows behind it); `extend`, after round 1, the
    points to add to the plan (measured whole in round 2)."""
    run = Run()
    started = time.monotonic()
    todo: Todo = {p.key: ([], first_repetitions(plan, p)) for p in plan.points}
    while True:
        run.rounds += 1
        left = budget_s - (time.monotonic() - started)
        say(f"round {run.rounds}: measuring {len(todo)} point(s), {max(left, 0):.0f} s left")
        for point in plan.points:
            if point.key in todo:
                measure_point(bench, plan, point, *todo[point.key], work, run)
        run.seconds = time.monotonic() - started
        results = run.results()
        open_cells = undecided(results)
        wanted = list(dict.fromkeys(r for _, rows in open_cells for r in rows))
        todo = rows_again(run, plan, wanted)
        # Each row's own services.
        estimate = rows_estimate_s(results, todo)
        left = budget_s - run.seconds
        added = extend(results) if run.rounds == 1 else []
        if added:
            plan.points.extend(added)
            say(f"round 1 found your rate over capacity: adding the open loop at "
                f"{', '.join(f'{p.rate:g}/s' for p in added)}, {USER_REPETITIONS} repetitions")
            todo, estimate = schedule_added(plan, added, todo, estimate, left)
        if todo:
            cells = (f"{len(open_cells)} undecided cell(s) "
                     f"({'; '.join(label for label, _ in open_cells)})" if open_cells
                     else "no cell undecided")
            say(f"round {run.rounds} done: {cells}, {max(left, 0):.0f} s left (next round "
                f"about {estimate:.0f} s)")
        # A point's first measurement runs whole, as round 1 does: the budget does not stop it.
        run.stopped = stop_reason(todo, wanted, 0.0 if added else estimate, left, budget_s)
        if run.stopped:
            return run


def stop_reason(todo: Todo, wanted: List[str], estimate: float, left: float,
                budget_s: float) -> str:
    """Why the rounds stop here, or "" to go on."""
    if not todo and not wanted:
        return "every cell is decided"
    if not todo:
        return f"every row behind an undecided cell has {MAX_REPETITIONS} repetitions"
    if estimate > left:
        return (f"the budget ({budget_s:.0f} s) is spent: the next round would take "
                f"about {estimate:.0f} s with {max(left, 0):.0f} s left")
    return ""


# A bench_kitchen process's own start and probe, per command.
PROCESS_S = 0.3


def service_s(customers: int, rate: float) -> float:
    """One repetition: a service of `customers` at `rate`, at least MIN_TIME_S."""
    return max(customers / rate if rate > 0 else 0.0, plans.MIN_TIME_S)


def point_estimate_s(plan: plans.Plan, point: plans.Point, preds=None) -> float:
    """A point's first measurement: per executor its repetitions plus the warm-up service,
    at the model's rate (`preds`; a floor, the model promises more than it measures), and an
    open loop at most at its arrival rate."""
    total = PROCESS_S
    for e in plan.executors:
        pred = (preds or {}).get((e, point.key))
        rate = pred.rate if pred else (point.rate or 0.0)
        if point.open_loop:
            rate = min(rate, point.rate)
        total += (first_repetitions(plan, point) + 1) * service_s(point.customers, rate)
    return total


def round1_estimate_s(plan: plans.Plan, preds) -> float:
    """Round 1's seconds from the model's rates (point_estimate_s)."""
    return sum(point_estimate_s(plan, p, preds) for p in plan.points)


def rows_estimate_s(results: Results, todo: Todo) -> float:
    """A later round's seconds, per row from its own measured services: its repetitions plus
    the warm-up, each a service of its customers at its median requests/s."""
    by_name = {r.name: r for r in results.rows}
    total = 0.0
    for rows, reps in todo.values():
        total += PROCESS_S
        for name in rows:
            r = by_name.get(name)
            if r is None:
                continue
            c = r.counters
            rate = c.get("achieved_per_s") or c.get("dishes_per_s") or 0.0
            total += (reps + 1) * service_s(int(c.get("customers", 0)), rate)
    return total


def interference_summary(records: List[dict]) -> dict:
    """The largest shares other processes and steal took over the commands, and whether that
    is over WARN_SHARE."""
    other = max((r.get("other_share", 0.0) for r in records), default=0.0)
    steal = max((r.get("steal_share", 0.0) for r in records), default=0.0)
    hyper = next((r["hypervisor"] for r in records if "hypervisor" in r), "unknown")
    return {"max_other_share": other, "max_steal_share": steal, "hypervisor": hyper,
            "warn_share": WARN_SHARE, "high": other > WARN_SHARE or steal > WARN_SHARE,
            "records": records}

#!/usr/bin/env python3
"""Spends repetitions where the verdicts are undecided: measures the rows behind every undecided
cell of the table, and every floor row whose "at most 1.25x its floor" is undecided, again, in
interleaved rounds, until each is decided or a cap is reached.

usage: rounds.py --work DIR [--max-repetitions N] [--max-seconds S] [--round N]
                 [--warn-share F] [--logs DIR] NAME=FILE [NAME=FILE ...]

The passes are bench.sh's: FILE is the pass's Google Benchmark JSON, DIR/NAME.argv the command
that measured it (a JSON list). A round reruns, for each pass that holds undecided rows, its
own command restricted to those rows, with --round repetitions each in Google Benchmark's
random interleaving (every repetition of every row in a shuffled order, so slow drift of the
machine falls on both sides of a pair); the new repetitions are appended to the pass's file,
whose aggregates for those rows are dropped (the loader takes medians from the repetitions).
Each row's first service in a process is a warm-up that bench_kitchen discards.

A cell decided only by repetitions measured while other processes or steal took more than a
pass monitor record's threshold (disturbed: the records in DIR, which each appended repetition
names as `kitchen_round`) is measured again like an undecided one. The decision of what to
measure again is next_round(), which calibrate_verdicts.py runs on simulated cells; the cells'
error is spent over the looks up to 15 repetitions a side, 2 a round, so a larger
--max-repetitions or another --round is warned about.

Rounds stop when nothing is undecided, when every undecided row has --max-repetitions, or when
--max-seconds have been spent; what stayed undecided is printed, with the reason. Passes of the
CPython kitchen are rerun by point (executors, profile, chefs, customers) instead of a filter.
Each round's command runs under pass_monitor.py, so its interference is recorded as
DIR/NAME.round<K>.machine.json; its output is appended to --logs's NAME.log. A round command
that fails (or writes no file) ends the rounds with exit status 1, naming it and its log: the
run fails rather than report rows that could not be measured again.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from typing import Dict, List, NamedTuple, Optional, Tuple

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.load import LoadError, load, strip_gb_suffixes  # noqa: E402
from kitchen_report import harness  # noqa: E402
from kitchen_report.stats import PLANNED_MAX_REPETITIONS, ROUND  # noqa: E402
from kitchen_report.table import undecided_cells  # noqa: E402


def say(text: str) -> None:
    print(f"rounds.py: {text}", file=sys.stderr, flush=True)


def run_name(entry: dict) -> str:
    return strip_gb_suffixes(entry.get("run_name") or entry["name"])


def undecided(results) -> List[Tuple[List[str], str]]:
    """What is still undecided, each as the rows to measure again and a line that says what:
    the table's cells (undecided or disturbed), then the floor rows' targets."""
    return pending(undecided_cells(results), harness.shares(results))


def pending(cells, shares=()) -> List[Tuple[List[str], str]]:
    """undecided()'s list from the open cells and the floor shares: what calibrate_verdicts.py
    calls on its simulated cells."""
    found = [(c.rows, f"{c.row} {' vs '.join(c.pair)} at {c.level}: {c.text()}")
             for c in cells]
    for s in shares:
        if s.target == harness.UNDECIDED:
            iv = s.interval
            span = f" ({iv[0]:.2f}-{iv[1]:.2f})" if iv else ""
            found.append(([s.floor_row], f"{s.executor} at most {harness.TARGET}x its floor: "
                                         f"{s.ratio:.2f}x{span}, n={len(s.ratios)}"))
    return found


def next_round(open_items: List[Tuple[List[str], str]], counts: Dict[str, int],
               cap: int) -> Tuple[List[str], List[str]]:
    """The rows the next round measures again, each once in the order the open items name them,
    and the rows left out because they have `cap` repetitions (counts: each row's repetitions;
    a row not counted is not measured again). No row to measure: the rounds are over."""
    again: List[str] = []
    capped: List[str] = []
    for rows, _ in open_items:
        for row in rows:
            if row not in counts:
                continue
            if counts[row] >= cap:
                if row not in capped:
                    capped.append(row)
            elif row not in again:
                again.append(row)
    return again, capped


def machine_records(work: str) -> List[dict]:
    """The pass monitor's records in the work folder (each pass's and each round's), which say
    whose repetitions were measured while the machine was busy."""
    found = []
    for name in sorted(os.listdir(work)):
        if name.endswith(".machine.json"):
            try:
                with open(os.path.join(work, name)) as f:
                    record = json.load(f)
            except (OSError, ValueError):
                continue
            if isinstance(record, dict):
                found.append(record)
    return found


def repetitions(doc: dict) -> Dict[str, int]:
    """How many timed repetitions each row of a pass has (failed ones left out)."""
    counts: Dict[str, int] = {}
    for e in doc["benchmarks"]:
        if e.get("run_type", "iteration") == "iteration" and not e.get("error_occurred"):
            counts[run_name(e)] = counts.get(run_name(e), 0) + 1
    return counts


def append_repetitions(doc: dict, new: dict, rows: List[str], measured_by: str = "") -> int:
    """Adds `new`'s repetitions of `rows` to `doc`, numbered after the ones it has, and drops
    `doc`'s aggregates of those rows; returns how many were added. Each added repetition keeps
    the name of the monitor record of its round (`measured_by`) as `kitchen_round`."""
    wanted = set(rows)
    have = repetitions(doc)
    added = [e for e in new["benchmarks"]
             if e.get("run_type", "iteration") == "iteration" and run_name(e) in wanted]
    if not added:
        return 0
    next_index: Dict[str, int] = {}
    for e in doc["benchmarks"]:
        if run_name(e) in wanted and "repetition_index" in e:
            next_index[run_name(e)] = max(next_index.get(run_name(e), 0),
                                          int(e["repetition_index"]) + 1)
    kept = [e for e in doc["benchmarks"]
            if not (e.get("run_type") == "aggregate" and run_name(e) in wanted)]
    for e in added:
        name = run_name(e)
        e = dict(e, repetition_index=next_index.get(name, 0))
        if measured_by:
            e["kitchen_round"] = measured_by
        next_index[name] = e["repetition_index"] + 1
        kept.append(e)
    total = {name: have.get(name, 0) for name in wanted}
    for e in added:
        total[run_name(e)] += 1
    for e in kept:
        if run_name(e) in wanted:
            e["repetitions"] = total[run_name(e)]
    doc["benchmarks"] = kept
    return len(added)


# The suffixes Google Benchmark gives a kitchen row's name (UseRealTime, MeasureProcessCPUTime);
# other rows carry their own (a memory row: /iterations:1/real_time), read from the pass's file.
KITCHEN_SUFFIX = "/process_time/real_time"


def full_names(doc: dict) -> Dict[str, str]:
    """Each row of a pass's file, by its name without suffixes, with its full name as Google
    Benchmark gave it (which a filter must match)."""
    return {run_name(e): e.get("run_name") or e["name"] for e in doc.get("benchmarks", [])
            if e.get("run_type", "iteration") == "iteration"}


def gbench_filter(rows: List[str], names: Optional[Dict[str, str]] = None) -> str:
    """A Google Benchmark filter (POSIX extended regex) that matches exactly these rows: each by
    its full name in `names` (full_names()), else as a kitchen row, with KITCHEN_SUFFIX."""
    names = names or {}
    full = [names.get(r, r + KITCHEN_SUFFIX) for r in rows]
    escaped = [re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", r) for r in full]
    return "^(" + "|".join(escaped) + ")$"


def cpython_point_flags(rows: List[str]) -> List[List[str]]:
    """The CPython kitchen has no name filter: one set of point flags per (profile, chefs,
    customers) of the rows, with their executors."""
    points: Dict[Tuple[str, str, str], List[str]] = {}
    for r in rows:
        parts = r.split("/")
        params = dict(p.split(":", 1) for p in parts[3:] if ":" in p)
        key = (parts[2], params.get("chefs", ""), params.get("customers", ""))
        points.setdefault(key, [])
        if parts[1] not in points[key]:
            points[key].append(parts[1])
    return [[f"--executors={','.join(executors)}", f"--profiles={profile}", f"--chefs={chefs}",
             f"--customers={customers}"]
            for (profile, chefs, customers), executors in points.items()]


_ROUND_FLAGS = ("--benchmark_filter=", "--benchmark_repetitions=",
                "--benchmark_enable_random_interleaving", "--benchmark_out=",
                "--benchmark_out_format=")


def rerun(argv: List[str], rows: List[str], reps: int, out: str,
          names: Optional[Dict[str, str]] = None) -> List[List[str]]:
    """The commands that measure `rows` again with `reps` interleaved repetitions into `out`
    (one per CPython point, numbered out.0, out.1 ...); `names`: the rows' full names, for the
    filter (full_names())."""
    if any(a.endswith("py_kitchen.py") for a in argv):
        base = [a for a in argv if not a.startswith(("--out=", "--repetitions=", "--executors=",
                                                     "--profiles=", "--chefs=", "--customers="))]
        return [base + point + [f"--repetitions={reps}", f"--out={out}.{i}"]
                for i, point in enumerate(cpython_point_flags(rows))]
    # bench_kitchen refuses a flag given twice: the pass's own repetitions, filter and output
    # give way to the round's.
    base = [a for a in argv if not a.startswith(_ROUND_FLAGS)]
    return [base + [f"--benchmark_filter={gbench_filter(rows, names)}",
                    f"--benchmark_repetitions={reps}",
                    "--benchmark_enable_random_interleaving=true",
                    f"--benchmark_out={out}.0", "--benchmark_out_format=json"]]


def run_round_command(command: List[str], label: str, result: str, args) -> str:
    """Runs one round's command under the pass monitor, its output appended to the pass's log
    (--logs) or to stderr; "" when it ended well and wrote `result`, else what went wrong and
    where its output is."""
    name = label.split(".round", 1)[0]
    monitor = [sys.executable, os.path.join(HERE, "pass_monitor.py"), f"--name={label}",
               f"--out={os.path.join(args.work, label + '.machine.json')}",
               f"--warn-share={args.warn_share}", "--"] + command
    where = "its output is above"
    if args.logs:
        log = os.path.join(args.logs, f"{name}.log")
        where = f"its output: {log}"
        with open(log, "a") as f:
            f.write(f"\n== rounds.py: {label}: {' '.join(command)}\n")
            f.flush()
            status = subprocess.call(monitor, stdout=f, stderr=subprocess.STDOUT)
    else:
        status = subprocess.call(monitor, stdout=subprocess.DEVNULL)
    if status != 0:
        return f"exit {status}; {where}"
    if not os.path.exists(result):
        return f"exit 0 but no {result}; {where}"
    return ""


class Round(NamedTuple):
    """What a round measures again: per pass, the rows behind the cells still undecided, with
    each pass's document as it stands; `pending` is every undecided cell or target."""
    pending: list
    by_pass: Dict[str, List[str]]
    docs: Dict[str, dict]


def plan_round(passes: Dict[str, str], args) -> Round:
    """Reads the passes as they stand and picks the rows to measure again (next_round); raises
    LoadError when a pass cannot be read."""
    results = load(list(passes.values()), records=machine_records(args.work),
                   pass_names={path: name for name, path in passes.items()})
    pending = undecided(results)
    source = {r.name: r.source for r in results.rows}
    docs: Dict[str, dict] = {}
    pass_of: Dict[str, str] = {}
    counts: Dict[str, int] = {}
    for rows, _ in pending:
        for row in rows:
            path = source.get(row)
            name = next((n for n, p in passes.items() if os.path.abspath(p) == path
                         or p == path), None)
            if name is None:
                continue
            if name not in docs:
                with open(passes[name]) as f:
                    docs[name] = json.load(f)
            pass_of[row] = name
            counts[row] = repetitions(docs[name]).get(row, 0)
    again, _ = next_round(pending, counts, args.max_repetitions)
    by_pass: Dict[str, List[str]] = {}
    for row in again:
        by_pass.setdefault(pass_of[row], []).append(row)
    return Round(pending, by_pass, docs)


def run_round(plan: Round, number: int, passes: Dict[str, str], args) -> Optional[str]:
    """Measures the round's rows again, pass by pass, and appends their repetitions to each
    pass's file; None when every command succeeded, else what failed (which fails the run)."""
    for name, rows in plan.by_pass.items():
        if not rows:
            continue
        argv_path = os.path.join(args.work, f"{name}.argv")
        try:
            with open(argv_path) as f:
                pass_argv = json.load(f)
        except (OSError, ValueError) as e:
            return f"pass '{name}': cannot read its command from {argv_path} ({e})"
        out = os.path.join(args.work, f"{name}.round{number}.json")
        commands = rerun(pass_argv, rows, args.round, out, full_names(plan.docs[name]))
        for i, command in enumerate(commands):
            result = f"{out}.{i}"
            failed = run_round_command(command, f"{name}.round{number}.{i}", result, args)
            if failed:
                return (f"pass '{name}': round {number} failed ({failed}); a failed "
                        "re-measurement fails the run")
            with open(result) as f:
                new = json.load(f)
            os.remove(result)
            append_repetitions(plan.docs[name], new, rows, f"{name}.round{number}.{i}")
        write_text(passes[name], json.dumps(plan.docs[name], indent=1, allow_nan=False) + "\n")
    return None


def parse_args(argv) -> Tuple[object, Dict[str, str]]:
    """The options and the passes (NAME=FILE); raises ValueError with the one line to print."""
    parser = argparse.ArgumentParser(prog="rounds.py", description=__doc__.split("\n")[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--max-repetitions", type=int, default=PLANNED_MAX_REPETITIONS)
    parser.add_argument("--max-seconds", type=float, default=180)
    parser.add_argument("--round", type=int, default=ROUND)
    parser.add_argument("--warn-share", type=float, default=0.05)
    parser.add_argument("--logs", metavar="DIR",
                        help="append each round command's output to DIR/NAME.log")
    parser.add_argument("passes", nargs="+", metavar="NAME=FILE")
    args = parser.parse_args(argv)
    if args.max_repetitions < 1 or args.round < 1 or args.max_seconds < 0:
        raise ValueError("--max-repetitions and --round take whole numbers from 1, "
                         "--max-seconds from 0")
    passes: Dict[str, str] = {}
    for spec in args.passes:
        name, eq, path = spec.partition("=")
        if not eq or not name or not path:
            raise ValueError(f"'{spec}': expected NAME=FILE")
        passes[name] = path
    return args, passes


def main(argv=None) -> int:
    try:
        args, passes = parse_args(argv)
    except ValueError as e:
        say(str(e))
        return 2
    if args.max_repetitions > PLANNED_MAX_REPETITIONS or args.round != ROUND:
        say(f"warning: the cells' error is spent over looks every {ROUND} repetitions up to "
            f"{PLANNED_MAX_REPETITIONS} a side (stats.look_error); --max-repetitions="
            f"{args.max_repetitions} --round={args.round} looks more often, so a decided cell "
            "may hold with less than its 95%")
    started = time.monotonic()
    spent_rounds = 0
    while True:
        try:
            plan = plan_round(passes, args)
        except LoadError as e:
            say(f"cannot read the passes: {e}")
            return 2
        elapsed = time.monotonic() - started
        if not plan.pending:
            say(f"every cell and target is decided ({spent_rounds} round(s), {elapsed:.0f} s)")
            return 0
        if not any(plan.by_pass.values()) or elapsed >= args.max_seconds:
            why = ("every row behind them has its " + str(args.max_repetitions) + " repetitions"
                   if not any(plan.by_pass.values())
                   else f"the {args.max_seconds:.0f} s budget is spent")
            say(f"{len(plan.pending)} cell(s) or target(s) stay undecided after {spent_rounds} "
                f"round(s) ({elapsed:.0f} s): {why}")
            for _, what in plan.pending:
                say(f"  undecided: {what}")
            return 0
        spent_rounds += 1
        say(f"round {spent_rounds}: {len(plan.pending)} undecided cell(s) or target(s), "
            f"{sum(len(v) for v in plan.by_pass.values())} row(s) to measure again, "
            f"{max(args.max_seconds - elapsed, 0):.0f} s left")
        failed = run_round(plan, spent_rounds, passes, args)
        if failed:
            say(failed)
            return 1


if __name__ == "__main__":
    sys.exit(main())

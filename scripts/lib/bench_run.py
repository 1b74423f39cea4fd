#!/usr/bin/env python3
"""bench.sh's driver: runs the passes of passes.py, the rounds, the optional accuracy pass, the
merge and the render into a staging folder, with a line when each pass starts and ends; then,
once bench.sh has put the set in place, prints its summary.

usage: bench_run.py run --work DIR --out DIR --bench PATH [--quick] [--no-python] [--verbose]
                        [--advise-accuracy] [--max-repetitions N] [--max-seconds S] [-- FLAGS]
       bench_run.py summary --out DIR

run: every pass's raw output (Google Benchmark's or py_kitchen.py's, and the pass monitor's)
goes to DIR/logs/<pass>.log, streamed too with --verbose; the rounds append theirs to the same
log. On a terminal a live line counts the pass's rows. Each pass's program is launched twice
(stats.MIN_LAUNCHES), first every pass's first launch, then every second one (run_sweeps),
its repetitions split between the launches (5: 3 then 2; a pass of 1
repetition is launched once), each launch under pass_monitor.py with a record of its own
(DIR/<pass>.machine.json, then DIR/<pass>.launch2.machine.json); the second launch's
repetitions are appended to the first's file, each naming its record (`kitchen_round`). The
pass's command is kept in DIR/<pass>.argv for the rounds. The time left is estimated from the
previous run's durations in --out (logs/timings.json, same mode), else from this run's passes
so far. A failed step moves the logs to --out's logs.failed/ and names its log there; exit 1.
With FLAGS after --, only the kitchen pass runs, with those flags.

summary: the seven-row table, the interference warnings and where the report, the charts and
the logs are.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from typing import Dict, List, Optional, Sequence

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
ROOT = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)
sys.path.insert(0, HERE)

import passes as table  # noqa: E402
import rounds  # noqa: E402
from kitchen_report import catalogue as cat, strict_json  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402
from kitchen_report.stats import MIN_LAUNCHES  # noqa: E402

PROG = "bench.sh"
# The shares of the machine over which pass_monitor.py calls a pass suspect.
WARN_SHARE = 0.05
# The most interference warnings the summary prints; REPORT.md lists them all.
MAX_WARNINGS = 3
# bench_kitchen's repetitions of each row when --benchmark_repetitions is not given (its --help:
# "default here: 3"; test_bench_launches.py checks the two agree). py_kitchen.py's are its
# REPETITIONS (cpython_kitchen/main.py).
BENCH_REPETITIONS = 3


def say(text: str) -> None:
    Progress.clear()
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Planned:
    """A pass as the run schedules it: its number of the run's total, its command and its
    launches' commands, and what its launches have left so far."""

    def __init__(self, i: int, total: int, p: table.Pass, command: List[str],
                 launches: List[List[str]]):
        self.i, self.total, self.p = i, total, p
        self.command, self.launches = command, launches
        self.records: List[str] = []
        self.rows: Optional[List[str]] = None
        self.taken = 0.0

    def tag(self) -> str:
        return f"[{self.i:>{len(str(self.total))}}/{self.total}] {self.p.name}"

    def head(self) -> str:
        return f"{self.tag()} ({self.p.purpose})"


class Failed(Exception):
    """A step failed; str() names it and its log."""


class Progress:
    """The live line on a terminal: rewritten in place, cleared before any other line."""
    shown = False
    tty = sys.stderr.isatty()

    @classmethod
    def show(cls, text: str) -> None:
        if cls.tty:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            sys.stderr.write("\r\033[K" + text[:width])
            sys.stderr.flush()
            cls.shown = True

    @classmethod
    def clear(cls) -> None:
        if cls.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            cls.shown = False


class Rows:
    """Counts a pass's rows done from its output: bench_kitchen prints a row's lines when its
    last repetition ends (their first word is the row's name, one of `names`), py_kitchen.py one
    '[i/total]' line per row."""
    _PY = re.compile(r"^py_kitchen\.py: \[(\d+)/(\d+)\] ")

    def __init__(self, names: Optional[List[str]]):
        self.names = set(names or ())
        self.total = len(self.names) or None
        self.done_names = set()
        self.done = 0

    def feed(self, line: str) -> bool:
        m = self._PY.match(line)
        if m:
            self.done, self.total = int(m.group(1)), int(m.group(2))
            return True
        word = line.split(" ", 1)[0]
        if word in self.names and word not in self.done_names:
            self.done_names.add(word)
            self.done = len(self.done_names)
            return True
        return False


class Estimate:
    """Seconds left: each step's duration in the previous run of the same mode, else the mean
    of this run's passes so far."""

    def __init__(self, previous: Dict[str, float]):
        self.previous = previous
        self.taken: List[float] = []

    def of(self, name: str) -> Optional[float]:
        if name in self.previous:
            return self.previous[name]
        return sum(self.taken) / len(self.taken) if self.taken else None

    def left(self, names: Sequence[str]) -> str:
        each = [self.of(n) for n in names]
        if any(e is None for e in each):
            return "time left unknown yet"
        return f"~{clock(sum(each))} left"


def read_timings(path: str, mode: dict) -> Dict[str, float]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("mode") != mode:
        return {}
    steps = doc.get("seconds", {})
    return {k: float(v) for k, v in steps.items() if isinstance(v, (int, float))}


def probe_catalogue(bench: str) -> List[cat.Executor]:
    """bench_kitchen's catalogue, from the context of its smallest services: one customer on
    the overhead profile, every executor."""
    argv = [bench, "--profiles=overhead", "--chefs=1", "--customers=1",
            "--benchmark_repetitions=1", "--benchmark_min_time=0.001", "--benchmark_format=json"]
    done = subprocess.run(argv, capture_output=True, text=True)
    try:
        context = json.loads(done.stdout)["context"]
        return cat.parse(context.get(cat.KEY), f"{bench}'s context")
    except (ValueError, KeyError, cat.CatalogueError) as e:
        last = done.stderr.strip().splitlines()[-1:] or [str(e)]
        raise Failed(f"cannot read the executors' catalogue from {bench} (exit "
                     f"{done.returncode}): {last[0]}") from None


def cpython_catalogue() -> List[cat.Executor]:
    from cpython_kitchen.executors import catalogue
    return cat.parse(json.dumps(catalogue()), "py_kitchen.py's catalogue")


def repetition_flag(program: str) -> str:
    """The flag that sets how many repetitions of each row a program runs."""
    return "--repetitions=" if program == table.PY_KITCHEN else "--benchmark_repetitions="


def default_repetitions(program: str) -> int:
    """A program's repetitions of each row when its command does not say."""
    if program == table.PY_KITCHEN:
        from cpython_kitchen.main import REPETITIONS
        return REPETITIONS
    return BENCH_REPETITIONS


def launch_shares(repetitions: int, launches: int = MIN_LAUNCHES) -> List[int]:
    """`repetitions` split over `launches` launches as evenly as they go, the first launches
    taking one more: 5 -> [3, 2], 3 -> [2, 1]; a launch left with none is not made (1 -> [1])."""
    shares = [repetitions // launches + (k < repetitions % launches) for k in range(launches)]
    return [n for n in shares if n > 0]


def launch_commands(command: List[str], program: str) -> List[List[str]]:
    """The commands of a pass's launches: its repetitions (the value of its repetition flag,
    else the program's default) split by launch_shares, each launch's share in place of the
    flag's value (added after the command when it names none). A count that is not a whole
    number, or a single share, leaves the command as it is, one launch: the program refuses a
    bad value itself."""
    flag = repetition_flag(program)
    at = [k for k, a in enumerate(command) if a.startswith(flag)]
    try:
        repetitions = int(command[at[-1]][len(flag):]) if at else default_repetitions(program)
    except ValueError:
        return [list(command)]
    shares = launch_shares(repetitions)
    if len(shares) < 2:
        return [list(command)]
    if not at:
        return [list(command) + [f"{flag}{share}"] for share in shares]
    return [command[:at[-1]] + [f"{flag}{share}"] + command[at[-1] + 1:] for share in shares]


def launch_name(pass_name: str, k: int) -> str:
    """The name of a pass's k-th launch (from 1), which its monitor record and its
    repetitions (`kitchen_round`) carry: the pass's own for the first, else <pass>.launch<k>."""
    return pass_name if k == 1 else f"{pass_name}.launch{k}"


def append_launch(out: str, later: str, measured_by: str) -> int:
    """Appends the repetitions of every row a later launch wrote to `later` to the pass's
    file `out` (rounds.append_repetitions, each naming the launch's record `measured_by`),
    writes `out` again whole and removes `later`; returns how many were added. Raises OSError
    or ValueError when either file cannot be read."""
    with open(out, encoding="utf-8") as f:
        doc = json.load(f)
    with open(later, encoding="utf-8") as f:
        new = json.load(f)
    rows = list(dict.fromkeys(rounds.run_name(e) for e in new["benchmarks"]))
    added = rounds.append_repetitions(doc, new, rows, measured_by)
    write_text(out, strict_json.dumps(doc, indent=1) + "\n")
    os.remove(later)
    return added


def list_rows(command: List[str]) -> Optional[List[str]]:
    """The rows a bench_kitchen command runs (--benchmark_list_tests), None if it cannot say."""
    done = subprocess.run(command + ["--benchmark_list_tests=true"], capture_output=True,
                          text=True)
    return done.stdout.split() if done.returncode == 0 else None


class Run:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.logs = os.path.join(self.work, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.kept_logs = os.path.join(args.out, "logs.failed")
        self.mode = {"quick": args.quick, "python": not args.no_python,
                     "flags": args.extra, "advise_accuracy": args.advise_accuracy}
        previous = read_timings(os.path.join(args.out, "logs", "timings.json"), self.mode)
        # Without a previous run, the rounds are taken to spend their budget.
        previous.setdefault("rounds", float(self.max_seconds()))
        self.estimate = Estimate(previous)
        self.seconds: Dict[str, float] = {}
        self.started = time.monotonic()
        self.files: List[str] = []
        self.catalogues: Dict[str, List[cat.Executor]] = {}

    # What a run runs.

    def program_path(self, program: str) -> str:
        if program == table.BENCH:
            return self.args.bench
        if program == table.BENCH_URING:
            return self.args.bench + "_uring"
        return os.path.join(SCRIPTS, "py_kitchen.py")

    def catalogue(self, program: str) -> List[cat.Executor]:
        # The io_uring twin is built from the same sources, with the same catalogue.
        if program == table.BENCH_URING:
            program = table.BENCH
        if program not in self.catalogues:
            self.catalogues[program] = (cpython_catalogue() if program == table.PY_KITCHEN
                                        else probe_catalogue(self.program_path(program)))
        return self.catalogues[program]

    def plan(self) -> List[table.Pass]:
        if self.args.extra:
            kitchen = next(p for p in table.PASSES if p.name == "kitchen")
            return [table.Pass(kitchen.name, kitchen.program, tuple(self.args.extra),
                               tuple(self.args.extra), kitchen.what,
                               "the kitchen sweep with your flags")]
        chosen = table.selected(table.PASSES, self.args.quick, not self.args.no_python)
        missing = [p for p in chosen if p.program != table.PY_KITCHEN
                   and not os.access(self.program_path(p.program), os.X_OK)]
        if missing:
            say(f"skipping {', '.join(p.name for p in missing)}: "
                f"{self.program_path(missing[0].program)} is not built"
                + (" (apt-get install liburing-dev)"
                   if missing[0].program == table.BENCH_URING else ""))
        return [p for p in chosen if p not in missing]

    def command(self, p: table.Pass) -> List[str]:
        """The pass's command without its output flag."""
        if self.args.extra:
            flags = list(p.flags)
        else:
            catalogue = (self.catalogue(p.program) if table.needs_catalogue(p, self.args.quick)
                         else [])
            flags = table.resolve(p, self.args.quick, catalogue,
                                  os.path.dirname(os.path.abspath(self.args.bench)))
        program = self.program_path(p.program)
        if p.program == table.PY_KITCHEN:
            return [sys.executable, program] + flags
        # Google Benchmark's random interleaving: every repetition of every row in a shuffled
        # order, so that slow drift of the machine lands on both sides of a pair.
        return [program] + flags + ["--benchmark_enable_random_interleaving=true",
                                    "--benchmark_out_format=json"]

    # Running.

    def stream(self, command: List[str], log: str, rows: Optional[Rows] = None,
               label: str = "", echo=None) -> int:
        """Runs `command`, its output and errors appended to `log`; with --verbose also
        streamed to stdout, and `echo(line)` says which lines go to the terminal anyway."""
        # Line-buffered: the log is read while the pass runs.
        with open(log, "a", encoding="utf-8", buffering=1) as f:
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, errors="replace", bufsize=1)
            began = shown = time.monotonic()
            for line in child.stdout:
                f.write(line)
                if self.args.verbose:
                    Progress.clear()
                    sys.stdout.write(line)
                    sys.stdout.flush()
                elif echo is not None and echo(line):
                    Progress.clear()
                    sys.stderr.write(line)
                    sys.stderr.flush()
                counted = rows is not None and rows.feed(line)
                # A row done is shown at once; the clock at most every half second.
                if Progress.tty and (counted or time.monotonic() - shown >= 0.5):
                    shown = time.monotonic()
                    done = (f"{rows.done}/{rows.total} rows, " if rows and rows.total else "")
                    Progress.show(f"{label}: {done}{clock(shown - began)}")
            status = child.wait()
        Progress.clear()
        return status

    def fail(self, what: str, log_name: str) -> None:
        """Keeps the logs where the next run does not remove them, and names the failed log."""
        shutil.rmtree(self.kept_logs, ignore_errors=True)
        shutil.move(self.logs, self.kept_logs)
        raise Failed(f"{what}; its log: {os.path.join(self.kept_logs, log_name)}")

    def planned(self, i: int, total: int, p: table.Pass) -> Planned:
        """The pass with its command and its launches' commands."""
        command = self.command(p)
        return Planned(i, total, p, command, launch_commands(command, p.program))

    def schedule(self, chosen: List[table.Pass]) -> List[Planned]:
        """Every chosen pass, in the run's order."""
        return [self.planned(i, len(chosen), p) for i, p in enumerate(chosen, 1)]

    def run_pass(self, i: int, total: int, p: table.Pass, later: List[str]) -> None:
        """One pass alone, its launches one after the other."""
        self.run_sweeps([self.planned(i, total, p)], later)

    def run_sweeps(self, plan: List[Planned], after: List[str]) -> None:
        """Every pass's first launch in the run's order, then every later launch in the same
        order: a pass's two launches are a sweep apart (about half the run), not back to back.
        In two consecutive full runs with back-to-back launches, the two launches of a pass
        agreed and the runs did not: CPython's thread kitchen (io, 100 chefs, 1,000
        customers) served 5,770-6,450 dishes/s in both launches of one run and 6,880-7,320 in
        both of the next, and three cells decided in both runs had intervals that did not
        overlap. What moves between runs is the machine's state over minutes; launches that
        far apart sample it, and a cell's interval spans what they saw."""
        order = ([(planned, 1) for planned in plan]
                 + [(planned, k) for k in range(2, 1 + max((len(x.launches) for x in plan),
                                                           default=1))
                    for planned in plan if len(planned.launches) >= k])
        names = [launch_name(planned.p.name, k) for planned, k in order]
        for at, (planned, k) in enumerate(order):
            later = names[at + 1:] + after
            if k == 1:
                self.begin(planned, [names[at]] + later)
            self.run_launch(planned, k)
            if k == len(planned.launches):
                self.end(planned, later)

    def begin(self, planned: Planned, left: List[str]) -> None:
        """The pass's start line, its command for the rounds and an empty log."""
        p = planned.p
        which = (f" (launch 1 of {len(planned.launches)})" if len(planned.launches) > 1
                 else "")
        say(f"{planned.head()}: started{which}, {clock(time.monotonic() - self.started)} "
            f"elapsed, {self.estimate.left(left)}")
        # The whole pass's command: the rounds give it their own repetitions.
        with open(os.path.join(self.work, f"{p.name}.argv"), "w", encoding="utf-8") as f:
            json.dump(planned.command, f)
        open(self.log_of(planned), "w", encoding="utf-8").close()
        self.files.append(f"{p.name}={os.path.join(self.work, f'{p.name}.json')}")
        planned.rows = (list_rows(planned.command)
                        if Progress.tty and p.program != table.PY_KITCHEN else None)

    def log_of(self, planned: Planned) -> str:
        return os.path.join(self.logs, f"{planned.p.name}.log")

    def run_launch(self, planned: Planned, k: int) -> None:
        """The pass's k-th launch (from 1) under its pass monitor; a later launch's repetitions
        are added to the first's file."""
        p, count = planned.p, len(planned.launches)
        name = launch_name(p.name, k)
        out = os.path.join(self.work, f"{p.name}.json")
        result = out if k == 1 else os.path.join(self.work, f"{name}.json")
        out_flag = (f"--out={result}" if p.program == table.PY_KITCHEN
                    else f"--benchmark_out={result}")
        planned.records.append(os.path.join(self.work, f"{name}.machine.json"))
        launch = planned.launches[k - 1]
        monitor = [sys.executable, os.path.join(HERE, "pass_monitor.py"), f"--name={name}",
                   f"--out={planned.records[-1]}", f"--warn-share={self.args.disturbed_share}",
                   "--"] + launch + [out_flag]
        log = self.log_of(planned)
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"== {' '.join(launch + [out_flag])}\n")
        which = f" (launch {k} of {count})" if count > 1 else ""
        began = time.monotonic()
        status = self.stream(monitor, log, Rows(planned.rows), f"{planned.tag()}{which}")
        taken = time.monotonic() - began
        planned.taken += taken
        self.seconds[name] = taken
        self.estimate.taken.append(taken)
        if status != 0:
            where = f" in launch {k} of {count}" if k > 1 else ""
            self.fail(f"pass '{p.name}' failed{where} (exit {status})", f"{p.name}.log")
        if k > 1:
            try:
                append_launch(out, result, name)
            except (OSError, ValueError, KeyError) as e:
                self.fail(f"pass '{p.name}': cannot add launch {k}'s repetitions from "
                          f"{result} to {out} ({e})", f"{p.name}.log")

    def end(self, planned: Planned, later: List[str]) -> None:
        """The pass's end line, once its last launch is in its file."""
        both = " (its launches together)" if len(planned.launches) > 1 else ""
        say(f"{planned.head()}: done in {clock(planned.taken)}{both}, "
            f"{clock(time.monotonic() - self.started)} elapsed, {self.estimate.left(later)}"
            f"{suspect(planned.records)}")

    def max_seconds(self) -> int:
        """The rounds' budget: --max-seconds, else 150 s (20 s with --quick)."""
        if self.args.max_seconds is not None:
            return self.args.max_seconds
        return 20 if self.args.quick else 150

    def run_rounds(self) -> None:
        max_seconds = self.max_seconds()
        log = os.path.join(self.logs, "rounds.log")
        say(f"rounds: the rows behind undecided cells measured again (at most {max_seconds} s), "
            f"{self.estimate.left(['rounds'])}")
        details = []

        # The rounds' own lines, one a round; their indented details (each undecided cell) go to
        # the log alone.
        def echo(line: str) -> bool:
            indented = line.startswith("rounds.py:   ")
            if indented:
                details.append(line)
            return line.startswith("rounds.py: ") and not indented

        began = time.monotonic()
        status = self.stream([sys.executable, os.path.join(HERE, "rounds.py"),
                              f"--work={self.work}",
                              f"--max-repetitions={self.args.max_repetitions}",
                              f"--max-seconds={max_seconds}", f"--logs={self.logs}",
                              f"--warn-share={self.args.disturbed_share}"]
                             + self.files, log, label="rounds", echo=echo)
        self.seconds["rounds"] = time.monotonic() - began
        if status != 0:
            self.fail(f"the rounds failed (exit {status})", "rounds.log")
        if details:
            say(f"the {len(details)} undecided cell(s) or target(s): logs/rounds.log")

    def run_accuracy(self) -> None:
        say("advise_accuracy: the sizing model of `kitchen advise` against measurements "
            f"on its grid and held-out workloads (at most 240 s), "
            f"{self.estimate.left(['advise_accuracy'])}")
        mechanisms = os.path.join(self.work, "mechanisms.json")
        command = [sys.executable, os.path.join(SCRIPTS, "advise.py"), "accuracy",
                   f"--bench={self.args.bench}", "--set=both", "--budget-s=120",
                   f"--json={os.path.join(self.work, 'advise_accuracy.json')}"]
        if os.path.exists(mechanisms):
            command.append(f"--mechanisms={mechanisms}")
        began = time.monotonic()
        status = self.stream(command, os.path.join(self.logs, "advise_accuracy.log"),
                             label="advise_accuracy")
        self.seconds["advise_accuracy"] = time.monotonic() - began
        # A failure leaves REPORT.md without that section, not the run without results.
        if status != 0:
            say(f"advise accuracy failed (exit {status}); REPORT.md goes without it; its log: "
                "logs/advise_accuracy.log")

    def finish(self) -> None:
        """The merge, the charts, the table and the report, into the staging folder."""
        records = sorted(os.path.join(self.work, f) for f in os.listdir(self.work)
                         if f.endswith(".machine.json"))
        merge = [sys.executable, os.path.join(SCRIPTS, "merge_results.py"),
                 os.path.join(self.work, "bench.json")] + self.files
        for r in records:
            merge += ["--interference", r]
        say("merging the passes, drawing the charts, writing the table and the report")
        began = time.monotonic()
        log = os.path.join(self.logs, "render.log")
        if self.stream(merge, log, label="merge") != 0:
            self.fail("the merge failed", "render.log")
        for f in os.listdir(self.work):
            if f.endswith((".machine.json", ".argv")):
                os.remove(os.path.join(self.work, f))
        if self.stream([os.path.join(SCRIPTS, "render.sh"), self.work], log, label="render") != 0:
            self.fail("the render failed", "render.log")
        # The passes' own files were the merge's input: the set keeps what merge and render wrote.
        for spec in self.files:
            os.remove(spec.split("=", 1)[1])
        self.seconds["render"] = time.monotonic() - began

    def main(self) -> int:
        try:
            chosen = self.plan()
            say(f"{len(chosen)} pass(es){' (--quick)' if self.args.quick else ''}; each pass's "
                "output goes to logs/<pass>.log in the results folder"
                + ("" if self.args.verbose else " (--verbose shows it)"))
            after = (["rounds"] + (["advise_accuracy"] if self.args.advise_accuracy else [])
                     + ["render"])
            self.run_sweeps(self.schedule(chosen), after)
            self.run_rounds()
            if self.args.advise_accuracy:
                self.run_accuracy()
            self.finish()
        except Failed as e:
            say(str(e))
            return 1
        except ValueError as e:
            say(str(e))
            return 1
        with open(os.path.join(self.logs, "timings.json"), "w", encoding="utf-8") as f:
            json.dump({"mode": self.mode, "seconds": {k: round(v, 1)
                                                      for k, v in self.seconds.items()}}, f)
            f.write("\n")
        return 0


def suspect(record_paths: List[str]) -> str:
    """'; other processes took 23% of the machine: suspect' when a pass monitor's record of
    the pass's launches is over its threshold ('took 23% in launch 2', '88% and 85% in
    launches 1 and 2' when the pass had more than one)."""
    over: Dict[str, List[tuple]] = {}
    for k, path in enumerate(record_paths, 1):
        try:
            with open(path, encoding="utf-8") as f:
                record = json.load(f)
        except (OSError, ValueError):
            continue
        limit = record.get("warn_share", WARN_SHARE)
        for key, what in (("other_share", "other processes"), ("steal_share", "steal")):
            if record.get(key, 0) > limit:
                over.setdefault(what, []).append((k, record[key]))
    said = []
    for what, found in over.items():
        shares = " and ".join(f"{share * 100:.0f}%" for _, share in found)
        which = ""
        if len(record_paths) > 1:
            ks = " and ".join(str(k) for k, _ in found)
            which = f" in launch{'es' if len(found) > 1 else ''} {ks}"
        said.append(f"{what} took {shares} of the machine{which}")
    return f"; {' and '.join(said)}: suspect" if said else ""


def summary(out: str) -> int:
    from kitchen_report import interference
    from kitchen_report.load import LoadError, load
    from kitchen_report.readme import verdict_table
    try:
        with open(os.path.join(out, "pros_cons.md"), encoding="utf-8") as f:
            print(verdict_table(f.read()))
        warnings = interference.warnings(load([os.path.join(out, "bench.json")]))
    except (OSError, ValueError, LoadError) as e:
        say(f"cannot summarise {out}: {e}")
        return 1
    for line in warnings[:MAX_WARNINGS]:
        say(f"warning: {line}")
    if len(warnings) > MAX_WARNINGS:
        say(f"warning: and {len(warnings) - MAX_WARNINGS} more suspect pass(es): REPORT.md "
            "lists them")
    say(f"report: {out}/REPORT.md (table and evidence: {out}/pros_cons.md, cells: "
        f"{out}/verdicts.json)")
    say(f"charts: {out}/charts/; logs: {out}/logs/; results: {out}/bench.json")
    return 0


def parse(argv: List[str]):
    import argparse
    parser = argparse.ArgumentParser(prog="bench_run.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    run = sub.add_parser("run")
    run.add_argument("--work", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--bench", required=True)
    run.add_argument("--quick", action="store_true")
    run.add_argument("--no-python", action="store_true")
    run.add_argument("--verbose", action="store_true")
    run.add_argument("--advise-accuracy", action="store_true")
    run.add_argument("--max-repetitions", type=int, default=15)
    run.add_argument("--max-seconds", type=int)
    run.add_argument("--disturbed-share", type=float, default=WARN_SHARE)
    summ = sub.add_parser("summary")
    summ.add_argument("--out", required=True)
    extra: List[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    args = parser.parse_args(argv)
    args.extra = extra
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        if args.step == "summary":
            return summary(args.out)
        return Run(args).main()
    except KeyboardInterrupt:
        # bench.sh says what the interruption left.
        Progress.clear()
        return 130


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""bench.sh's passes, as one table: what each runs (program and flags, for the full run and for
--quick), what it measures and what it is for. bench.sh's driver (bench_run.py) runs them in
this order, the rounds measure their rows again with the commands resolved from it, and the
pass table of docs/running.md is written from it.

usage: passes.py --doc [docs/running.md] [--check]

Adding a pass is adding one Pass(...) below. Executor sets are never written as names: a flag
value {overlapping} or {paired} is replaced, when the pass runs, by the executors of the
program's own catalogue (bench_kitchen's JSON context, or the CPython kitchen's catalogue) that
have that property (SELECTORS). {bin} is the folder of the bench_kitchen in use.
"""

import os
import re
import sys
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

sys.dont_write_bytecode = True

# The programs a pass can run. BENCH_URING is bench_kitchen's io_uring twin, built beside it
# when liburing is installed; a pass of a program that is not built is skipped, saying so.
BENCH = "bench_kitchen"
BENCH_URING = "bench_kitchen_uring"
PY_KITCHEN = "py_kitchen.py"
PROGRAMS = (BENCH, BENCH_URING, PY_KITCHEN)


@dataclass(frozen=True)
class Pass:
    name: str
    program: str
    # The flags of the full run, then of --quick; quick None: --quick leaves the pass out.
    flags: Tuple[str, ...]
    quick: Optional[Tuple[str, ...]]
    # What it measures (docs/running.md's words) and what for (a few words, on bench.sh's lines).
    what: str
    purpose: str

    def flags_for(self, quick: bool) -> Optional[Tuple[str, ...]]:
        return self.quick if quick else self.flags


def _overlapping(e) -> bool:
    """Keeps several dishes in preparation in the kitchen's own process. One that serves a dish
    at a time would spend seconds on each service of 200 orders or more, and cannot overlap two
    takes of the pantry; a pool of worker processes (side "processes") shares neither the
    pantry nor the row's connections, so the CPython kitchen leaves it out unless named."""
    return not e.one_at_a_time and e.side != "processes"


def _pool(e) -> bool:
    return e.side == "processes"


# Executor properties a pass selects by, over one program's catalogue (kitchen_report's
# catalogue.Executor entries): each takes the entry and the whole catalogue's entries.
SELECTORS: Dict[str, Tuple[str, Callable]] = {
    "overlapping": ("every executor that keeps several dishes in preparation in the kitchen's "
                    "own process", lambda e, entries: _overlapping(e)),
    # The like-for-like pairs the table compares, and nothing else.
    "paired": ("those of them in one of the catalogue's pairs",
               lambda e, entries: _overlapping(e) and e.pair in {x.name for x in entries}),
    # A pool and the threads executor it is compared with.
    "pools_paired": ("every pool of worker processes and the executor each names as its pair",
                     lambda e, entries: _pool(e) or e.name in {x.pair for x in entries
                                                               if _pool(x)}),
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# Repetitions of the passes the table reads: 5, each at least 0.03 s (a service is already a
# long iteration); the rounds add repetitions where a cell is undecided. --quick: 3 of 0.01 s.
REPS = ("--benchmark_repetitions=5", "--benchmark_min_time=0.03")
QUICK_REPS = ("--benchmark_repetitions=3", "--benchmark_min_time=0.01")
# The CPython kitchen's own timing flags.
PY_TIME = ("--min-time=0.03",)
PY_QUICK = ("--quick",)


def _net(chefs: int, program: str, name: str, quick: bool) -> Pass:
    """Real I/O at one chefs level, 10 customers a chef, so that every side can fill its chefs."""
    flags = ("--io=net", "--profiles=io", f"--chefs={chefs}", f"--customers={10 * chefs}",
             "--executors={overlapping}")
    reactor = "io_uring" if program == BENCH_URING else "epoll"
    return Pass(name, program, REPS + flags, QUICK_REPS + flags if quick else None,
                f"the io profile fetching from `pantry_server` over loopback TCP, Asio on "
                f"{reactor}", "the I/O row with real I/O")


def _cpython_net(chefs: int, quick: bool) -> Pass:
    flags = ("--io=net", "--profiles=io", f"--chefs={chefs}", f"--customers={10 * chefs}",
             "--executors={overlapping}", "--pantry-server={bin}/pantry_server")
    return Pass(f"cpython_net_{chefs}", PY_KITCHEN, flags + PY_TIME,
                flags + PY_QUICK if quick else None,
                "the same in CPython: blocking sockets for threads, asyncio streams",
                "the I/O row with real I/O, in CPython")


# The processes crossover: the cpu profile at 2 chefs (this machine's cores) as the CPU work per
# ingredient grows, 5 repetitions a row (a cell's interval needs 5 a side), the pools and their
# pairs in each pass, rows named /series:processes_crossover (or _spread) after the pass
# (kitchen_report/crossover.py), which keeps them out of the sweep.
CROSSOVER = ("--executors={pools_paired}", "--profiles=cpu", "--chefs=2", "--io-us=0",
             "--cpu-us=1,10,100,1000,10000", "--repetitions=5")


def _crossover(name: str, chunksize: int, quick_chunksize: int, what: str) -> Pass:
    series = "--series=" + name.replace("cpython_crossover", "processes_crossover")
    full = CROSSOVER + (series, "--customers=20", "--min-time=0.03")
    quick = CROSSOVER + (series, "--customers=10", "--min-time=0.01")
    if chunksize > 1:
        full += (f"--chunksize={chunksize}",)
        quick += (f"--chunksize={quick_chunksize}",)
    return Pass(name, PY_KITCHEN, full, quick, what, "where processes start to pay")


# In the order they run. Each chefs level of the net passes is a pass of its own; 1,000 chefs
# would need 10,000 customers a service and is left out of the budget.
PASSES: Tuple[Pass, ...] = (
    Pass("kitchen", BENCH,
         ("--benchmark_repetitions=3", "--benchmark_min_time=0.03"),
         ("--benchmark_repetitions=3", "--benchmark_min_time=0.01", "--quick"),
         "the default sweep: every executor over io, cpu, mixed x chefs x customers, 3 "
         "repetitions (most points only draw the charts; the rounds add where the table reads)",
         "throughput, latency, efficiency"),
    Pass("overhead", BENCH,
         REPS + ("--profiles=overhead", "--chefs=3,1000", "--customers=10000"),
         QUICK_REPS + ("--profiles=overhead", "--chefs=1,3", "--customers=2000"),
         "the overhead profile: nothing to wait for, nothing to compute",
         "per-dish cost of each executor"),
    # 7 repetitions: a median's 95% interval needs at least 6.
    Pass("floors", BENCH,
         ("--benchmark_repetitions=7", "--benchmark_min_time=0.03", "--profiles=overhead",
          "--chefs=3", "--customers=10000", "--benchmark_filter=^floor/"),
         None,
         "each executor's floor row: the same orders served by the floor and by the executor "
         "in the same iterations",
         "the harness share of each executor"),
    # The same points without the emulation are in the kitchen sweep.
    Pass("python_mode", BENCH,
         REPS + ("--profiles=cpu", "--gil=on", "--chefs=1,2,4", "--customers=20"),
         QUICK_REPS + ("--profiles=cpu", "--gil=on", "--chefs=1,2,4", "--customers=20"),
         "the cpu profile with the GIL emulation", "the table's CPU row"),
    Pass("pantry_locked", BENCH,
         REPS + ("--profiles=overhead", "--chefs=2", "--customers=5000", "--pantry=locked"),
         QUICK_REPS + ("--profiles=overhead", "--chefs=2", "--customers=1000",
                       "--pantry=locked"),
         "shared pantry stock updated under a lock", "the table's complexity row"),
    Pass("pantry_unlocked", BENCH,
         REPS + ("--profiles=overhead", "--chefs=2", "--customers=5000", "--pantry=unlocked"),
         QUICK_REPS + ("--profiles=overhead", "--chefs=2", "--customers=1000",
                       "--pantry=unlocked"),
         "the same stock updated without a lock", "the table's complexity row"),
    # A one-thread event loop races where the ingredient's wait sits inside the
    # read-modify-write, and only there.
    Pass("race_unlocked", BENCH,
         REPS + ("--profiles=io", "--chefs=10", "--customers=200", "--pantry=unlocked",
                 "--executors={overlapping}"),
         QUICK_REPS + ("--profiles=io", "--chefs=10", "--customers=50", "--pantry=unlocked",
                       "--executors={overlapping}"),
         "the pantry updated without a lock, the cooking step alone inside the update",
         "complexity: where each side races"),
    Pass("race_unlocked_await", BENCH,
         REPS + ("--profiles=io", "--chefs=10", "--customers=200", "--pantry=unlocked_await",
                 "--executors={overlapping}"),
         QUICK_REPS + ("--profiles=io", "--chefs=10", "--customers=50",
                       "--pantry=unlocked_await", "--executors={overlapping}"),
         "the same with the ingredient's wait inside the update too",
         "complexity: where each side races"),
    # --quick leaves out the one-dish-at-a-time kitchens here: no pair reads them.
    Pass("failures", BENCH,
         REPS + ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.05"),
         QUICK_REPS + ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.05",
                       "--executors={overlapping}"),
         "injected out-of-stock failures", "the table's error-handling row"),
    Pass("fail_fast", BENCH,
         REPS + ("--profiles=io", "--chefs=10,100", "--customers=100", "--fail-rate=0.01",
                 "--fail-fast"),
         QUICK_REPS + ("--profiles=io", "--chefs=10,100", "--customers=100",
                       "--fail-rate=0.01", "--fail-fast"),
         "the first failure cancels every other order", "the table's error-handling row"),
    _net(1, BENCH, "net_1", quick=True),
    _net(1, BENCH_URING, "net_uring_1", quick=True),
    _net(10, BENCH, "net_10", quick=True),
    _net(10, BENCH_URING, "net_uring_10", quick=True),
    _net(100, BENCH, "net_100", quick=False),
    _net(100, BENCH_URING, "net_uring_100", quick=False),
    # The kitchen sweep has the suite's 1 ns slack; many sleeping threads let the kernel batch
    # their wake-ups at the default. The sweep's own io grid (--quick's with --quick), so that
    # every chefs level the I/O row reads has its twin here.
    Pass("slack", BENCH,
         REPS + ("--profiles=io", "--timer-slack=default", "--executors={paired}"),
         QUICK_REPS + ("--quick", "--profiles=io", "--timer-slack=default",
                       "--executors={paired}"),
         "the io profile's grid at the system's default timer slack, the paired executors",
         "the I/O row as real programs run"),
    Pass("mechanisms", BENCH,
         ("--benchmark_repetitions=3", "--benchmark_filter=^(spawn|switch|timer)/"),
         ("--benchmark_repetitions=1", "--benchmark_filter=^(spawn|switch|timer)/"),
         "spawn, switch, timer accuracy", "why the kitchen rows come out as they do"),
    # A pass of its own so that --quick can give its few rows the 5 repetitions a cell's
    # interval needs (the memory rows and the fibers section read them) in a few seconds; it
    # leaves out the rows above 1,000 tasks, which take most of the full pass.
    Pass("memory", BENCH,
         ("--benchmark_repetitions=3", "--benchmark_filter=^memory/"),
         ("--benchmark_repetitions=5", "--benchmark_filter=^memory/[a-z_]+/tasks:(100|1000)/"),
         "memory per idle task of each mechanism kind (thread, coroutine, fiber)",
         "the memory rows of the table and of the fibers section"),
    Pass("cpython", PY_KITCHEN, PY_TIME, PY_QUICK,
         "`scripts/py_kitchen.py`: the kitchen in CPython, its default grid",
         "the real GIL, CPython's per-dish overhead"),
    _cpython_net(1, quick=True),
    _cpython_net(10, quick=True),
    _cpython_net(100, quick=False),
    Pass("cpython_failures", PY_KITCHEN,
         ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.05") + PY_TIME,
         ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.05") + PY_QUICK,
         "injected failures in CPython", "the error-handling row, in CPython"),
    Pass("cpython_fail_fast", PY_KITCHEN,
         ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.01",
          "--fail-fast") + PY_TIME,
         ("--profiles=io", "--chefs=10", "--customers=100", "--fail-rate=0.01",
          "--fail-fast") + PY_QUICK,
         "fail-fast cancellation in CPython", "the error-handling row, in CPython"),
    Pass("cpython_race_unlocked", PY_KITCHEN,
         ("--profiles=io", "--chefs=10", "--customers=200", "--pantry=unlocked",
          "--executors={overlapping}") + PY_TIME,
         ("--profiles=io", "--chefs=10", "--customers=50", "--pantry=unlocked",
          "--executors={overlapping}") + PY_QUICK,
         "the pantry without a lock in CPython", "complexity: where each side races, in CPython"),
    Pass("cpython_race_unlocked_await", PY_KITCHEN,
         ("--profiles=io", "--chefs=10", "--customers=200", "--pantry=unlocked_await",
          "--executors={overlapping}") + PY_TIME,
         ("--profiles=io", "--chefs=10", "--customers=50", "--pantry=unlocked_await",
          "--executors={overlapping}") + PY_QUICK,
         "the same with the wait inside the update, in CPython",
         "complexity: where each side races, in CPython"),
    # Open loop: Poisson arrivals (fixed gaps with fixed dish times cannot queue below capacity),
    # 2,000 orders a service so that p99 is not the second-worst order; a service is long enough
    # to be its own repetition.
    Pass("load", BENCH,
         ("--benchmark_repetitions=3", "--arrivals=poisson", "--profiles=io,mixed", "--chefs=100",
          "--customers=2000", "--load=0.5,0.75,0.9,1,1.2", "--benchmark_min_time=0.01"),
         ("--benchmark_repetitions=3", "--arrivals=poisson", "--profiles=io", "--chefs=100",
          "--customers=2000", "--load=0.5,1.2", "--benchmark_min_time=0.01"),
         "open loop: orders arrive at fractions of each point's ideal capacity, latency from "
         "each arrival", "latency against load, sustainable throughput"),
    Pass("cpython_load", PY_KITCHEN,
         ("--profiles=io", "--chefs=10", "--customers=150", "--load=0.25,0.5,0.75,0.9,1,1.2",
          "--min-time=0.01"),
         ("--profiles=io", "--chefs=10", "--customers=100", "--load=0.5,1.2", "--quick"),
         "the open loop in CPython", "latency against load, in CPython"),
    # The pools run only when named. At customers of their own, so that the threads rows beside
    # them are not the cpython pass's (one name twice would be refused by the merge).
    Pass("cpython_processes", PY_KITCHEN,
         ("--executors={pools_paired}", "--profiles=cpu,io", "--chefs=1,2", "--customers=200")
         + PY_TIME,
         ("--executors={pools_paired}", "--profiles=cpu,io", "--chefs=1,2", "--customers=40")
         + PY_QUICK,
         "a pool of worker processes and the threads it pairs with, cpu and io profiles, 1 and "
         "2 chefs", "the CPU and I/O rows' processes cells, a worker's memory"),
    _crossover("cpython_crossover", 1, 1,
               "a pool of worker processes beside the threads it pairs with, CPU work per "
               "ingredient from 1 µs to 10 ms, 2 chefs, chunksize 1"),
    # A chunksize that spreads each worker's share over 4 chunks, as multiprocessing.Pool.map
    # chooses by default: ceil(customers / (4 x chefs)).
    _crossover("cpython_crossover_spread", 3, 2,
               "the same with a chunksize that spreads the orders over the workers"),
)


def check_table(passes: Sequence[Pass] = PASSES) -> None:
    """Raises ValueError for a table bench.sh could not run: a name twice, an unknown program or
    placeholder."""
    seen = set()
    for p in passes:
        if p.name in seen or not re.fullmatch(r"[a-z0-9_]+", p.name):
            raise ValueError(f"pass '{p.name}': a name must be new and of a-z, 0-9 and _")
        seen.add(p.name)
        if p.program not in PROGRAMS:
            raise ValueError(f"pass '{p.name}': program '{p.program}'; expected one of "
                             f"{', '.join(PROGRAMS)}")
        for flag in p.flags + (p.quick or ()):
            for key in _PLACEHOLDER.findall(flag):
                if key not in SELECTORS and key != "bin":
                    raise ValueError(f"pass '{p.name}': '{{{key}}}' in {flag}; expected one of "
                                     f"{', '.join(sorted(SELECTORS))} or bin")


def selected(passes: Sequence[Pass], quick: bool, python: bool) -> List[Pass]:
    """The passes a run runs, in order: --quick leaves out those without quick flags,
    --no-python the CPython kitchen's."""
    return [p for p in passes if p.flags_for(quick) is not None
            and (python or p.program != PY_KITCHEN)]


def needs_catalogue(p: Pass, quick: bool) -> bool:
    return any(k in SELECTORS for f in p.flags_for(quick) or () for k in _PLACEHOLDER.findall(f))


def resolve(p: Pass, quick: bool, catalogue: Sequence, bin_dir: str) -> List[str]:
    """The pass's flags for this run, each placeholder replaced: a selector by the comma-separated
    names of `catalogue`'s entries with that property (refused when none has it), {bin} by
    bin_dir."""
    def value(match) -> str:
        key = match.group(1)
        if key == "bin":
            return bin_dir
        _, has = SELECTORS[key]
        chosen = [e.name for e in catalogue if has(e, catalogue)]
        if not chosen:
            raise ValueError(f"pass '{p.name}': no executor of {p.program}'s catalogue is "
                             f"{key} ({SELECTORS[key][0]})")
        return ",".join(chosen)

    return [_PLACEHOLDER.sub(value, f) for f in p.flags_for(quick)]


# docs/running.md's table, between these markers.
BEGIN = "<!-- passes:begin (scripts/lib/passes.py --doc writes this part) -->"
END = "<!-- passes:end -->"


def _shown(flags: Sequence[str]) -> str:
    # A | inside a cell ends it, even in a code span, unless escaped.
    return "`" + " ".join(flags).replace("|", "\\|") + "`" if flags else "(none)"


def doc_table(passes: Sequence[Pass] = PASSES) -> str:
    """One row per pass: its name and program, what it measures and what for, and its flags in
    the full run and with --quick ({name}: executors chosen by that property)."""
    lines = ["| pass | program | what | for | flags | `--quick` |", "|---|---|---|---|---|---|"]
    for p in passes:
        quick = "left out" if p.quick is None else _shown(p.quick)
        lines.append(f"| `{p.name}` | `{p.program}` | {p.what} | {p.purpose} | "
                     f"{_shown(p.flags)} | {quick} |")
    notes = [f"`{{{k}}}`: {what}" for k, (what, _) in SELECTORS.items()]
    notes.append("`{bin}`: the folder of the bench_kitchen in use")
    return "\n".join(lines) + "\n\nIn the flags, " + "; ".join(notes) + "."


def updated(doc: str, table: str) -> str:
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no {BEGIN} ... {END} section")
    return doc[:start + len(BEGIN)] + "\n" + table + "\n" + doc[end:]


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    if not rest or rest[0] != "--doc" or len(rest) > 2:
        print("passes.py: usage: passes.py --doc [docs/running.md] [--check]", file=sys.stderr)
        return 2
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    doc_path = rest[1] if len(rest) == 2 else os.path.join(repo, "docs", "running.md")
    try:
        check_table()
        with open(doc_path, encoding="utf-8") as f:
            doc = f.read()
        new = updated(doc, doc_table())
    except (OSError, ValueError) as e:
        print(f"passes.py: {e}", file=sys.stderr)
        return 2
    if check:
        if new != doc:
            print(f"passes.py: {doc_path}'s pass table is not the table of scripts/lib/"
                  "passes.py; run scripts/lib/passes.py --doc", file=sys.stderr)
            return 1
        return 0
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from kitchen_report.atomic import write_text
    write_text(doc_path, new)
    return 0


if __name__ == "__main__":
    sys.exit(main())

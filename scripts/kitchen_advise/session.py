"""What a run of kitchen advise needs before it measures, shared by the answer (main.py) and
the accuracy runs (accuracy.py): the bench_kitchen to measure with, its context on this
machine, the pairs its catalogue names that the model knows, the thread cap of a neighbour, and
the mechanism rows."""

import json
import os
import resource
import subprocess
from typing import List, Optional, Tuple

from kitchen_report import catalogue as cat
from kitchen_report.load import LoadError

from . import mechanisms as mech, measure, model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
class Refused(Exception):
    """Something the run cannot go on without; str() is the one line, exit 2."""


def find_bench(given: Optional[str]) -> str:
    """--bench when given (refused when it is not an executable file: no silent fallback),
    else $KITCHEN_BENCH_BIN, else the release build's."""
    if given is not None:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return given
        raise Refused(f"--bench={given}: no such executable file; expected the path of a "
                      "built bench_kitchen")
    for candidate in (os.environ.get("KITCHEN_BENCH_BIN"),
                      os.path.join(ROOT, "build", "release", "bin", "bench_kitchen")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise Refused("bench_kitchen is not built (looked for build/release/bin/bench_kitchen); "
                  "expected cmake --preset release && cmake --build --preset release first")


def probe(bench: str) -> dict:
    """bench_kitchen's context on this machine (its catalogue, usable cores, thread budget),
    from the smallest service it serves."""
    argv = [bench, "--executors=serial", "--profiles=overhead", "--chefs=1", "--customers=1",
            "--benchmark_repetitions=1", "--benchmark_min_time=0.001", "--benchmark_format=json"]
    done = subprocess.run(argv, capture_output=True, text=True)
    try:
        return json.loads(done.stdout)["context"]
    except (ValueError, KeyError):
        raise Refused(f"{bench} did not write its JSON context (exit {done.returncode}): "
                      f"{done.stderr.strip().splitlines()[-1:] or 'no message'}") from None


def thread_cap(context: dict, net: bool) -> int:
    """The most in flight a neighbour may ask for: half the threads the machine can still
    start (a thread executor starts one per chef), and for net rows half the open files (a
    socket per chef in the bench and one in the server)."""
    cap = int(context.get("thread_budget", 32768)) // 2
    if net:
        cap = min(cap, (resource.getrlimit(resource.RLIMIT_NOFILE)[1] - 64) // 2)
    return max(min(cap, 100_000), 1)


def choose(context: dict) -> Tuple[cat.Catalogue, List[Tuple[str, str]], List[str], List[str]]:
    c = cat.Catalogue()
    for e in cat.parse(context.get(cat.KEY), "bench_kitchen's context"):
        c.add(e, "bench_kitchen")
    pairs = [p for p in c.pairs() if all(model.modelled(c.get(e)) for e in p)]
    paired = {e for p in pairs for e in p}
    extra = [e.name for e in c if e.side == "async" and not e.one_at_a_time
             and e.name not in paired and model.modelled(e)]
    unmodelled = [e.name for e in c if not model.modelled(e) and not e.one_at_a_time]
    return c, pairs, extra, unmodelled


def fiber_pairs(c: cat.Catalogue) -> List[Tuple[str, str]]:
    """(partner, fiber executor) for each fibers-side executor the model knows that keeps
    several dishes in preparation, against each executor it names as pair or also_pair that
    the model knows too."""
    found = []
    for e in c:
        if e.side != "fibers" or e.one_at_a_time or not model.modelled(e):
            continue
        for partner in dict.fromkeys((e.pair, e.also_pair)):
            if model.modelled(c.get(partner)):
                found.append((partner, e.name))
    return found


def mechanisms_at_hand(bench: str, mechanisms_path: Optional[str], dry_run: bool, work: str,
                       context: dict) -> mech.Mechanisms:
    """The mechanism rows: --mechanisms, else the newest results at hand (checked against this
    machine's context), else measured now (in a dry run: none, overhead 0)."""
    try:
        m = mech.find(ROOT, mechanisms_path, context)
    except LoadError as e:
        raise Refused(str(e)) from None
    if m is not None:
        return m
    out = os.path.join(work, "mechanisms.json")
    command = mech.measure_command(bench, out)
    if dry_run:
        print("mechanisms: none at hand; a real run first measures them: " + " ".join(command))
        return mech.Mechanisms(source="none (dry run: overhead taken as 0)")
    measure.say("no mechanism rows at hand: measuring spawn, switch, timer and memory (a few seconds)")
    measure.run_monitored(command, "mechanisms", work)
    m = mech.read(out, "measured now: " + " ".join(command[1:3]))
    if m is None:
        raise Refused("the mechanism rows measured now are not usable")
    return m

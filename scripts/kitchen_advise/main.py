"""kitchen advise: the command. Exit status 0 with an answer, 1 when a measurement failed, 2 on
a bad command line (one line on stderr, nothing measured or written)."""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

from kitchen_report import catalogue as cat
from kitchen_report.atomic import write_text
from kitchen_report.figures import fmt
from kitchen_report.load import LoadError
from kitchen_report.strict_json import dumps

from . import answer, mechanisms as mech, measure, model, plan as plans
from .flags import USAGE, FlagError, Options, Workload, parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The context keys of bench_kitchen's JSON that the answer keeps.
CONTEXT_KEYS = ("usable_cores", "thread_budget", "thread_budget_limit", "compiler",
                "boost_version", "kitchen_git_revision", "kitchen_build_type", "cpu_ns_per_unit",
                "timer_slack_ns", "host_name", "date", "num_cpus", "asio_reactor")


class Refused(Exception):
    """Something the run cannot go on without; str() is the one line, exit 2."""


def say(text: str) -> None:
    measure.say(text)


def find_bench(given: Optional[str]) -> str:
    for candidate in (given, os.environ.get("KITCHEN_BENCH_BIN"),
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
    pairs = [p for p in c.pairs() if all(e in model.TRAITS for e in p)]
    paired = {e for p in pairs for e in p}
    extra = [e.name for e in c if e.side == "async" and not e.one_at_a_time
             and e.name not in paired and e.name in model.TRAITS]
    unmodelled = [e.name for e in c if e.name not in model.TRAITS and not e.one_at_a_time]
    return c, pairs, extra, unmodelled


def point_workload(w: Workload, p: plans.Point) -> Workload:
    """The workload bench_kitchen runs at a point: its chefs and its per-step costs."""
    return Workload(io_us=p.io_us, cpu_us=p.cpu_us, concurrency=p.chefs,
                    rate=w.rate if p.open_loop else None, net=w.net, gil=w.gil)


def predictions(plan: plans.Plan, m: mech.Mechanisms, cores: int
                ) -> Dict[Tuple[str, str], model.Prediction]:
    """Per (executor, point key), the model's prediction for what bench_kitchen runs there."""
    out = {}
    for p in plan.points:
        steps = plans.menu_steps(p.customers)
        for e in plan.executors:
            pred = model.predict(e, point_workload(plan.workload, p), steps, m, cores)
            out[(e, p.key)] = pred
    return out


def build_plan(w: Workload, context: dict, m: mech.Mechanisms, executors: List[str],
               pairs, extra) -> plans.Plan:
    cores = int(context.get("usable_cores", os.cpu_count() or 1))

    def slowest(n: int) -> float:
        ww = Workload(io_us=w.io_us, cpu_us=w.cpu_us, concurrency=n, net=w.net, gil=w.gil)
        steps = float(w.ingredients or plans.MENU_MEAN_STEPS)
        return min(model.predict(e, ww, steps, m, cores).rate for e in executors)

    user = Workload(io_us=w.io_us, cpu_us=w.cpu_us, concurrency=w.concurrency, net=w.net,
                    gil=w.gil)
    heavy = any(model.predict(e, user, plans.MENU_MEAN_STEPS, m, cores).bound == "cpu"
                for e in executors if model.TRAITS[e].cpu == "loop")
    return plans.make(w, pairs, extra, heavy, thread_cap(context, w.net), slowest)


def run(options: Options) -> int:
    started = time.monotonic()
    w = options.workload
    bench = find_bench(options.bench)
    context = probe(bench)
    catalogue, pairs, extra, unmodelled = choose(context)
    if not pairs:
        raise Refused("bench_kitchen's catalogue names no pair of a threads and an async "
                      "executor that the model knows; expected the suite's catalogue")
    cores = int(context.get("usable_cores", 1))
    work = tempfile.mkdtemp(prefix="kitchen-advise.")
    try:
        try:
            m = mech.find(ROOT, options.mechanisms_path)
        except LoadError as e:
            raise Refused(str(e)) from None
        if m is None:
            out = os.path.join(work, "mechanisms.json")
            command = mech.measure_command(bench, out)
            if options.dry_run:
                print("mechanisms: none at hand; a real run first measures them: "
                      + " ".join(command))
                m = mech.Mechanisms(source="none (dry run: overhead taken as 0)")
            else:
                say("no mechanism rows at hand: measuring spawn, switch, timer and memory "
                    "(a few seconds)")
                measure.run_monitored(command, "mechanisms", work)
                m = mech.read(out, "measured now: " + " ".join(command[1:3]))
                if m is None:
                    raise Refused("the mechanism rows measured now are not usable")
        names = [e for p in pairs for e in p]
        plan = build_plan(w, context, m, list(dict.fromkeys(names + extra)), pairs, extra)
        if unmodelled:
            plan.notes.append("not modelled, so not measured: " + ", ".join(unmodelled))
        preds = predictions(plan, m, cores)
        if options.dry_run:
            return dry_run(plan, preds, bench, m)
        measure.install_signals()
        budget = options.budget_s - (time.monotonic() - started)
        result = measure.measure(bench, plan, work, budget,
                                 lambda r: answer.undecided(r, plan))
        results = result.results()
        return report(options, plan, preds, results, result, context, m, catalogue,
                      time.monotonic() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def dry_run(plan: plans.Plan, preds, bench: str, m: mech.Mechanisms) -> int:
    w = plan.workload
    print(f"prediction (mechanisms from {m.source}):")
    for p in plan.points:
        for e in plan.executors:
            pr = preds[(e, p.key)]
            extra = ""
            if p.open_loop:
                extra = (", p99 unbounded: over the predicted capacity" if pr.over_capacity
                         else f", p99 at least {fmt(pr.p99_lower_s * 1e3)} ms")
            print(f"  {e} at {p.chefs}{' (open loop)' if p.open_loop else ''}: "
                  f"{fmt(pr.rate)}/s ({pr.bound} bound), N* {fmt(pr.pool_size)}, "
                  f"threads {pr.threads}{extra}")
    print("rows (one bench_kitchen command per point; rounds add --benchmark_filter):")
    for p in plan.points:
        print(" ".join(plans.command(bench, plan, p, plan.executors, measure.ROUND1,
                                     out="ROUND.json")))
    for n in plan.notes:
        print(f"note: {n}")
    return 0


def report(options: Options, plan: plans.Plan, preds, results, run: measure.Run, context: dict,
           m: mech.Mechanisms, catalogue, elapsed: float) -> int:
    w = plan.workload
    found = answer.cells(results, plan)
    rows = answer.measured(results, plan)
    line = answer.first_line(plan, found, rows)
    noise = measure.interference_summary(run.interference)
    out = [line]
    if noise["high"]:
        out.append(f"Warning: other processes took up to {noise['max_other_share'] * 100:.0f}% "
                   f"and steal up to {noise['max_steal_share'] * 100:.0f}% of the machine while "
                   "this measured (over 5%): the figures are suspect; run it again on a quiet "
                   "machine.")
    out += ["", "Per executor:"] + answer.table(plan, rows, preds)
    out += ["", "The model against the measurement (requests/s; error = predicted over measured "
            f"- 1; mechanisms from {m.source}):"] + answer.model_lines(plan, rows, preds)
    budget = context.get("thread_budget")
    out += answer.resources(plan, preds, int(budget) if budget is not None else None)
    out += ["", "Where the answer changes, within the neighbours measured:"]
    out += answer.changes(plan, found) or ["- only one point measured."]
    out += ["", "Cells (the table's rule: bootstrap 95% interval of the ratio of medians, tie "
            f"band ±{(answer.BAND - 1) * 100:.0f}%):"]
    out += [f"- {c.level}: {c.a} vs {c.b}, {c.counter}: {c.text()}" for c in found]
    out += ["", f"Measured in {run.rounds} round(s), {run.seconds:.0f} s ({run.stopped}); "
            f"{elapsed:.0f} s in all. Interference: other processes up to "
            f"{noise['max_other_share'] * 100:.1f}% of the machine, steal up to "
            f"{noise['max_steal_share'] * 100:.1f}% (hypervisor: {noise['hypervisor']})."]
    for failed in results.errors:
        out.append(f"Error row {failed.name}: {failed.message}")
    for n in plan.notes:
        out.append(f"Note: {n}.")
    out += ["", "Reproduce each row:"]
    commands = {}
    for mr in rows:
        commands[mr.row.name] = plans.reproduce(plan, mr.point, mr.executor,
                                                mr.row.repetitions)
        out.append(f"  {commands[mr.row.name]}")
    # The file first: a reader of stdout that goes away (| head) must not cost the answer.
    if options.json_path:
        errs = answer.errors(rows, preds)
        doc = {
            "kitchen_advise": 1,
            "answer": line,
            "inputs": dict(w.as_json(), budget_s=options.budget_s),
            "context": {k: context[k] for k in CONTEXT_KEYS if k in context},
            "mechanisms": m.as_json(),
            "plan": {"executors": plan.executors, "pairs": [list(p) for p in plan.pairs],
                     "points": [{"chefs": p.chefs, "customers": p.customers,
                                 "open_loop": p.open_loop, "io_us": p.io_us, "cpu_us": p.cpu_us}
                                for p in plan.points], "notes": plan.notes},
            "predictions": [dict(p.as_json(), point=k) for (e, k), p in preds.items()],
            "measured": [mr.as_json() for mr in rows],
            "cells": answer.cells_json(found),
            "errors": errs,
            "median_abs_rate_error_pct": answer.median_abs([e["rate_error_pct"] for e in errs]),
            "error_rows": [{"name": e.name, "message": e.message} for e in results.errors],
            "rounds": run.rounds, "measured_s": run.seconds, "elapsed_s": elapsed,
            "stopped": run.stopped,
            "interference": noise,
            "commands": commands,
        }
        write_text(options.json_path, dumps(doc, indent=1) + "\n")
    try:
        print("\n".join(out), flush=True)
    except BrokenPipeError:
        # Nobody reads the rest; Python must not complain about it at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "chart" in argv[:2]:
        from .accuracy import chart_main
        return chart_main([a for a in argv if a != "chart" and not a.startswith("--bench=")])
    if any(a in ("--help", "-h") for a in argv):
        print(USAGE)
        return 0
    try:
        options = parse(argv)
        if options.accuracy:
            from . import accuracy
            return accuracy.run(options)
        return run(options)
    except (FlagError, Refused) as e:
        print(f"kitchen advise: {e}", file=sys.stderr)
        return 2
    except measure.MeasureError as e:
        print(f"kitchen advise: {e}", file=sys.stderr)
        return 1

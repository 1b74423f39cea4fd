"""kitchen advise: the command. Exit status 0 with an answer, 1 when a measurement failed, 2 on
a bad command line (one line on stderr, nothing measured or written)."""

import os
import shutil
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

from kitchen_report.atomic import write_text
from kitchen_report.figures import fmt
from kitchen_report.strict_json import dumps

from . import accuracy, answer, decide, mechanisms as mech, measure, model, plan as plans
from . import processes, tables
from .session import (ROOT, Refused, choose, fiber_pairs, find_bench, mechanisms_at_hand, probe,
                      thread_cap)
from .flags import USAGE, FlagError, Options, Workload, parse

# The context keys of bench_kitchen's JSON that the answer keeps.
CONTEXT_KEYS = ("usable_cores", "thread_budget", "thread_budget_limit", "compiler",
                "boost_version", "kitchen_git_revision", "kitchen_build_type", "cpu_ns_per_unit",
                "timer_slack_ns", "host_name", "date", "num_cpus", "asio_reactor")


def point_workload(w: Workload, p: plans.Point) -> Workload:
    """The workload the model predicts at a point: its chefs, and the per-step costs
    bench_kitchen runs (with --ingredients=K the user's own, for K steps: see predictions)."""
    io, cpu = (w.io_us, w.cpu_us) if w.ingredients is not None else (p.io_us, p.cpu_us)
    return Workload(io_us=io, cpu_us=cpu, concurrency=p.chefs, rate=p.rate, net=w.net,
                    gil=w.gil)


def predictions(plan: plans.Plan, catalogue, m: mech.Mechanisms, cores: int
                ) -> Dict[Tuple[str, str], model.Prediction]:
    """Per (executor, point key), the model's prediction for the workload at that point: the
    menu's steps of what bench_kitchen runs, or with --ingredients=K the user's K steps of the
    user's per-step costs (bench_kitchen runs the menu's steps with the costs scaled, so its
    per-step hand-overs are the menu's steps' worth: the error says how much that matters)."""
    out = {}
    for p in plan.points:
        steps = (float(plan.workload.ingredients) if plan.workload.ingredients is not None
                 else plans.menu_steps(p.customers))
        for e in plan.executors:
            pred = model.predict(catalogue.get(e), point_workload(plan.workload, p), steps,
                                 m, cores, orders=p.customers)
            out[(e, p.key)] = pred
    return out


def build_plan(w: Workload, context: dict, catalogue, m: mech.Mechanisms,
               executors: List[str], pairs, extra, fibers=()) -> plans.Plan:
    cores = int(context.get("usable_cores", os.cpu_count() or 1))

    def slowest(n: int) -> float:
        ww = Workload(io_us=w.io_us, cpu_us=w.cpu_us, concurrency=n, net=w.net, gil=w.gil)
        steps = float(w.ingredients or plans.MENU_MEAN_STEPS)
        return min(model.predict(catalogue.get(e), ww, steps, m, cores).rate
                   for e in executors)

    user = Workload(io_us=w.io_us, cpu_us=w.cpu_us, concurrency=w.concurrency, net=w.net,
                    gil=w.gil)
    loops = [catalogue.get(e) for e in executors if catalogue.get(e).paid.cpu_on == "loop"]
    heavy = any(model.predict(e, user, plans.MENU_MEAN_STEPS, m, cores).bound == "cpu"
                for e in loops)
    return plans.make(w, pairs, extra, heavy, thread_cap(context, w.net), slowest, fibers)


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
        m = mechanisms_at_hand(bench, options.mechanisms_path, options.dry_run, work, context)
        fibers = fiber_pairs(catalogue)
        names = [e for p in pairs + fibers for e in p]
        plan = build_plan(w, context, catalogue, m, list(dict.fromkeys(names + extra)), pairs,
                          extra, fibers)
        if unmodelled:
            plan.notes.append("not modelled, so not measured: " + ", ".join(unmodelled))
        preds = predictions(plan, catalogue, m, cores)
        if options.dry_run:
            return dry_run(plan, preds, bench, m)
        measure.install_signals()
        budget = options.budget_s - (time.monotonic() - started)
        first = measure.round1_estimate_s(plan, preds)
        if first > budget:
            note = (f"round 1 is estimated (from the model's rates) at {first:.0f} s, over the "
                    f"{budget:.0f} s budget left; it runs whole (no cell is decided without it)")
            measure.say(note)
            plan.notes.append(note)
        result = measure.measure(bench, plan, work, budget,
                                 lambda r: decide.undecided(r, plan),
                                 lambda r: decide.sustainable_points(r, plan))
        results = result.results()
        # A point added after round 1 has no prediction yet.
        preds = predictions(plan, catalogue, m, cores)
        # Under the GIL, a CPU-heavy workload: CPython's process pool, measured apart.
        pools = (processes.measure(plan, work, measure.run_monitored)
                 if processes.applies(plan) else [])
        return report(options, plan, preds, results, result, context, m, catalogue,
                      time.monotonic() - started, pools)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def dry_run(plan: plans.Plan, preds, bench: str, m: mech.Mechanisms) -> int:
    print(f"prediction (mechanisms from {m.source}; {model.OVERHEAD_SOURCE}):")
    for p in plan.points:
        for e in plan.executors:
            pr = preds[(e, p.key)]
            extra = ""
            if p.open_loop:
                extra = (", over the predicted capacity: no p99 estimate" if pr.over_capacity
                         else f", p99 M/M/c estimate {fmt(pr.p99_estimate_s * 1e3)} ms")
            print(f"  {e} at {p.chefs}{' (open loop)' if p.open_loop else ''}: "
                  f"{fmt(pr.rate)}/s ({pr.bound} bound), N* (model) {fmt(pr.pool_size)}, "
                  f"threads {pr.threads}{extra}")
    print("rows (one bench_kitchen command per point; rounds add --benchmark_filter):")
    for p in plan.points:
        reps = measure.first_repetitions(plan, p)
        print(" ".join(plans.command(bench, plan, p, plan.executors, reps, out="ROUND.json")))
    if processes.applies(plan):
        print(processes.dry_run_line(plan))
    if plan.open_point is not None:
        print(f"note: {sustainable_dry_run(plan, preds)}")
    for n in plan.notes:
        print(f"note: {n}")
    return 0


def sustainable_dry_run(plan: plans.Plan, preds) -> str:
    """What a real run adds after round 1 when it measures the user's rate over capacity. A dry
    run cannot say the rate: it is a share of a capacity measured in round 1, and the model's
    largest errors are on thread executors, at many in flight (`kitchen advise accuracy`, per
    band)."""
    op = plan.open_point
    over = [e for e in plan.executors if preds[(e, op.key)].over_capacity]
    lowest = min(preds[(e, plan.user.key)].rate for e in plan.executors)
    when = (f"the model predicts your {fmt(op.rate)}/s over the capacity of "
            f"{', '.join(over)} at {fmt(op.chefs)} in flight, so a sustainable-rate point "
            "will be added after round 1 (once round 1 measures an executor over capacity "
            "there)" if over else
            "if round 1 measures an executor over capacity at your rate, a sustainable-rate "
            "point is added after it")
    return (f"{when}: an open loop at {fmt(op.chefs)} in flight with arrivals at "
            f"{plans.SUSTAINABLE_SHARE * 100:.0f}% of the lowest capacity measured in round 1 "
            "(each executor's closed-loop requests/s there, and what it served at your rate "
            "when over capacity), rounded down to two significant figures, "
            f"{measure.USER_REPETITIONS} repetitions of {plans.OPEN_LOOP_MIN:,} to "
            f"{plans.OPEN_LOOP_MAX:,} orders ({plans.OPEN_LOOP_S:g} s at that rate), measured "
            "whole in round 2 as round 1 is; its rate is not known before measuring "
            f"(the model's lowest capacity here, {fmt(lowest)}/s, would give "
            f"{fmt(plans.sustainable_rate(lowest))}/s, but its largest errors are on thread "
            "executors)")


def report(options: Options, plan: plans.Plan, preds, results, run: measure.Run, context: dict,
           m: mech.Mechanisms, catalogue, elapsed: float,
           pools: Optional[List[processes.Pool]] = None) -> int:
    found = decide.cells(results, plan)
    rows = decide.measured(results, plan)
    budget = context.get("thread_budget")
    budget = int(budget) if budget is not None else None
    rec = decide.recommend(plan, rows, preds, catalogue.side, budget,
                           decide.memory_available())
    line = answer.recommendation_line(plan, rec)
    # Where the model misses in the user's band (the newest accuracy figures of a machine like
    # this one, predicted again with this model), the answer says it leans on the measurement.
    unreliable = accuracy.unreliable_here(ROOT, plan.workload.concurrency)
    said = answer.comparisons_line(plan, found, rows)
    noise = measure.interference_summary(run.interference)
    out = ([line] + answer.side_lines(plan, rows, catalogue.side, unreliable) + [said]
           + processes.lines(pools or []))
    if noise["high"]:
        out.append(f"Warning: other processes took up to {noise['max_other_share'] * 100:.0f}% "
                   f"and steal up to {noise['max_steal_share'] * 100:.0f}% of the machine "
                   f"({os.cpu_count()} cores, shared: another engineer's build or tests may "
                   "run meanwhile) while this measured (over 5%): the figures are suspect; run "
                   "it again on a quiet machine.")
    out += ["", "Per executor:"] + tables.table(plan, rows, preds)
    out += ["", "The model against the measurement (requests/s; error = predicted over measured "
            f"- 1; mechanisms from {m.source}):"] + tables.model_lines(plan, rows, preds)
    out += tables.resources(plan, preds, budget, rows)
    out += ["", "Where the answer changes, within the neighbours measured:"]
    out += answer.changes(plan, found) or ["- only one point measured."]
    out += ["", f"Cells (the table's rule: {answer.RATIO_CI} of the ratio of medians "
            "(stats.median_ratio_interval, one look of the rounds), tie "
            f"band ±{(decide.BAND - 1) * 100:.0f}%; below {decide.USER_MIN_REPETITIONS} "
            "repetitions a side it gives no interval, so a cell of the neighbours' 3 stays "
            "undecided):"]
    out += [f"- {c.level}: {c.a} vs {c.b}, {c.counter}: {answer.cell_text(c)}" for c in found]
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
        doc = answer_doc(options, plan, preds, results, run, context, m, elapsed,
                         told=dict(answer=line, comparisons=said,
                                   recommendation=rec.as_json() if rec else None,
                                   unreliable=unreliable, cells=answer.cells_json(found),
                                   interference=noise, commands=commands,
                                   processes=[p.as_json() for p in pools or []]))
        write_text(options.json_path, dumps(doc, indent=1) + "\n")
    try:
        print("\n".join(out), flush=True)
    except BrokenPipeError:
        # Nobody reads the rest; Python must not complain about it at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def answer_doc(options: Options, plan: plans.Plan, preds, results, run: measure.Run,
               context: dict, m: mech.Mechanisms, elapsed: float, told: dict) -> dict:
    """The --json document: the whole answer; `told` holds what report has already made (the
    first line, the cells, the interference, the commands)."""
    rows = decide.measured(results, plan)
    errs = tables.errors(rows, preds, plan)
    return {
        "kitchen_advise": 1,
        "answer": told["answer"],
        "recommendation": told.get("recommendation"),
        "comparisons": told.get("comparisons"),
        "model_unreliable": told.get("unreliable", {}),
        "inputs": dict(plan.workload.as_json(), budget_s=options.budget_s),
        "context": {k: context[k] for k in CONTEXT_KEYS if k in context},
        "mechanisms": m.as_json(),
        "overhead_source": model.OVERHEAD_SOURCE,
        "plan": plan.as_json(),
        "predictions": [dict(p.as_json(), point=k) for (e, k), p in preds.items()],
        "measured": [mr.as_json() for mr in rows],
        "cells": told["cells"],
        "errors": errs,
        "median_abs_rate_error_pct": tables.median_abs([e["rate_error_pct"] for e in errs]),
        "error_rows": [{"name": e.name, "message": e.message} for e in results.errors],
        "rounds": run.rounds, "measured_s": run.seconds, "elapsed_s": elapsed,
        "stopped": run.stopped,
        "interference": told["interference"],
        "commands": told["commands"],
        # Under the GIL with CPU-heavy work: CPython's process pools against their threads.
        "cpython_processes": told.get("processes", []),
    }


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "chart" in argv[:2]:
        # matplotlib only for the chart: the answer and the accuracy run need none.
        from kitchen_report.charts.advise import chart_main
        return chart_main([a for a in argv if a != "chart" and not a.startswith("--bench=")])
    if "fit" in argv[:2]:
        return accuracy.fit_main([a for a in argv if a != "fit" and not a.startswith("--bench=")])
    if any(a in ("--help", "-h") for a in argv):
        print(USAGE)
        return 0
    try:
        options = parse(argv)
        if options.accuracy:
            return accuracy.run(options)
        return run(options)
    except (FlagError, Refused) as e:
        print(f"kitchen advise: {e}", file=sys.stderr)
        return 2
    except measure.MeasureError as e:
        print(f"kitchen advise: {e}", file=sys.stderr)
        return 1

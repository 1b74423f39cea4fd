"""How well the model predicts: `kitchen advise accuracy` measures the catalogue's pairs over a
fixed grid of workloads (waits 0 to 10 ms and work 0 to 1 ms per step, 1 to 1,000 in flight,
with and without the GIL), one closed-loop bench_kitchen row per executor and workload (3
interleaved repetitions after the warm-up), and sets each median requests/s against the
model's X. The error is (predicted - measured) / measured; per executor family (the catalogue's
sides), the median of its absolute values and the worst, with the workload it came from.

It writes --json=FILE (default: nothing, the summary on stdout) whole or not at all; REPORT.md
shows it when the results folder holds advise_accuracy.json (bench.sh --advise-accuracy).
Workloads are measured in GRID order until the budget (--budget-s, default 240) would be
passed; those left out are listed in the file."""

import os
import statistics
import sys
import tempfile
import time
import shutil
from typing import Dict, List, Optional

from kitchen_report import catalogue as cat
from kitchen_report.atomic import write_text
from kitchen_report.figures import fmt
from kitchen_report.load import LoadError, load
from kitchen_report.strict_json import dumps

from . import answer, mechanisms as mech, measure, model, plan as plans
from .flags import Options, Workload

# (wait us per step, work us per step, in flight, GIL). Chosen so that every service stays
# short (no large N with long work) while the grid spans the ranges the model is used over.
GRID = (
    (0, 100, 1, False), (0, 100, 2, False), (0, 100, 8, False), (0, 1000, 2, False),
    (0, 10, 10, False), (100, 0, 10, False), (100, 0, 100, False), (100, 10, 100, False),
    (1000, 0, 1, False), (1000, 0, 10, False), (1000, 0, 100, False), (1000, 0, 1000, False),
    (1000, 10, 1000, False), (1000, 100, 10, False), (1000, 100, 100, False),
    (500, 50, 100, False), (10000, 0, 10, False), (10000, 0, 1000, False),
    (10000, 100, 100, False), (2000, 1000, 4, False),
    (0, 200, 2, True), (1000, 100, 10, True), (500, 50, 100, True), (0, 1000, 4, True),
)
REPETITIONS = 3


def label(io: int, cpu: int, n: int, gil: bool) -> str:
    return f"io {io} us, cpu {cpu} us, {n} in flight" + (", GIL" if gil else "")


def summary(points: List[dict], families: Dict[str, str]) -> Dict[str, dict]:
    """Per family: how many points, the median absolute error and the worst error (signed)."""
    out = {}
    for fam in sorted(set(families.values())):
        errs = [p for p in points if families.get(p["executor"]) == fam
                and p.get("error_pct") is not None]
        if not errs:
            continue
        worst = max(errs, key=lambda p: abs(p["error_pct"]))
        out[fam] = {"points": len(errs),
                    "median_abs_error_pct": statistics.median(abs(p["error_pct"]) for p in errs),
                    "worst_error_pct": worst["error_pct"], "worst_at": worst["workload"],
                    "worst_executor": worst["executor"],
                    "within_25_pct": sum(abs(p["error_pct"]) <= 25 for p in errs)}
    return out


# A row of an existing run is set against the model only where every chef takes several
# orders: a service of fewer is mostly its opening and its drain, which the model leaves out.
FROM_ROUNDS_PER_CHEF = 4


def from_run(options: Options) -> int:
    """The model against the closed-loop kitchen rows of an existing run (--from): every row
    of a catalogued executor the model knows, timer I/O, the plain pantry, no failures, at
    least FROM_ROUNDS_PER_CHEF orders per chef, with the run's own usable cores and, unless
    --mechanisms says otherwise, its own mechanism rows. Each point keeps the interference
    its pass recorded."""
    import json
    from .main import Refused, choose
    try:
        results = load([options.from_path])
        m = (mech.find("", options.mechanisms_path) if options.mechanisms_path
             else mech.from_results(results, options.from_path))
    except LoadError as e:
        raise Refused(str(e)) from None
    if m is None:
        raise Refused(f"{options.from_path} has no spawn/ and switch/ rows; give "
                      "--mechanisms=FILE")
    context = results.contexts[0][1]
    catalogue, pairs, _, _ = choose(context)
    cores = int(context.get("usable_cores", 1))
    raw = context.get("kitchen_interference")
    passes = {r["name"]: r for r in (json.loads(raw) if isinstance(raw, str) else raw or [])}
    points = []
    for r in results.family("kitchen"):
        c = r.counters
        if (r.kind not in model.TRAITS or set(r.params) - {"chefs", "customers", "io_us",
                                                            "cpu_us"} or r.flags - {"gil"}
                or c.get("failed", 0) or not (c["io_us"] or c["cpu_us"])
                or c["customers"] < FROM_ROUNDS_PER_CHEF * c["chefs"]):
            continue
        n = int(c["chefs"])
        w = Workload(io_us=int(c["io_us"]), cpu_us=int(c["cpu_us"]), concurrency=n, gil=r.gil)
        pred = model.predict(r.kind, w, plans.menu_steps(int(c["customers"])), m, cores)
        record = passes.get(r.pass_name, {})
        points.append({
            "workload": label(w.io_us, w.cpu_us, n, r.gil), "io_us": w.io_us,
            "cpu_us": w.cpu_us, "concurrency": n, "gil": r.gil, "customers": int(c["customers"]),
            "executor": r.kind, "side": catalogue.side(r.kind), "predicted_per_s": pred.rate,
            "bound": pred.bound, "measured_per_s": c[answer.RATE],
            "repetitions": r.repetitions, "peak_in_preparation": c.get(answer.PEAK),
            "error_pct": model.error_pct(pred.rate, c[answer.RATE]),
            "other_share": record.get("other_share"),
            "steal_share": record.get("steal_share"), "row": r.name})
    families = {e.name: cat.family(catalogue, e.name) for e in catalogue}
    workloads = {(p["io_us"], p["cpu_us"], p["concurrency"], p["gil"], p["customers"])
                 for p in points}
    doc = {"kitchen_advise_accuracy": 1, "from": options.from_path,
           "context": {k: context[k] for k in ("usable_cores", "compiler",
                                               "kitchen_git_revision", "host_name", "date")
                       if k in context},
           "kitchen_catalogue": context.get(cat.KEY), "mechanisms": m.as_json(),
           "workloads": len(workloads), "skipped": [], "points": points,
           "families": summary(points, families),
           "families_quiet": summary([p for p in points if quiet(p)], families),
           "interference": measure.interference_summary(list(passes.values()))}
    for line in lines(doc):
        print(line)
    if options.json_path:
        write_text(options.json_path, dumps(doc, indent=1) + "\n")
    return 0


def run(options: Options) -> int:
    from .main import choose, find_bench, mechanisms_at_hand, probe, thread_cap
    if options.from_path:
        return from_run(options)
    started = time.monotonic()
    bench = find_bench(options.bench)
    context = probe(bench)
    catalogue, pairs, _, _ = choose(context)
    executors = list(dict.fromkeys(e for p in pairs for e in p))
    cores = int(context.get("usable_cores", 1))
    work = tempfile.mkdtemp(prefix="kitchen-advise-accuracy.")
    try:
        m = mechanisms_at_hand(bench, options.mechanisms_path, options.dry_run, work, context)
        measure.install_signals()
        points, skipped, records = [], [], []
        last_s = 0.0
        for i, (io, cpu, n, gil) in enumerate(GRID):
            w = Workload(io_us=io, cpu_us=cpu, concurrency=n, gil=gil)
            p = plans.make(w, pairs, [], False, thread_cap(context, False),
                           lambda k: min(model.predict(e, Workload(io, cpu, k, gil=gil),
                                                       plans.MENU_MEAN_STEPS, m,
                                                       cores).rate for e in executors))
            p.points = [p.user]
            point = p.user
            out = os.path.join(work, f"grid{i}.json")
            argv = plans.command(bench, p, point, executors, REPETITIONS, out)
            if options.dry_run:
                print(" ".join(argv))
                continue
            left = options.budget_s - (time.monotonic() - started)
            if last_s > left:
                skipped.append(label(io, cpu, n, gil))
                continue
            measure.say(f"workload {i + 1}/{len(GRID)}: {label(io, cpu, n, gil)} "
                        f"({left:.0f} s left)")
            t0 = time.monotonic()
            record = measure.run_monitored(argv, f"grid{i}", work)
            records.append(record)
            last_s = time.monotonic() - t0
            results = load([out])
            steps = plans.menu_steps(point.customers)
            for e in executors:
                row = answer.find_row(results, e, point)
                if row is None:
                    continue
                pred = model.predict(e, Workload(io, cpu, n, gil=gil), steps, m, cores)
                measured = row.counters[answer.RATE]
                points.append({
                    "workload": label(io, cpu, n, gil), "io_us": io, "cpu_us": cpu,
                    "concurrency": n, "gil": gil, "customers": point.customers,
                    "executor": e, "side": catalogue.side(e),
                    "predicted_per_s": pred.rate, "bound": pred.bound,
                    "measured_per_s": measured, "repetitions": row.repetitions,
                    "peak_in_preparation": row.counters.get(answer.PEAK),
                    "error_pct": model.error_pct(pred.rate, measured),
                    "other_share": record.get("other_share"),
                    "steal_share": record.get("steal_share"),
                    "command": plans.reproduce(p, point, e, REPETITIONS)})
        if options.dry_run:
            return 0
        families = {e: cat.family(catalogue, e) for e in executors}
        doc = {"kitchen_advise_accuracy": 1,
               "context": {k: context[k] for k in ("usable_cores", "compiler",
                                                   "kitchen_git_revision", "host_name", "date")
                           if k in context},
               "kitchen_catalogue": context.get(cat.KEY),
               "mechanisms": m.as_json(),
               "workloads": len(GRID) - len(skipped), "skipped": skipped,
               "points": points, "families": summary(points, families),
               "families_quiet": summary([p for p in points if quiet(p)], families),
               "interference": measure.interference_summary(records),
               "elapsed_s": time.monotonic() - started}
        for line in lines(doc):
            print(line)
        if options.json_path:
            write_text(options.json_path, dumps(doc, indent=1) + "\n")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def quiet(point: dict) -> bool:
    """Whether a point was measured while neither other processes nor the hypervisor's
    neighbours (steal) took more than the monitor's warning share of the machine."""
    return all((point.get(k) or 0) <= measure.WARN_SHARE for k in ("other_share", "steal_share"))


def lines(doc: dict) -> List[str]:
    """The summary a person reads (stdout, REPORT.md)."""
    where = f" of {doc['from']}" if doc.get("from") else ""
    out = [f"The model against {len(doc['points'])} measurements{where} over "
           f"{doc['workloads']} workloads (mechanisms from {doc['mechanisms']['source']}):"]
    for fam, s in doc["families"].items():
        out.append(f"- {fam}: median error {s['median_abs_error_pct']:.0f}% (absolute), worst "
                   f"{s['worst_error_pct']:+.0f}% ({s['worst_executor']} at {s['worst_at']}); "
                   f"{s['within_25_pct']} of {s['points']} within 25%")
    quiet = doc.get("families_quiet") or {}
    for fam, s in quiet.items():
        out.append(f"- {fam}, only the workloads measured while other processes and steal each "
                   f"took at most 5% of the machine: median error {s['median_abs_error_pct']:.0f}%, worst "
                   f"{s['worst_error_pct']:+.0f}% ({s['points']} points)")
    if doc["skipped"]:
        out.append(f"- not measured (budget): {'; '.join(doc['skipped'])}")
    noise = doc.get("interference", {})
    if noise.get("high"):
        out.append(f"- interference: other processes took up to "
                   f"{noise['max_other_share'] * 100:.0f}% of the machine and steal up to "
                   f"{noise.get('max_steal_share', 0) * 100:.0f}%: the figures are suspect")
    return out


def poor(doc: dict) -> List[str]:
    """Where the model is poor, from the data: per side, the workloads whose points are off by
    more than a factor of 2, grouped by the bound the model predicted."""
    out = []
    for side in ("threads", "async"):
        bad = [p for p in doc["points"] if p.get("side") == side and p.get("error_pct") is not None
               and (p["error_pct"] > 100 or p["error_pct"] < -50)]
        mine = [p for p in doc["points"] if p.get("side") == side]
        if not mine:
            continue
        if not bad:
            out.append(f"- {side}: every point within a factor of 2.")
            continue
        over = [p for p in bad if p["error_pct"] > 0]
        worst = sorted(bad, key=lambda p: -abs(p["error_pct"]))[:3]
        out.append(f"- {side}: {len(bad)} of {len(mine)} points off by more than a factor of 2 "
                   f"({len(over)} of them promised too much); the worst: "
                   + "; ".join(f"{p['executor']} at {p['workload']} ({p['error_pct']:+.0f}%, "
                               f"{p['bound']} bound)" for p in worst) + ".")
    return out


def chart_main(argv: List[str]) -> int:
    """`advise.py chart FILE --out DIR`: the predicted-against-measured chart (matplotlib)."""
    import json
    if len(argv) != 3 or argv[1] != "--out":
        print("kitchen advise: usage: advise.py chart ADVISE_ACCURACY.json --out DIR",
              file=sys.stderr)
        return 2
    from kitchen_report.charts import style
    from kitchen_report.charts.advise import accuracy
    with open(argv[0]) as f:
        doc = json.load(f)
    os.makedirs(argv[2], exist_ok=True)
    try:
        for stem, fig in accuracy(doc, f"kitchen advise accuracy; mechanisms from "
                                       f"{doc['mechanisms']['source']}"):
            style.save(fig, argv[2], stem)
    except style.NoData as e:
        print(f"kitchen advise: no accuracy chart: {e}", file=sys.stderr)
    return 0

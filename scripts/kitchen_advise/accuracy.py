"""How well the model predicts: `kitchen advise accuracy` measures the catalogue's pairs over
workloads, one closed-loop bench_kitchen row per executor and workload (3 interleaved
repetitions after the warm-up), and sets each median requests/s against the model's X and
against the naive model's min(N / (s (I + K)), c / (s K)), which knows only the requested
costs. The error is (predicted - measured) / measured.

Two sets of workloads (--set=grid|holdout|both): GRID, the fixed development grid the model's
terms are fitted on, and the held-out set, HOLDOUT_COUNT workloads drawn once from
HOLDOUT_SEED over the grid's ranges (holdout()), only ever measured and reported. Per set, per
side of the catalogue and per band of requests in flight (BANDS): the median and the worst
absolute error and the share within 25%, of the model and of the naive model on the same
points. A workload measured while other processes or steal took more than WARN_SHARE of the
machine is measured again (up to REMEASURE times); one still disturbed is reported apart.

It writes --json=FILE (default: nothing, the summary on stdout) whole or not at all; REPORT.md
shows it when the results folder holds advise_accuracy.json (bench.sh --advise-accuracy).
Workloads are measured in order until the set's budget (--budget-s, default 240 a set) would
be passed; those left out are listed in the file. --rescore=FILE predicts an existing file's
points again with this model (nothing measured)."""

import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import shutil
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from kitchen_report import catalogue as cat
from kitchen_report.atomic import write_text
from kitchen_report.load import LoadError, load
from kitchen_report.strict_json import dumps

from . import decide, mechanisms as mech, measure, model, plan as plans
from .session import Refused, choose, find_bench, mechanisms_at_hand, probe, thread_cap
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
# The held-out workloads: drawn from this seed, never changed once measured (a new seed is a
# new held-out set, and the old one's figures stay with it).
HOLDOUT_SEED = 3207
HOLDOUT_COUNT = 24
# A workload measured while the machine was disturbed is measured again at most this often.
REMEASURE = 2
# Bands of requests in flight: (name, lowest, highest or None).
BANDS = (("1-9", 1, 9), ("10-99", 10, 99), ("100-999", 100, 999), (">=1000", 1000, None))
# A band's median is judged (the worst band, the answer's warning) only with this many points.
BAND_MIN_POINTS = 6
WITHIN = 25.0


def label(io: int, cpu: int, n: int, gil: bool) -> str:
    return f"io {io} us, cpu {cpu} us, {n} in flight" + (", GIL" if gil else "")


def _two_figures(x: float) -> int:
    """A drawn cost rounded to two significant figures (a workload a person can type)."""
    if x < 1:
        return 1
    step = 10 ** max(int(math.floor(math.log10(x))) - 1, 0)
    return int(round(x / step) * step)


def _draw(rng: random.Random, values: Sequence[int]) -> int:
    """0 as often as the grid has it, else log-uniform over the grid's values above 0."""
    above = [v for v in values if v > 0]
    if rng.random() < (len(values) - len(above)) / len(values):
        return 0
    lo, hi = math.log(min(above)), math.log(max(above))
    return _two_figures(math.exp(rng.uniform(lo, hi)))


def holdout(seed: int = HOLDOUT_SEED, count: int = HOLDOUT_COUNT) -> Tuple[tuple, ...]:
    """`count` workloads drawn at random over the grid's ranges, as many in each band of
    requests in flight (BANDS), so that every band the grid spans is judged: in flight
    log-uniform over the band's part of the grid's range; the wait and the work each 0 as often
    as in the grid, else log-uniform over the grid's values above 0; the GIL as often as in the
    grid; the menu's ingredients, as the grid's. A draw is kept only within the grid's envelope
    of short services (requests in flight times work per step at most the grid's largest, and
    the GIL only up to the grid's most in flight under it: with hundreds of threads handing
    the emulated GIL over, a service runs for minutes) and costing something; no draw repeats
    a grid workload or another draw."""
    rng = random.Random(seed)
    ios, cpus = [g[0] for g in GRID], [g[1] for g in GRID]
    ns = [g[2] for g in GRID]
    gil_share = sum(g[3] for g in GRID) / len(GRID)
    envelope = max(g[1] * g[2] for g in GRID)
    gil_most = max(g[2] for g in GRID if g[3])
    spans = [(max(lo, min(ns)), min(hi or max(ns), max(ns))) for _, lo, hi in BANDS
             if lo <= max(ns)]
    found: List[tuple] = []
    for k, (lo, hi) in enumerate(spans):
        want = count * (k + 1) // len(spans)
        while len(found) < want:
            io, cpu = _draw(rng, ios), _draw(rng, cpus)
            n = int(round(math.exp(rng.uniform(math.log(lo), math.log(hi + 0.5)))))
            n = min(max(n, lo), hi)
            gil = rng.random() < gil_share
            w = (io, cpu, n, gil)
            if ((io or cpu) and cpu * n <= envelope and (n <= gil_most or not gil)
                    and w not in GRID and w not in found):
                found.append(w)
    return tuple(found)


def workloads(set_name: str) -> List[Tuple[str, tuple]]:
    """(set, workload) in measuring order: the grid's, then the held-out set's."""
    out = []
    if set_name in ("grid", "both"):
        out += [("grid", w) for w in GRID]
    if set_name in ("holdout", "both"):
        out += [("holdout", w) for w in holdout()]
    return out


def band(n: int) -> str:
    return next(name for name, lo, hi in BANDS if n >= lo and (hi is None or n <= hi))


def point_doc(e: cat.Executor, w: Workload, customers: int, m: mech.Mechanisms, cores: int,
              measured: float) -> dict:
    """One executor at one workload: the model's and the naive model's rates and errors."""
    steps = plans.menu_steps(customers)
    pred = model.predict(e, w, steps, m, cores, orders=customers)
    naive = model.naive(e, w, steps, cores)
    return {"workload": label(w.io_us, w.cpu_us, w.concurrency, w.gil), "io_us": w.io_us,
            "cpu_us": w.cpu_us, "concurrency": w.concurrency, "gil": w.gil,
            "customers": customers, "band": band(w.concurrency), "executor": e.name,
            "side": e.side, "predicted_per_s": pred.rate, "bound": pred.bound,
            "naive_per_s": naive, "measured_per_s": measured,
            "error_pct": model.error_pct(pred.rate, measured),
            "naive_error_pct": model.error_pct(naive, measured)}


def errors_of(points: Sequence[dict], key: str) -> Optional[dict]:
    """The median and worst absolute error of `key` (error_pct or naive_error_pct) over the
    points, with the worst's executor and workload, and how many are within WITHIN %."""
    kept = [p for p in points if p.get(key) is not None]
    if not kept:
        return None
    worst = max(kept, key=lambda p: abs(p[key]))
    within = sum(abs(p[key]) <= WITHIN for p in kept)
    return {"median_abs_error_pct": statistics.median(abs(p[key]) for p in kept),
            "worst_error_pct": worst[key], "worst_executor": worst["executor"],
            "worst_at": worst["workload"], "within_25_pct": within,
            "within_25_share": within / len(kept)}


def _cell(points: Sequence[dict]) -> dict:
    return {"points": len(points), "model": errors_of(points, "error_pct"),
            "naive": errors_of(points, "naive_error_pct")}


def score(points: Sequence[dict], catalogue: Optional[cat.Catalogue] = None) -> Dict[str, dict]:
    """Per side (the catalogue's, in its SIDES order): the model's and the naive model's
    errors over all its points and per band of requests in flight."""
    out = {}
    sides = sorted({p["side"] for p in points if p.get("side")},
                   key=lambda s: (cat.SIDES.index(s) if s in cat.SIDES else len(cat.SIDES), s))
    for side in sides:
        mine = [p for p in points if p.get("side") == side]
        bands = {name: _cell([p for p in mine if band(p["concurrency"]) == name])
                 for name, _, _ in BANDS}
        out[side] = dict(_cell(mine), bands={k: v for k, v in bands.items() if v["points"]})
    return out


def quiet(point: dict) -> bool:
    """Whether a point was measured while neither other processes nor the hypervisor's
    neighbours (steal) took more than the monitor's warning share of the machine."""
    return all((point.get(k) or 0) <= measure.WARN_SHARE for k in ("other_share", "steal_share"))


def set_summary(points: Sequence[dict], catalogue: Optional[cat.Catalogue] = None) -> dict:
    """A set's figures: over its quiet points (the headline), and apart over the disturbed."""
    calm = [p for p in points if quiet(p)]
    noisy = [p for p in points if not quiet(p)]
    return {"points": len(points), "workloads": len({p["workload"] for p in points}),
            "sides": score(calm, catalogue),
            "disturbed_points": len(noisy), "sides_disturbed": score(noisy, catalogue)}


def worst_band(sides: Dict[str, dict], side: Optional[str] = None) -> Optional[dict]:
    """The band (of a side, or of every side) with BAND_MIN_POINTS points or more whose model
    median error is the largest."""
    found = [(s, b, cell) for s, doc in sides.items() if side in (None, s)
             for b, cell in doc["bands"].items()
             if cell["points"] >= BAND_MIN_POINTS and cell["model"]]
    if not found:
        return None
    s, b, cell = max(found, key=lambda f: f[2]["model"]["median_abs_error_pct"])
    return {"side": s, "band": b, "points": cell["points"],
            "median_abs_error_pct": cell["model"]["median_abs_error_pct"],
            "naive_median_abs_error_pct": (cell["naive"] or {}).get("median_abs_error_pct")}


def unreliable_bands(sides: Dict[str, dict]) -> Dict[Tuple[str, str], float]:
    """(side, band) -> the model's median error, where it misses by more than WITHIN % with
    at least BAND_MIN_POINTS points."""
    return {(s, b): cell["model"]["median_abs_error_pct"]
            for s, doc in sides.items() for b, cell in doc["bands"].items()
            if cell["points"] >= BAND_MIN_POINTS and cell["model"]
            and cell["model"]["median_abs_error_pct"] > WITHIN}


def document(points: List[dict], sets: Sequence[str], skipped: Dict[str, List[str]],
             context: dict, m: mech.Mechanisms, records: List[dict], **extra) -> dict:
    """The advise_accuracy.json document (a measured run, --from or --rescore)."""
    summaries = {}
    for s in sets:
        mine = [p for p in points if p.get("set", "grid") == s]
        summaries[s] = dict(set_summary(mine), skipped=skipped.get(s, []))
    doc = {"kitchen_advise_accuracy": 2,
           "context": {k: context[k] for k in ("usable_cores", "compiler",
                                               "kitchen_git_revision", "host_name", "date")
                       if k in context},
           "kitchen_catalogue": context.get(cat.KEY), "mechanisms": m.as_json(),
           "overhead_source": model.OVERHEAD_SOURCE,
           "holdout_seed": HOLDOUT_SEED, "bands": [b[0] for b in BANDS],
           "workloads": len({(p.get("set", "grid"), p["workload"]) for p in points}),
           "skipped": [w for s in sets for w in skipped.get(s, [])],
           "points": points, "sets": summaries,
           "interference": measure.interference_summary(records)}
    doc.update(extra)
    return doc


def _emit(doc: dict, options: Options) -> int:
    for line in lines(doc):
        print(line)
    if options.json_path:
        write_text(options.json_path, dumps(doc, indent=1) + "\n")
    return 0


# A row of an existing run is set against the model only where every chef takes several
# orders: a service of fewer is mostly its opening and its drain, which the model leaves out.
FROM_ROUNDS_PER_CHEF = 4


def from_run(options: Options) -> int:
    """The model against the closed-loop kitchen rows of an existing run (--from): every row
    of a catalogued executor the model knows, timer I/O, the plain pantry, no failures, at
    least FROM_ROUNDS_PER_CHEF orders per chef, with the run's own usable cores and, unless
    --mechanisms says otherwise, its own mechanism rows. Each point keeps the interference
    its pass recorded."""
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
    catalogue, _, _, _ = choose(context)
    cores = int(context.get("usable_cores", 1))
    raw = context.get("kitchen_interference")
    passes = {r["name"]: r for r in (json.loads(raw) if isinstance(raw, str) else raw or [])}
    points = []
    for r in results.family("kitchen"):
        c = r.counters
        if (not model.modelled(catalogue.get(r.kind)) or set(r.params) - {"chefs", "customers", "io_us",
                                                            "cpu_us"} or r.flags - {"gil"}
                or c.get("failed", 0) or not (c["io_us"] or c["cpu_us"])
                or c["customers"] < FROM_ROUNDS_PER_CHEF * c["chefs"]):
            continue
        w = Workload(io_us=int(c["io_us"]), cpu_us=int(c["cpu_us"]),
                     concurrency=int(c["chefs"]), gil=r.gil)
        record = passes.get(r.pass_name, {})
        p = point_doc(catalogue.get(r.kind), w, int(c["customers"]), m, cores, c[decide.RATE])
        p.update({"set": "grid", "repetitions": r.repetitions,
                  "peak_in_preparation": c.get(decide.PEAK),
                  "other_share": record.get("other_share"),
                  "steal_share": record.get("steal_share"), "row": r.name})
        points.append(p)
    doc = document(points, ["grid"], {}, dict(context), m, list(passes.values()),
                   **{"from": options.from_path})
    return _emit(doc, options)


def _records_by_point(doc: dict) -> Dict[Tuple[str, str], dict]:
    """(set, workload label) -> the interference record it was measured under, for files
    whose points do not carry both shares (records are named <set><index>[.<attempt>])."""
    out = {}
    for r in doc.get("interference", {}).get("records", []):
        name = str(r.get("name", "")).split(".")[0]
        for s in ("holdout", "grid"):
            if name.startswith(s) and name[len(s):].isdigit():
                i = int(name[len(s):])
                ws = GRID if s == "grid" else holdout()
                if i < len(ws):
                    out[(s, label(*ws[i]))] = r
                break
    return out


def with_shares(doc: dict) -> List[dict]:
    """A file's points, copied, each with its set and the interference shares of the command
    it was measured in (from the file's records where a point does not carry them)."""
    records = _records_by_point(doc)
    out = []
    for p in doc["points"]:
        q = dict(p, set=p.get("set", "grid"))
        record = records.get((q["set"], q["workload"]), {})
        for k in ("other_share", "steal_share"):
            if q.get(k) is None and k in record:
                q[k] = record[k]
        out.append(q)
    return out


class NotAccuracyFile(ValueError):
    """A file that is no advise_accuracy.json; str() says why."""


def predicted_again(path: str, sets: Sequence[str], m: Optional[mech.Mechanisms] = None
                    ) -> Tuple[dict, List[dict], mech.Mechanisms]:
    """An advise_accuracy.json's points of `sets`, each predicted again with this model and the
    file's own mechanisms (or `m`) and usable cores, the measured figures kept as they are;
    with the file and the mechanisms."""
    try:
        with open(path) as f:
            old = json.load(f)
        m = m or mech.from_json(old["mechanisms"])
        cores = int(old["context"]["usable_cores"])
        catalogue = cat.Catalogue()
        for e in cat.parse(old.get("kitchen_catalogue"), path):
            catalogue.add(e, path)
        if not isinstance(old.get("points"), list):
            raise KeyError("points")
        points = []
        for p in with_shares(old):
            if p["set"] not in sets or not model.modelled(catalogue.get(p["executor"])):
                continue
            w = Workload(io_us=int(p["io_us"]), cpu_us=int(p["cpu_us"]),
                         concurrency=int(p["concurrency"]), gil=bool(p["gil"]))
            p.update(point_doc(catalogue.get(p["executor"]), w, int(p["customers"]), m, cores,
                               p["measured_per_s"]))
            points.append(p)
    except (OSError, ValueError, KeyError, TypeError, cat.CatalogueError) as e:
        raise NotAccuracyFile(f"{path}: not an advise_accuracy.json ({type(e).__name__}: "
                              f"{e}); expected one written by kitchen advise accuracy "
                              "--json") from None
    return old, points, m


def rescore(options: Options) -> int:
    """--rescore: every point of an advise_accuracy.json predicted again with this model."""
    sets = ["grid", "holdout"] if options.set_name == "both" else [options.set_name]
    try:
        given = mech.find("", options.mechanisms_path) if options.mechanisms_path else None
        old, points, m = predicted_again(options.rescore_path, sets, given)
    except NotAccuracyFile as e:
        raise Refused(f"--rescore={e}") from None
    except LoadError as e:
        raise Refused(str(e)) from None
    context = dict(old.get("context", {}), **{cat.KEY: old.get("kitchen_catalogue")})
    doc = document(points, sets, {s: old.get("sets", {}).get(s, {}).get("skipped", [])
                                  for s in sets}, context, m,
                   old.get("interference", {}).get("records", []),
                   rescored_from=options.rescore_path)
    return _emit(doc, options)


def accuracy_files(root: str) -> List[str]:
    """The accuracy files the answer reads the model's errors from: the latest run's, then the
    committed references', newest first."""
    import glob
    found = [os.path.join(root, "results", "latest", ADVISE_ACCURACY)]
    found += sorted(glob.glob(os.path.join(root, "results", "reference", "*",
                                           ADVISE_ACCURACY)), reverse=True)
    return [p for p in found if os.path.isfile(p)]


ADVISE_ACCURACY = "advise_accuracy.json"


def unreliable_here(root: str, n: int) -> Dict[str, str]:
    """Per side, the words saying that the model's prediction is unreliable at n in flight:
    where its median error in n's band is over WITHIN % over BAND_MIN_POINTS points or more,
    in the first accuracy file at hand (accuracy_files), its points predicted again with this
    model: its held-out set where it has one, else its grid (said). Empty when no file has
    figures for that band."""
    here_model = mech.cpu_model()
    files = accuracy_files(root)
    # A file measured on a machine with this one's CPU model first: the model's errors (and
    # the grid its growth was fitted on) are a machine's.
    files.sort(key=lambda p: mech._machine_md_model(os.path.dirname(p)) != here_model)
    for path in files:
        try:
            old, points, _ = predicted_again(path, ("grid", "holdout"))
        except NotAccuracyFile:
            continue
        which = "holdout" if any(p["set"] == "holdout" for p in points) else "grid"
        sides = score([p for p in points if p["set"] == which and quiet(p)])
        flagged = unreliable_bands(sides)
        here = band(n)
        name = "held-out workloads" if which == "holdout" else "development grid"
        where = os.path.relpath(path, root)
        return {side: (f"the model's prediction is unreliable at {here} in flight on this side "
                       f"(median error {err:.0f}% over the {name} of {where}): the answer "
                       "leans on the measurement alone")
                for (side, b), err in flagged.items() if b == here}
    return {}


@dataclass
class Measuring:
    """One workload's command and its attempts: the quietest attempt's file and record."""
    set_name: str
    index: int
    workload: Workload
    plan: plans.Plan
    argv: List[str]
    out: str
    attempts: int = 0
    seconds: float = 0.0
    record: Optional[dict] = None
    shares: float = math.inf

    @property
    def name(self) -> str:
        return f"{self.set_name}{self.index}"

    def measure(self, work: str) -> None:
        """One more attempt; its file replaces the kept one when it was quieter."""
        self.attempts += 1
        path = f"{self.out}.{self.attempts}"
        argv = [a if not a.startswith("--benchmark_out=") else f"--benchmark_out={path}"
                for a in self.argv]
        t0 = time.monotonic()
        record = measure.run_monitored(argv, f"{self.name}.{self.attempts}", work)
        self.seconds = time.monotonic() - t0
        shares = max(record.get("other_share", 0.0), record.get("steal_share", 0.0))
        if shares < self.shares:
            self.shares, self.record = shares, record
            os.replace(path, self.out)


def _schedule(todo: List[Measuring], work: str, budget_s: float) -> None:
    """Every workload once, in order, while the budget allows another of the length of the last
    one; then the disturbed ones again (other processes or steal over WARN_SHARE), up to
    REMEASURE times each, while the budget allows another of their own length."""
    started = time.monotonic()
    last = 0.0
    for t in todo:
        left = budget_s - (time.monotonic() - started)
        if last > left:
            continue
        measure.say(f"{t.set_name} workload {t.index + 1}: {label(*_key(t.workload))} "
                    f"({left:.0f} s left)")
        t.measure(work)
        last = t.seconds
    for _ in range(REMEASURE):
        for t in todo:
            left = budget_s - (time.monotonic() - started)
            if t.record is None or t.shares <= measure.WARN_SHARE or t.seconds > left:
                continue
            # One decimal: a share just over WARN_SHARE must not print as "5%".
            measure.say(f"{t.name}: other processes {t.record.get('other_share', 0) * 100:.1f}"
                        f"%, steal {t.record.get('steal_share', 0) * 100:.1f}% of the machine: "
                        f"measuring it again ({left:.0f} s left)")
            t.measure(work)


def _key(w: Workload) -> tuple:
    return (w.io_us, w.cpu_us, w.concurrency, w.gil)


def run(options: Options) -> int:
    if options.from_path:
        return from_run(options)
    if options.rescore_path:
        return rescore(options)
    started = time.monotonic()
    bench = find_bench(options.bench)
    context = probe(bench)
    catalogue, pairs, _, _ = choose(context)
    executors = list(dict.fromkeys(e for p in pairs for e in p))
    cores = int(context.get("usable_cores", 1))
    sets = ["grid", "holdout"] if options.set_name == "both" else [options.set_name]
    work = tempfile.mkdtemp(prefix="kitchen-advise-accuracy.")
    try:
        m = mechanisms_at_hand(bench, options.mechanisms_path, options.dry_run, work, context)
        measure.install_signals()
        todo: List[Measuring] = []
        counts: Dict[str, int] = {}
        for s, (io, cpu, n, gil) in workloads(options.set_name):
            i = counts[s] = counts.get(s, -1) + 1
            w = Workload(io_us=io, cpu_us=cpu, concurrency=n, gil=gil)
            p = plans.make(w, pairs, [], False, thread_cap(context, False),
                           lambda k: min(model.predict(catalogue.get(e),
                                                       Workload(io, cpu, k, gil=gil),
                                                       plans.MENU_MEAN_STEPS, m,
                                                       cores).rate for e in executors))
            p.points = [p.user]
            out = os.path.join(work, f"{s}{i}.json")
            argv = plans.command(bench, p, p.user, executors, REPETITIONS, out)
            if options.dry_run:
                print(f"{s} {i + 1}: " + " ".join(argv))
                continue
            todo.append(Measuring(s, i, w, p, argv, out))
        if options.dry_run:
            return 0
        _schedule(todo, work, options.budget_s * len(sets))
        skipped: Dict[str, List[str]] = {s: [] for s in sets}
        points, records = [], []
        for t in todo:
            if t.record is None:
                skipped[t.set_name].append(label(*_key(t.workload)))
                continue
            records.append(t.record)
            results = load([t.out])
            point = t.plan.user
            for e in executors:
                row = decide.find_row(results, e, point)
                if row is None:
                    continue
                q = point_doc(catalogue.get(e), t.workload, point.customers, m, cores,
                              row.counters[decide.RATE])
                q.update({"set": t.set_name, "repetitions": row.repetitions,
                          "peak_in_preparation": row.counters.get(decide.PEAK),
                          "other_share": t.record.get("other_share"),
                          "steal_share": t.record.get("steal_share"),
                          "attempts": t.attempts,
                          "command": plans.reproduce(t.plan, point, e, REPETITIONS)})
                points.append(q)
        doc = document(points, sets, skipped, context, m, records,
                       elapsed_s=time.monotonic() - started)
        return _emit(doc, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def band_table(sides: Dict[str, dict]) -> List[str]:
    """The per side and band table (markdown), the model beside the naive model."""
    out = ["| side | in flight | points | model: median | worst | within 25% "
           "| naive: median | worst | within 25% |", "|---|---|---|---|---|---|---|---|---|"]

    def cells(e: Optional[dict]) -> str:
        if not e:
            return "- | - | -"
        return (f"{e['median_abs_error_pct']:.1f}% | {e['worst_error_pct']:+.0f}% | "
                f"{e['within_25_pct']} ({e['within_25_share'] * 100:.0f}%)")

    for side, doc in sides.items():
        for b, cell in list(doc["bands"].items()) + [("all", doc)]:
            out.append(f"| {side} | {b} | {cell['points']} | {cells(cell['model'])} | "
                       f"{cells(cell['naive'])} |")
    return out


def _pct(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.0f}%"


def headline(doc: dict, set_name: str) -> Optional[str]:
    """One sentence for a set: per side the model's median against the naive model's, and
    the worst band (README, REPORT.md)."""
    s = doc.get("sets", {}).get(set_name)
    if not s or not s["sides"]:
        return None
    parts = [f"{side} {_pct(d['model']['median_abs_error_pct'])} (naive "
             f"{_pct((d['naive'] or {}).get('median_abs_error_pct'))})"
             for side, d in s["sides"].items() if d["model"]]
    worst = worst_band(s["sides"])
    tail = (f"; worst band: {worst['side']} at {worst['band']} in flight, "
            f"{_pct(worst['median_abs_error_pct'])} (naive "
            f"{_pct(worst['naive_median_abs_error_pct'])}, {worst['points']} points)"
            if worst else "")
    return (f"{set_name}: median error by side, model (naive): " + ", ".join(parts) + tail
            + f"; {s['disturbed_points']} disturbed points apart")


def lines(doc: dict) -> List[str]:
    """The summary a person reads (stdout, REPORT.md)."""
    where = f" of {doc['from']}" if doc.get("from") else ""
    again = (f" (predicted again from {doc['rescored_from']})" if doc.get("rescored_from")
             else "")
    out = [f"The model against {len(doc['points'])} measurements{where} over "
           f"{doc['workloads']} workloads{again} (mechanisms from "
           f"{doc['mechanisms']['source']}); the naive model min(N / (s (I + K)), c / (s K)) "
           "on the same points; errors absolute, (predicted - measured) / measured:"]
    # A file from before the sets (kitchen_advise_accuracy 1) is its grid's points alone.
    sets = doc.get("sets") or ({"grid": dict(set_summary(with_shares(doc)),
                                             skipped=doc.get("skipped", []))}
                               if doc.get("points") else {})
    for set_name, s in sets.items():
        title = ("the development grid (the model's terms are fitted on it)"
                 if set_name == "grid" else
                 f"the held-out set (seed {doc.get('holdout_seed')}, never tuned on)")
        out += ["", f"{set_name}: {title}, {s['points']} points over {s['workloads']} "
                    "workloads measured while other processes and steal each took at most "
                    f"{measure.WARN_SHARE * 100:.0f}% of the machine:" if not s[
                        "disturbed_points"] else
                f"{set_name}: {title}, {s['points'] - s['disturbed_points']} of {s['points']} "
                f"points, those measured while other processes and steal each took at most "
                f"{measure.WARN_SHARE * 100:.0f}% of the machine:", ""]
        out += band_table(s["sides"])
        head = headline(dict(doc, sets=sets), set_name)
        if head:
            out += ["", head + "."]
        if s["disturbed_points"]:
            out += ["", f"{set_name}, apart: the {s['disturbed_points']} points measured while "
                        "disturbed (other processes or steal over 5% of the machine in its quietest "
                        "attempt):"]
            out += [""] + band_table(s["sides_disturbed"])
        if s.get("skipped"):
            out.append(f"- not measured (budget): {'; '.join(s['skipped'])}")
    noise = doc.get("interference", {})
    if noise.get("high"):
        out.append(f"- interference: other processes took up to "
                   f"{noise['max_other_share'] * 100:.1f}% of the machine and steal up to "
                   f"{noise.get('max_steal_share', 0) * 100:.1f}% in some commands")
    return out


def poor(doc: dict) -> List[str]:
    """Where the model is poor, from the data: per side, the points off by more than a factor
    of 2, with the bound the model predicted."""
    out = []
    sides = sorted({p["side"] for p in doc["points"] if p.get("side")},
                   key=lambda s: (cat.SIDES.index(s) if s in cat.SIDES else len(cat.SIDES), s))
    for side in sides:
        mine = [p for p in doc["points"] if p.get("side") == side]
        bad = [p for p in mine if p.get("error_pct") is not None
               and (p["error_pct"] > 100 or p["error_pct"] < -50)]
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


# The search behind model.THREAD_COST_SCALE and THREAD_COST_EXPONENT (fit_main).
FIT_SCALES = tuple(x / 40 for x in range(10, 41))
FIT_EXPONENTS = tuple(x / 40 for x in range(0, 17))


def fit_thread_costs(doc: dict, scales: Sequence[float] = FIT_SCALES,
                     exponents: Sequence[float] = FIT_EXPONENTS) -> Tuple[float, float, int]:
    """The (scale, exponent) of the kernel threads' cost growth (model.growth), among every
    pair of `scales` and `exponents`, that minimise the sum of |log(predicted / measured)|
    over the quiet grid points of executors whose waits block a kernel thread, with the
    file's mechanisms and cores; held-out points never enter. Returns the pair and how many
    points it was fitted on."""
    m = mech.from_json(doc["mechanisms"])
    cores = int(doc["context"]["usable_cores"])
    catalogue = cat.Catalogue(cat.parse(doc.get(cat.KEY), "the accuracy file"))
    points = [p for p in with_shares(doc) if p["set"] == "grid" and quiet(p)
              and model.modelled(catalogue.get(p["executor"]))
              and catalogue.get(p["executor"]).paid.wait == model.THREAD_WAIT]
    saved = model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT
    best = None
    try:
        for scale in scales:
            for exponent in exponents:
                model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT = scale, exponent
                loss = 0.0
                for p in points:
                    w = Workload(io_us=int(p["io_us"]), cpu_us=int(p["cpu_us"]),
                                 concurrency=int(p["concurrency"]), gil=bool(p["gil"]))
                    rate = model.predict(catalogue.get(p["executor"]), w,
                                         plans.menu_steps(p["customers"]), m, cores,
                                         orders=int(p["customers"])).rate
                    loss += abs(math.log(rate / p["measured_per_s"]))
                if best is None or loss < best[0]:
                    best = (loss, scale, exponent)
    finally:
        model.THREAD_COST_SCALE, model.THREAD_COST_EXPONENT = saved
    return best[1], best[2], len(points)


def fit_main(argv: List[str]) -> int:
    """`advise.py fit ADVISE_ACCURACY.json`: the search behind model.THREAD_COST_SCALE and
    THREAD_COST_EXPONENT, on that file's grid points only (about a minute and a half)."""
    if len(argv) != 1 or not os.path.isfile(argv[0]):
        print("kitchen advise: usage: advise.py fit ADVISE_ACCURACY.json (a file written by "
              "kitchen advise accuracy --json)", file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        doc = json.load(f)
    held = sum(1 for p in doc.get("points", []) if p.get("set", "grid") != "grid")
    scale, exponent, n = fit_thread_costs(doc)
    print(f"fitted on {n} quiet grid points of kernel-thread executors ({held} held-out points "
          f"left out): THREAD_COST_SCALE = {scale:g}, THREAD_COST_EXPONENT = {exponent:g} "
          f"(the model has {model.THREAD_COST_SCALE:g} and {model.THREAD_COST_EXPONENT:g})")
    return 0

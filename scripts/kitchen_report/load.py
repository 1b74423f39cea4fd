"""Load Google Benchmark JSON from bench_kitchen (and py_kitchen.py) into rows and a catalogue.

Standard library only, so the table can be rebuilt where matplotlib is missing. Anything that is
not usable input raises LoadError with a one-line message (what, which value, what is accepted);
the command-line tools print that line and exit with status 2.

Row names, after Google Benchmark's own suffixes (/process_time/real_time) are stripped:
  kitchen/<executor>/<profile>/chefs:<C>/customers:<N>[/io_us:X/cpu_us:Y][/gil]...
  spawn/<kind>   switch/<kind>   memory/<kind>/tasks:<N>   timer/<kind>/...
`key:value` segments become params, bare segments after the profile become flags. A row stands
for all of its repetitions: its counters are their medians, its samples every repetition.
"""

import json
import math
import os
import statistics
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Mapping, Optional, Tuple

from . import catalogue as cat, interference
from .stats import cv

# Counters a row of each family must carry to be plotted or judged. Other families are kept
# without checks (a newer bench_kitchen may add some); their rows are simply unused.
REQUIRED_COUNTERS: Dict[str, Tuple[str, ...]] = {
    "kitchen": ("chefs", "customers", "io_us", "cpu_us", "dishes_per_s", "us_per_dish",
                "efficiency", "p50_ms", "p99_ms"),
    "spawn": ("ns_per_spawn",),
    "switch": ("ns_per_switch",),
    "memory": ("bytes_per_task",),
    "timer": ("overshoot_us_p50", "overshoot_us_p99"),
}

# Segments Google Benchmark appends to the name it was registered with.
_GB_SUFFIXES = ("process_time", "real_time", "manual_time")
_GB_SUFFIX_KEYS = ("min_time", "min_warmup_time", "iterations", "repeats", "threads")

# Keys of a benchmark entry that are not user counters (kitchen_pass: added by the merge).
_GB_FIELDS = frozenset((
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label",
    "big_o", "rms", "complexity", "kitchen_pass", "kitchen_round"))

_TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}

# Flags that may appear before the profile name; every other bare segment is the profile.
_FLAGS_ANYWHERE = frozenset(("gil",))

# The pseudo-counters under which a row keeps its wall and CPU time per iteration.
REAL_MS, CPU_MS = "real_ms", "cpu_ms"


class LoadError(Exception):
    """Input that cannot be used; str() is the one line shown to the user."""


@dataclass(frozen=True)
class Row:
    """One benchmark row: the medians of its repetitions, and every repetition kept."""
    name: str                       # the registered name, without Google Benchmark's suffixes
    family: str                     # kitchen, spawn, switch, memory, timer, ...
    kind: str                       # the executor for kitchen rows, else the mechanism kind
    profile: Optional[str]          # kitchen rows only
    params: Mapping[str, str]       # chefs, customers, tasks, ... as written in the name
    flags: FrozenSet[str]           # bare segments such as "gil"
    counters: Mapping[str, float]   # medians over the repetitions
    real_ms: float                  # median wall time of one iteration (one service)
    cpu_ms: float
    source: str                     # the file it came from
    samples: Mapping[str, Tuple[float, ...]] = field(default_factory=dict, repr=False)
    cvs: Mapping[str, float] = field(default_factory=dict, repr=False)
    context: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)
    pass_name: str = ""             # the pass that measured it, in a merged file (kitchen_pass)
    # Per repetition, in the order of samples: the pass monitor's record of what else used the
    # machine while it was measured (its round's, else its pass's; "" when not known), and
    # whether that record found the machine busy (interference.disturbed_records).
    measured_by: Tuple[str, ...] = field(default=(), repr=False, compare=False)
    disturbed: Tuple[bool, ...] = field(default=(), repr=False, compare=False)

    def context_value(self, key: str) -> Optional[object]:
        """A context key as true of this row's own pass: a merged file keeps some keys per
        pass (`<key>_by_pass`, merge.py), where a pass without the key has none."""
        by_pass = self.context.get(f"{key}_by_pass")
        if isinstance(by_pass, str) and self.pass_name:
            try:
                values = json.loads(by_pass)
            except ValueError:
                values = None
            if isinstance(values, dict):
                return values.get(self.pass_name)
        return self.context.get(key)

    def param(self, key: str) -> Optional[float]:
        """A numeric name parameter (chefs:3 -> 3.0), or None when absent or not a number."""
        try:
            return float(self.params[key])
        except (KeyError, ValueError):
            return None

    @property
    def gil(self) -> bool:
        return "gil" in self.flags or self.counters.get("gil", 0.0) >= 0.5

    @property
    def repetitions(self) -> int:
        return len(self.samples.get(REAL_MS, ())) or 1

    def value(self, key: str) -> float:
        """The median of a counter, or of real_ms / cpu_ms."""
        if key == REAL_MS:
            return self.real_ms
        if key == CPU_MS:
            return self.cpu_ms
        return self.counters[key]

    def spread(self, key: str) -> Tuple[float, float]:
        """(min, max) over the repetitions; (median, median) when only the median is known."""
        values = self.samples.get(key)
        if not values:
            m = self.value(key)
            return (m, m)
        return (min(values), max(values))

    def cv(self, key: str) -> Optional[float]:
        """The coefficient of variation over the repetitions, None with one repetition."""
        return self.cvs.get(key)


@dataclass(frozen=True)
class ErrorRow:
    name: str
    message: str
    source: str


@dataclass
class Results:
    rows: List[Row]
    errors: List[ErrorRow]
    contexts: List[Tuple[str, Mapping[str, object]]]   # (file, context) in argument order
    catalogue: cat.Catalogue = field(default_factory=cat.Catalogue)

    def family(self, family: str) -> List[Row]:
        return [r for r in self.rows if r.family == family]


def strip_gb_suffixes(name: str) -> str:
    parts = name.split("/")
    while len(parts) > 1 and (parts[-1] in _GB_SUFFIXES or
                              parts[-1].split(":", 1)[0] in _GB_SUFFIX_KEYS):
        parts.pop()
    return "/".join(parts)


def parse_name(name: str) -> Tuple[str, str, Optional[str], Dict[str, str], FrozenSet[str]]:
    """(family, kind, profile, params, flags) of a stripped row name."""
    parts = name.split("/")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError("expected <family>/<kind>/...")
    family, kind = parts[0], parts[1]
    params: Dict[str, str] = {}
    bare: List[str] = []
    for segment in parts[2:]:
        if ":" in segment:
            key, value = segment.split(":", 1)
            params[key] = value
        elif segment:
            bare.append(segment)
    profile = None
    if family == "kitchen":
        named = [s for s in bare if s not in _FLAGS_ANYWHERE]
        if not named:
            raise ValueError("kitchen rows need a profile: kitchen/<executor>/<profile>/...")
        profile = named[0]
        bare.remove(profile)
        for key in ("chefs", "customers"):
            if key not in params:
                raise ValueError("kitchen rows need chefs:<C> and customers:<N>")
    return family, kind, profile, params, frozenset(bare)


def input_path(path: str) -> str:
    """A results folder stands for the bench.json in it."""
    return os.path.join(path, "bench.json") if os.path.isdir(path) else path


def read_document(path: str) -> dict:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise LoadError(f"cannot read {path}: {e.strerror or e}") from None
    if not raw.strip():
        raise LoadError(f"{path} is empty (did the benchmark run write anything?)")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LoadError(f"{path} is not UTF-8 text, so not benchmark JSON") from None
    except json.JSONDecodeError as e:
        raise LoadError(f"{path} is not valid JSON (line {e.lineno}, column {e.colno}: "
                        f"{e.msg}); was the run interrupted?") from None
    if (not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list)
            or not isinstance(doc.get("context"), dict)):
        raise LoadError(f"{path} is JSON but not Google Benchmark output "
                        "(needs a 'context' object and a 'benchmarks' list)")
    if not doc["benchmarks"]:
        raise LoadError(f"{path} holds no benchmark rows (did --benchmark_filter match nothing?)")
    return doc


def _number(entry: dict, key: str, where: str) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise LoadError(f"{where}: '{key}' is {json.dumps(value)}; expected a finite number")
    return float(value)


def _counters(entry: dict, where: str) -> Dict[str, float]:
    """The entry's user counters. NaN and Infinity (Google Benchmark's undefined counters, in
    files written before bench_kitchen left them out) and null count as missing; any other value
    that is not a number is refused."""
    found = {}
    for key, value in entry.items():
        if key in _GB_FIELDS or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LoadError(f"{where}: counter '{key}' is {json.dumps(value)}; expected a number")
        if math.isfinite(value):
            found[key] = float(value)
    return found


def _times(entry: dict, where: str) -> Tuple[float, float]:
    unit = entry.get("time_unit", "ns")
    if unit not in _TO_MS:
        raise LoadError(f"{where}: time_unit '{unit}'; expected one of {', '.join(_TO_MS)}")
    return (_number(entry, "real_time", where) * _TO_MS[unit],
            _number(entry, "cpu_time", where) * _TO_MS[unit])


def _values(entry: dict, where: str) -> Dict[str, float]:
    values = _counters(entry, where)
    values[REAL_MS], values[CPU_MS] = _times(entry, where)
    return values


def _make_row(name: str, entries: List[dict], path: str, context: dict,
              pass_name: str = "") -> Optional[Row]:
    """The row of one run name from its entries that did not fail, or None if none is left."""
    where = f"{path}: row '{name}'"
    iterations = [_values(e, where) for e in entries
                  if e.get("run_type", "iteration") == "iteration"]
    aggregates = {e.get("aggregate_name"): _values(e, where) for e in entries
                  if e.get("run_type") == "aggregate"}
    # The median aggregate when Google Benchmark wrote one, else the median of the repetitions.
    if "median" in aggregates:
        medians = aggregates["median"]
    elif iterations:
        keys = set(iterations[0]).intersection(*iterations[1:])
        medians = {k: statistics.median(v[k] for v in iterations) for k in keys}
    elif "mean" in aggregates:
        medians = aggregates["mean"]
    else:
        return None
    samples = {k: tuple(v[k] for v in iterations) for k in medians
               if all(k in v for v in iterations)} if iterations else {}
    if "cv" in aggregates:
        cvs = {k: v for k, v in aggregates["cv"].items() if k in medians}
    else:
        cvs = {k: c for k, c in ((k, cv(v)) for k, v in samples.items()) if c is not None}
    try:
        family, kind, profile, params, flags = parse_name(name)
    except ValueError as e:
        raise LoadError(f"{where}: name not understood ({e})") from None
    counters = {k: v for k, v in sorted(medians.items()) if k not in (REAL_MS, CPU_MS)}
    missing = [c for c in REQUIRED_COUNTERS.get(family, ()) if c not in counters]
    if missing:
        raise LoadError(f"{where} lacks counter(s) {', '.join(missing)} (absent or not a "
                        "finite number; from an older or newer bench_kitchen?)")
    pass_name = next((e["kitchen_pass"] for e in entries
                      if isinstance(e.get("kitchen_pass"), str)), pass_name)
    # A round's repetitions carry the name of its monitor record (rounds.py); the pass's own
    # are recorded under the pass's name (kitchen_pass in a merged file, else the name given).
    measured_by = tuple(str(e.get("kitchen_round") or e.get("kitchen_pass") or pass_name)
                        for e in entries if e.get("run_type", "iteration") == "iteration")
    return Row(name=name, family=family, kind=kind, profile=profile, params=params, flags=flags,
               counters=counters, real_ms=medians[REAL_MS], cpu_ms=medians[CPU_MS], source=path,
               samples=samples, cvs=cvs, context=context, pass_name=pass_name,
               measured_by=measured_by)


def _catalogue(path: str, context: dict, rows: List[Row]) -> List[cat.Executor]:
    kitchen = [r for r in rows if r.family == "kitchen"]
    if cat.KEY not in context:
        if kitchen:
            raise LoadError(f"{path} has kitchen rows but no '{cat.KEY}' in its context; "
                            "expected JSON from a bench_kitchen or py_kitchen.py that writes "
                            "its catalogue (run it again)")
        return []
    try:
        entries = cat.parse(context[cat.KEY], path)
    except cat.CatalogueError as e:
        raise LoadError(str(e)) from None
    names = [e.name for e in entries]
    for r in kitchen:
        if r.kind not in names:
            raise LoadError(f"{path}: row '{r.name}': executor '{r.kind}' is not in the file's "
                            f"{cat.KEY}; expected one of {', '.join(names)}")
    return entries


def load_file(path: str, pass_name: str = "") -> Tuple[List[Row], List[ErrorRow], dict,
                                                     List[cat.Executor]]:
    doc = read_document(path)
    context = doc["context"]
    groups: Dict[str, List[dict]] = {}
    for i, entry in enumerate(doc["benchmarks"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise LoadError(f"{path}: benchmark entry {i} has no name")
        run_name = entry.get("run_name")
        if not isinstance(run_name, str):
            run_name = entry["name"]
        groups.setdefault(strip_gb_suffixes(run_name), []).append(entry)
    rows, errors = [], []
    for name, entries in groups.items():
        failed = [e for e in entries if e.get("error_occurred")]
        if failed:
            message = str(failed[0].get("error_message") or "error without a message")
            errors.append(ErrorRow(name=name, message=" ".join(message.split()), source=path))
        # The repetitions that did not fail still count (and the failure stays listed).
        row = _make_row(name, [e for e in entries if not e.get("error_occurred")], path,
                        context, pass_name)
        if row is not None:
            rows.append(row)
    return rows, errors, context, _catalogue(path, context, rows)


def load(paths: List[str], strict: bool = False, records: Optional[List[dict]] = None,
         pass_names: Optional[Mapping[str, str]] = None) -> Results:
    """Rows of every file, in file order then benchmark order.

    A row name found in two files is an error rather than a silent choice. With `strict`, any
    row that failed (SkipWithError) is an error too; otherwise failed rows are returned in
    `errors` for the report, and only input with no usable row at all is refused.

    Each row's repetitions are marked disturbed (Row.disturbed) by the pass monitor's records:
    `records` when given (the rounds read them from their work folder), else those a merged
    file keeps in its context (kitchen_interference). A pass's own file names no pass in its
    rows: `pass_names` gives each given path's (the rounds', NAME=FILE).
    """
    if not paths:
        raise LoadError("no input files given")
    results = Results(rows=[], errors=[], contexts=[])
    seen: Dict[str, str] = {}
    for given in paths:
        path = input_path(given)
        rows, errors, context, executors = load_file(path, (pass_names or {}).get(given, ""))
        for row in rows:
            if row.name in seen:
                raise LoadError(f"row '{row.name}' is in both {seen[row.name]} and {path}; "
                                "pass each run once")
            seen[row.name] = path
        for e in executors:
            try:
                results.catalogue.add(e, path)
            except cat.CatalogueError as err:
                raise LoadError(str(err)) from None
        results.rows.extend(rows)
        results.errors.extend(errors)
        results.contexts.append((path, context))
    if strict and results.errors:
        first = results.errors[0]
        raise LoadError(f"{first.source}: row '{first.name}' failed: {first.message} "
                        f"({len(results.errors)} failed row(s) in all)")
    if not results.rows:
        first = results.errors[0]
        raise LoadError(f"no usable rows: all {len(results.errors)} row(s) failed, first "
                        f"'{first.name}' in {first.source}: {first.message}")
    busy = interference.disturbed_records(records if records is not None
                                          else interference.records_of(results.contexts))
    if busy:
        results.rows = [replace(r, disturbed=tuple(m in busy for m in r.measured_by))
                        for r in results.rows]
    return results

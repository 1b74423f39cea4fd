"""Load Google Benchmark JSON from bench_kitchen (and scripts/py_kitchen.py) into plain rows.

Shared by plot.py and pros_cons.py; standard library only, so the table can be rebuilt where
matplotlib is missing. Anything that is not usable input raises LoadError with a one-line
message; the command-line tools print that line and exit with code 2.

Row names follow one scheme, after Google Benchmark's own suffixes (/process_time/real_time)
are stripped:
  kitchen/<executor>/<profile>/chefs:<C>/customers:<N>[/io_us:X/cpu_us:Y][/gil]
  spawn/<kind>   switch/<kind>   memory/<kind>/tasks:<N>   timer/<kind>/...
`key:value` segments become params, bare segments after the profile become flags.
"""

import json
import math
import statistics
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Mapping, Optional, Tuple

# Counters a row of each family must carry to be plotted or judged. Families not listed here
# are kept without checks (a newer bench_kitchen may add some); their rows are simply unused.
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

# Keys of a benchmark entry that are not user counters.
_GB_FIELDS = frozenset((
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label",
    "big_o", "rms", "complexity"))

_TO_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}

# Flags that may appear before the profile name; every other bare segment is the profile.
_FLAGS_ANYWHERE = frozenset(("gil",))


class LoadError(Exception):
    """Input that cannot be used; str() is the one line shown to the user."""


@dataclass(frozen=True)
class Row:
    """One benchmark result: the median of its repetitions when there were several."""
    name: str                       # the registered name, without Google Benchmark's suffixes
    family: str                     # kitchen, spawn, switch, memory, timer, ...
    kind: str                       # the executor for kitchen rows, else the mechanism kind
    profile: Optional[str]          # kitchen rows only
    params: Mapping[str, str]       # chefs, customers, tasks, ... as written in the name
    flags: FrozenSet[str]           # bare segments such as "gil"
    counters: Mapping[str, float]
    real_ms: float                  # wall time of one iteration (one service for kitchen rows)
    cpu_ms: float
    source: str                     # the file it came from
    context: Mapping[str, object] = field(repr=False, compare=False)

    def param(self, key: str) -> Optional[float]:
        """A numeric name parameter (chefs:3 -> 3.0), or None when absent or not a number."""
        try:
            return float(self.params[key])
        except (KeyError, ValueError):
            return None

    @property
    def gil(self) -> bool:
        return "gil" in self.flags or self.counters.get("gil", 0.0) >= 0.5


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

    def family(self, family: str) -> List[Row]:
        return [r for r in self.rows if r.family == family]


def executor_side(executor: str) -> Optional[str]:
    """'async' or 'threads' for the two columns of the table, None for anything else."""
    if executor.startswith(("asio_", "py_asyncio")):
        return "async"
    if executor.startswith(("threads_", "py_threads")):
        return "threads"
    return None


def executor_language(executor: str) -> str:
    return "CPython" if executor.startswith("py_") else "C++"


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


def _read_document(path: str) -> dict:
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
        raise LoadError(f"{where}: '{key}' is missing or not a finite number")
    return float(value)


def _counters(entry: dict) -> Dict[str, float]:
    # NaN and Infinity (which Google Benchmark writes for undefined counters) count as missing.
    return {k: float(v) for k, v in entry.items()
            if k not in _GB_FIELDS and isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v)}


def _pick_runs(entries: List[dict]) -> List[dict]:
    """The entries that stand for one run: its median aggregate, else its mean, else all
    of its iteration rows (reduced to their median by the caller)."""
    by_aggregate = {e.get("aggregate_name"): e for e in entries if e.get("run_type") == "aggregate"}
    for preferred in ("median", "mean"):
        if preferred in by_aggregate:
            return [by_aggregate[preferred]]
    iterations = [e for e in entries if e.get("run_type", "iteration") == "iteration"]
    return iterations


def _median_row(name: str, runs: List[dict], path: str, context: dict) -> Row:
    where = f"{path}: row '{name}'"
    times_ms, cpus_ms, counter_sets = [], [], []
    for entry in runs:
        unit = entry.get("time_unit", "ns")
        if unit not in _TO_MS:
            raise LoadError(f"{where}: unknown time_unit '{unit}'")
        times_ms.append(_number(entry, "real_time", where) * _TO_MS[unit])
        cpus_ms.append(_number(entry, "cpu_time", where) * _TO_MS[unit])
        counter_sets.append(_counters(entry))
    try:
        family, kind, profile, params, flags = parse_name(name)
    except ValueError as e:
        raise LoadError(f"{where}: name not understood ({e})") from None
    # Only counters every repetition reported; a counter missing from one is missing.
    keys = set(counter_sets[0]).intersection(*counter_sets[1:])
    counters = {k: statistics.median(c[k] for c in counter_sets) for k in sorted(keys)}
    missing = [c for c in REQUIRED_COUNTERS.get(family, ()) if c not in counters]
    if missing:
        raise LoadError(f"{where} lacks counter(s) {', '.join(missing)} (absent or not a "
                        "finite number; from an older or newer bench_kitchen?)")
    return Row(name=name, family=family, kind=kind, profile=profile, params=params, flags=flags,
               counters=counters, real_ms=statistics.median(times_ms),
               cpu_ms=statistics.median(cpus_ms), source=path, context=context)


def load_file(path: str) -> Tuple[List[Row], List[ErrorRow], dict]:
    doc = _read_document(path)
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
        # A name can come back in a file merged from several passes; the runs that did not fail
        # still count (and the failure stays listed).
        runs = _pick_runs([e for e in entries if not e.get("error_occurred")])
        if runs:
            rows.append(_median_row(name, runs, path, context))
    return rows, errors, context


def load(paths: List[str], strict: bool = False) -> Results:
    """Rows of every file, in file order then benchmark order.

    A row name found in two files is an error rather than a silent choice. With `strict`, any
    row that failed (SkipWithError) is an error too; otherwise failed rows are returned in
    `errors` for the report, and only input with no usable row at all is refused.
    """
    if not paths:
        raise LoadError("no input files given")
    results = Results(rows=[], errors=[], contexts=[])
    seen: Dict[str, str] = {}
    for path in paths:
        rows, errors, context = load_file(path)
        for row in rows:
            if row.name in seen:
                raise LoadError(f"row '{row.name}' is in both {seen[row.name]} and {path}; "
                                "pass each run once")
            seen[row.name] = path
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
    return results


def _add(items: List[str], item: str) -> None:
    if item and item not in items:
        items.append(item)


def machine_line(results: Results) -> str:
    """Where and when the numbers were measured, for chart footnotes and the table header:
    'vm, 2 CPUs @ 2596 MHz | load 1.5 | run 2026-11-25 16:57 +00:00 | g++ 12.2.0'."""
    machines, loads, dates, tools = [], [], [], []
    for _, ctx in results.contexts:
        cpus, mhz = ctx.get("num_cpus"), ctx.get("mhz_per_cpu")
        machine = str(ctx.get("host_name", "unknown host"))
        machine += f", {cpus} CPUs" if cpus else ""
        machine += f" @ {mhz} MHz" if mhz else ""
        _add(machines, machine)
        load = ctx.get("load_avg")  # a busy machine explains noisy figures
        if isinstance(load, list) and load and isinstance(load[0], (int, float)):
            _add(loads, f"{load[0]:.1f}")
        # "2026-11-25T16:57:12+00:00" -> "2026-11-25 16:57 +00:00": minutes are enough.
        raw = str(ctx.get("date", ""))
        _add(dates, (raw[:16] + " " + raw[19:]).replace("T", " ").strip() if len(raw) >= 16 else raw)
        # The compiler of bench_kitchen, the interpreter of py_kitchen.py.
        for key in sorted(k for k in ctx if k == "compiler" or "python" in k):
            _add(tools, str(ctx[key]) if key == "compiler" else f"{key} {ctx[key]}")
    parts = ["; ".join(machines)]
    if loads:
        parts.append("load " + ", ".join(loads))
    if dates:
        parts.append("run " + ", ".join(sorted(dates)))
    if tools:
        parts.append(", ".join(tools))
    return " | ".join(parts)


def num_cpus(results: Results) -> Optional[int]:
    for _, ctx in results.contexts:
        value = ctx.get("num_cpus")
        if isinstance(value, int) and value > 0:
            return value
    return None

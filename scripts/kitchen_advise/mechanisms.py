"""This machine's mechanism figures, which the model's per-request overhead, wait overshoot and
memory come from: spawn/<kind> (ns_per_spawn), switch/<kind> (ns_per_switch, one round trip of
two hand-overs), timer/<kind>/wait_us:<W>/slack:1ns (overshoot_us_p50), memory/<kind>/tasks:<N>
(total_bytes_per_task: resident memory, kernel stacks, page tables and slab per idle task).

Where they come from, in this order, and the answer says which: --mechanisms=FILE; the latest
run's results/latest/bench.json; the newest committed results/reference/*/bench.json (the
machine it names may not be this one: the file's context, its cores, CPU frequency and caches,
and its machine.md's CPU model are compared with this machine's, a file of a machine like this
one is taken before any other, else one with this CPU model, and the source says "from another
machine" when they differ);
else a short run of bench_kitchen's
mechanism rows (spawn, switch and timer rows up to 1 ms, memory at 100 and 1,000 tasks, one
repetition each: a few seconds)."""

import glob
import os
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

from kitchen_report.load import LoadError, Results, load

# The mechanism rows a short run measures, when no results are at hand.
MEASURE_FILTER = (r"^(spawn|switch)/|^timer/[a-z_]+/wait_us:(100|1000)/slack:1ns|"
                  r"^memory/(coro|thread)/tasks:(100|1000)/")


@dataclass
class Mechanisms:
    source: str
    spawn_ns: Dict[str, float] = field(default_factory=dict)
    # Wall time of one hand-over: half of a ping-pong round trip.
    handover_ns: Dict[str, float] = field(default_factory=dict)
    # kind -> [(requested wait in us, median overshoot in us)], at the suite's 1 ns slack.
    overshoot_us: Dict[str, List[Tuple[float, float]]] = field(default_factory=dict)
    # kind -> bytes per idle task at the largest task count measured.
    bytes_per_task: Dict[str, float] = field(default_factory=dict)
    # How the machine it was measured on differs from this one (read() with this machine's
    # context): empty when alike or not compared.
    differences: Tuple[str, ...] = ()

    def overshoot(self, kind: str, wait_us: float) -> float:
        """The median overshoot of a wait of `wait_us`, from the measured wait closest to it on
        a log scale; 0 for no wait (a wait of 0 is skipped) or when the kind was not measured."""
        points = self.overshoot_us.get(kind)
        if wait_us <= 0 or not points:
            return 0.0
        import math
        return min(points, key=lambda p: abs(math.log(p[0] / wait_us)))[1]

    def as_json(self) -> dict:
        return {"source": self.source, "spawn_ns": self.spawn_ns,
                "handover_ns": self.handover_ns,
                "overshoot_us_p50": {k: [list(p) for p in v] for k, v in self.overshoot_us.items()},
                "bytes_per_task": self.bytes_per_task}


def from_json(doc: Mapping) -> Mechanisms:
    """The figures as as_json wrote them (an advise_accuracy.json's, to predict its points
    again)."""
    return Mechanisms(
        source=str(doc.get("source", "")), spawn_ns=dict(doc.get("spawn_ns", {})),
        handover_ns=dict(doc.get("handover_ns", {})),
        overshoot_us={k: sorted((float(a), float(b)) for a, b in v)
                      for k, v in doc.get("overshoot_us_p50", {}).items()},
        bytes_per_task=dict(doc.get("bytes_per_task", {})))


def from_results(results: Results, source: str) -> Optional[Mechanisms]:
    """The figures in a loaded file, or None when it has no spawn and switch rows."""
    m = Mechanisms(source=source)
    largest: Dict[str, float] = {}
    for r in results.rows:
        if r.family == "spawn" and "ns_per_spawn" in r.counters:
            m.spawn_ns[r.kind] = r.counters["ns_per_spawn"]
        elif r.family == "switch" and "ns_per_switch" in r.counters:
            m.handover_ns[r.kind] = r.counters["ns_per_switch"] / 2
        elif (r.family == "timer" and r.params.get("slack") == "1ns"
              and "overshoot_us_p50" in r.counters and r.param("wait_us")):
            m.overshoot_us.setdefault(r.kind, []).append(
                (r.param("wait_us"), r.counters["overshoot_us_p50"]))
        elif r.family == "memory" and r.param("tasks"):
            bytes_ = r.counters.get("total_bytes_per_task", r.counters.get("bytes_per_task"))
            if bytes_ is not None and r.param("tasks") >= largest.get(r.kind, 0):
                largest[r.kind] = r.param("tasks")
                m.bytes_per_task[r.kind] = bytes_
    for points in m.overshoot_us.values():
        points.sort()
    return m if m.spawn_ns and m.handover_ns else None


def candidates(root: str) -> List[str]:
    """The result files tried when no --mechanisms is given: the latest run, then the committed
    references, newest first."""
    found = [os.path.join(root, "results", "latest", "bench.json")]
    found += sorted(glob.glob(os.path.join(root, "results", "reference", "*", "bench.json")),
                    reverse=True)
    return [p for p in found if os.path.isfile(p)]


# The context keys that say which machine a file was measured on.
MACHINE_KEYS = ("num_cpus", "usable_cores", "mhz_per_cpu", "caches")


def cpu_model(cpuinfo: str = "/proc/cpuinfo") -> Optional[str]:
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _machine_md_model(folder: str) -> Optional[str]:
    """The CPU model of a results folder's machine.md ('- CPU: <model>, 2 cores, ...')."""
    try:
        with open(os.path.join(folder, "machine.md")) as f:
            for line in f:
                if line.startswith("- CPU: "):
                    return line[len("- CPU: "):].split(",")[0].strip()
    except OSError:
        pass
    return None


def differences(theirs: Mapping[str, object], ours: Mapping[str, object], folder: str,
                here_model: Optional[str]) -> List[str]:
    """What differs between the machine a file was measured on and this one (its context's
    MACHINE_KEYS, and its folder's machine.md CPU model against /proc/cpuinfo's)."""
    found = [f"{k} {theirs[k]} there, {ours[k]} here" for k in MACHINE_KEYS
             if k in theirs and k in ours and str(theirs[k]) != str(ours[k])]
    there_model = _machine_md_model(folder)
    if there_model and here_model and there_model != here_model:
        found.append(f"CPU {there_model} there, {here_model} here")
    return found


def read(path: str, label: Optional[str] = None,
         context: Optional[Mapping[str, object]] = None) -> Optional[Mechanisms]:
    """The figures in a file; with this machine's `context`, the label says whether the file
    was measured on a machine like this one."""
    try:
        results = load([path])
    except LoadError:
        return None
    label = label or path
    if context is not None and results.contexts:
        diff = differences(results.contexts[0][1], context, os.path.dirname(path), cpu_model())
        label += (f" (from another machine: {'; '.join(diff)})" if diff
                  else " (same cores, CPU frequency, caches and CPU model as this machine)")
        found = from_results(results, label)
        if found is not None:
            found.differences = tuple(diff)
        return found
    return from_results(results, label)


def find(root: str, given: Optional[str],
         context: Optional[Mapping[str, object]] = None) -> Optional[Mechanisms]:
    """From --mechanisms, else the first candidate file that has them and was measured on a
    machine like this one, else the first that has them; None: measure them. `context` (this
    machine's, from bench_kitchen) is compared with each file's."""
    if given:
        found = read(given, context=context)
        if found is None:
            raise LoadError(f"{given} has no usable spawn/ and switch/ rows")
        return found
    # A file of a machine like this one before any other; else one with this CPU model, then
    # the fewest differences, the newest first among equals.
    others = []
    for path in candidates(root):
        found = read(path, os.path.relpath(path, root), context)
        if found is not None and not found.differences:
            return found
        if found is not None:
            others.append(found)
    return min(others, key=lambda m: (any(d.startswith("CPU ") for d in m.differences),
                                      len(m.differences)), default=None)


def measure_command(bench: str, out: str) -> List[str]:
    return [bench, "--mechanisms", f"--benchmark_filter={MEASURE_FILTER}",
            "--benchmark_repetitions=1", "--benchmark_format=json", f"--benchmark_out={out}",
            "--benchmark_out_format=json"]

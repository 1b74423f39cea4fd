"""Where and when the numbers were measured: the machine, the tools, the revision, the load."""

from typing import List, Optional

from .load import Results


def _add(items: List[str], item: str) -> None:
    if item and item not in items:
        items.append(item)


def _machines(results: Results) -> List[str]:
    machines: List[str] = []
    for _, ctx in results.contexts:
        cpus, mhz = ctx.get("num_cpus"), ctx.get("mhz_per_cpu")
        machine = str(ctx.get("host_name", "unknown host"))
        machine += f", {cpus} CPUs" if cpus else ""
        machine += f" @ {mhz} MHz" if mhz else ""
        cores = _int(ctx.get("usable_cores"))
        if cores and cores != cpus:
            machine += f" ({cores} usable)"
        _add(machines, machine)
    return machines


def _loads(results: Results) -> List[str]:
    loads: List[str] = []
    for _, ctx in results.contexts:
        load = ctx.get("load_avg")  # a busy machine explains noisy figures
        if isinstance(load, list) and load and isinstance(load[0], (int, float)):
            _add(loads, f"{load[0]:.1f}")
    return loads


def _dates(results: Results) -> List[str]:
    dates: List[str] = []
    for _, ctx in results.contexts:
        # "2026-11-25T16:57:12+00:00" -> "2026-11-25 16:57 +00:00": minutes are enough.
        raw = str(ctx.get("date", ""))
        _add(dates, (raw[:16] + " " + raw[19:]).replace("T", " ").strip()
             if len(raw) >= 16 else raw)
    return sorted(dates)


def _tools(results: Results) -> List[str]:
    tools: List[str] = []
    for _, ctx in results.contexts:
        # The compiler of bench_kitchen, the interpreter of py_kitchen.py.
        for key in sorted(k for k in ctx if k == "compiler" or k == "python_version"):
            _add(tools, str(ctx[key]) if key == "compiler" else f"CPython {ctx[key]}")
    return tools


def _revisions(results: Results) -> List[str]:
    revisions: List[str] = []
    for _, ctx in results.contexts:
        _add(revisions, str(ctx.get("kitchen_git_revision", "")))
    return revisions


def machine_line(results: Results) -> str:
    """One line for chart footnotes:
    'vm, 2 CPUs @ 2596 MHz | load 1.5 | run 2026-11-25 16:57 +00:00 | g++ 12.2.0'."""
    parts = ["; ".join(_machines(results))]
    if _loads(results):
        parts.append("load " + ", ".join(_loads(results)))
    if _dates(results):
        parts.append("run " + ", ".join(_dates(results)))
    if _tools(results):
        parts.append(", ".join(_tools(results)))
    return " | ".join(parts)


def provenance(results: Results) -> List[str]:
    """Markdown bullet lines: machine, compiler, revision, load, date."""
    return [f"- machine: {'; '.join(_machines(results))}",
            f"- compiler and interpreter: {', '.join(_tools(results)) or 'not recorded'}",
            f"- revision: {', '.join(_revisions(results)) or 'not recorded'}",
            f"- load average (1 min) at the start: {', '.join(_loads(results)) or 'not recorded'}",
            f"- run: {', '.join(_dates(results)) or 'not recorded'}"]


def _int(value: object) -> Optional[int]:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if number > 0 else None


def usable_cores(results: Results) -> Optional[int]:
    """The cores the run could use: `usable_cores` (affinity and cgroup quota) when recorded,
    else Google Benchmark's num_cpus."""
    for key in ("usable_cores", "num_cpus"):
        for _, ctx in results.contexts:
            value = _int(ctx.get(key))
            if value:
                return value
    return None

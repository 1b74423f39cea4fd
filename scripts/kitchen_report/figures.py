"""Figures derived from loaded rows, shared by plot.py and pros_cons.py (standard library only).

Only selection and arithmetic live here: which rows form a curve, a speedup, a comparison
point. What a figure means for a claim is decided in pros_cons.py.
"""

from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .load import Results, Row

PROFILE_ORDER = ("io", "mixed", "cpu", "overhead")


def profile_key(name: str) -> Tuple[int, str]:
    return (PROFILE_ORDER.index(name) if name in PROFILE_ORDER else len(PROFILE_ORDER), name)


_SWEEP_PARAMS = frozenset(("chefs", "customers", "io_us", "cpu_us"))


def is_sweep_row(row: Row) -> bool:
    """A row of the plain sweep: no variant such as /pantry:unlocked, /fail_rate:0.1 or
    /fail_fast in its name, and no failed orders, so its throughput compares with the rest."""
    return (set(row.params) <= _SWEEP_PARAMS and row.flags <= {"gil"}
            and row.counters.get("failed", 0) == 0)


# How a row's ingredients were waited for: timer rows sleep; net rows (/io:net) fetch from the
# pantry server over loopback sockets, with epoll or, from bench_kitchen_uring, io_uring.
IO_TIMER, IO_NET, IO_URING = "timer", "net", "net io_uring"
IO_VARIANTS = (IO_TIMER, IO_NET, IO_URING)
_NET_PARAMS = _SWEEP_PARAMS | {"io", "reactor"}


def io_variant(row: Row) -> str:
    if row.params.get("reactor") == "io_uring":
        return IO_URING
    return IO_NET if row.params.get("io") == "net" else IO_TIMER


def io_rows(results: Results, variant: str, profile: str = "io") -> List[Row]:
    """The plain sweep's rows of one I/O variant (no GIL emulation, no failed orders)."""
    if variant == IO_TIMER:
        return kitchen(results, profile=profile, gil=False, sweep_only=True)
    return [r for r in kitchen(results, profile=profile, gil=False)
            if io_variant(r) == variant and set(r.params) <= _NET_PARAMS
            and r.flags <= {"gil"} and r.counters.get("failed", 0) == 0]


def kitchen(results: Results, profile: Optional[str] = None, gil: Optional[bool] = None,
            language: Optional[str] = None, side: Optional[str] = None,
            sweep_only: bool = False) -> List[Row]:
    """Kitchen rows, optionally of one profile, GIL mode, language and catalogue side, and only
    those of the plain sweep."""
    c = results.catalogue
    return [r for r in results.family("kitchen")
            if (profile is None or r.profile == profile) and (gil is None or r.gil == gil)
            and (language is None or c.language(r.kind) == language)
            and (side is None or c.side(r.kind) == side)
            and (not sweep_only or is_sweep_row(r))]


def executors(results: Results, rows: Iterable[Row]) -> List[str]:
    """The executors of `rows`, in catalogue order."""
    return results.catalogue.sorted(r.kind for r in rows)


def chefs(row: Row) -> int:
    return int(row.counters["chefs"])


def customers(row: Row) -> int:
    return int(row.counters["customers"])


def panel_key(row: Row) -> Tuple[str, float, float]:
    """Rows comparable on one chart panel: the same profile and the same costs per ingredient."""
    return (row.profile or "", row.counters["io_us"], row.counters["cpu_us"])


def panel_title(key: Tuple[str, float, float]) -> str:
    profile, io_us, cpu_us = key
    return f"{profile}: {io_us:g} µs wait + {cpu_us:g} µs work per ingredient"


def customers_per_chef(row: Row) -> float:
    return row.counters["customers"] / row.counters["chefs"]


def fixed_value(rows: Sequence[Row], vary: Callable[[Row], float], fix: Callable[[Row], float],
                prefer_larger: bool = True) -> Optional[float]:
    """The value of `fix` under which `vary` takes the most distinct values, so that one curve
    per executor spans as much of the sweep as the sweep has at one setting. Ties go to the
    larger value of `fix`, or the smaller with prefer_larger=False."""
    spread: Dict[float, set] = {}
    for r in rows:
        spread.setdefault(fix(r), set()).add(vary(r))
    if not spread:
        return None
    sign = 1 if prefer_larger else -1
    return max(spread, key=lambda v: (len(spread[v]), sign * v))


def speedup_curves(rows: Iterable[Row]) -> Dict[Tuple[str, bool], List[Tuple[int, float, Row]]]:
    """Per (executor, gil): [(chefs, speedup over 1 chef, row)], at the largest customer count
    measured with 1 chef and with more."""
    cells: Dict[Tuple[str, bool, int], Dict[int, Row]] = {}
    for r in rows:
        cells.setdefault((r.kind, r.gil, customers(r)), {})[chefs(r)] = r
    curves: Dict[Tuple[str, bool], List[Tuple[int, float, Row]]] = {}
    for (kind, gil, n), by_chefs in sorted(cells.items(), key=lambda kv: kv[0][2]):
        base = by_chefs.get(1)
        if base is None or len(by_chefs) < 2 or base.counters["dishes_per_s"] <= 0:
            continue
        curves[(kind, gil)] = [(c, r.counters["dishes_per_s"] / base.counters["dishes_per_s"], r)
                               for c, r in sorted(by_chefs.items())]
    return curves


def largest_param_rows(rows: Iterable[Row], param: str) -> Dict[str, Row]:
    """Per kind, the row with the largest numeric `param` (memory rows: the most tasks)."""
    best: Dict[str, Row] = {}
    for r in rows:
        value = r.param(param)
        if value is None:
            continue
        if r.kind not in best or value > (best[r.kind].param(param) or 0):
            best[r.kind] = r
    return best


def mechanism_side(kind: str) -> Optional[str]:
    """'threads', 'async' or 'fibers' for spawn/switch/memory/timer kinds (thread_cv, coro,
    post, fiber_sleep, ...)."""
    if kind.startswith("thread"):
        return "threads"
    if kind.startswith("fiber"):
        return "fibers"
    if kind.startswith(("coro", "post", "handler", "asio", "steady_timer", "timer")):
        return "async"
    return None


def fmt(x: float) -> str:
    """Three significant figures or so, with thousands separators: 155,401 / 16.8 / 0.32 / 4."""
    if x != x:  # NaN
        return "n/a"
    if float(x).is_integer():
        return f"{int(x):,}"  # counts: 1 OS thread, not 1.00
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 0.01 or x == 0:
        return f"{x:.2f}"
    return f"{x:.2g}"


def times(ratio: float) -> str:
    """A ratio as a factor: 1.02x, 48.80x, 1,234x."""
    return f"{ratio:,.0f}x" if abs(ratio) >= 100 else f"{ratio:.2f}x"


def fmt_bytes(x: float) -> str:
    # A slope over a machine-wide counter (KernelStack) can land a hair below zero when a task
    # costs nothing there: under one byte either way reads as what it is, about nothing.
    if abs(x) < 1:
        return "~0 B"
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(x) >= size:
            return f"{fmt(x / size)} {unit}"
    return f"{fmt(x)} B"


def fmt_ns(x: float) -> str:
    if abs(x) >= 1e6:
        return f"{fmt(x / 1e6)} ms"
    if abs(x) >= 1e3:
        return f"{fmt(x / 1e3)} µs"
    return f"{fmt(x)} ns"


def num_label(v: float) -> str:
    """Axis and legend numbers as typed on the command line: 1, 10, 1,000, 0.5."""
    if v >= 1 and float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:g}"

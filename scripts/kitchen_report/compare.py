"""Compare two runs row by row: the median wall and CPU time of each row both runs share, the
change, and a Mann-Whitney U test over the repetitions (kitchen_report/stats.py: exact without
ties and up to 20 runs a side, else the normal approximation with tie correction)."""

from typing import List, Optional, Sequence

from .figures import fmt
from .load import CPU_MS, REAL_MS, Results, Row, load
from .stats import EXACT_LIMIT, mann_whitney

ALPHA = 0.05


def _change(old: float, new: float) -> float:
    """Google Benchmark's relative difference: (new - old) / |old|."""
    return (new - old) / abs(old) if old else (0.0 if new == old else float("inf"))


def _p(a: Row, b: Row, key: str) -> Optional[tuple]:
    test = mann_whitney(a.samples.get(key, ()), b.samples.get(key, ()))
    return None if test is None else (test.p, test.method)


def lines(old: Results, new: Results, old_name: str, new_name: str) -> List[str]:
    by_name = {r.name: r for r in new.rows}
    shared = [(r, by_name[r.name]) for r in old.rows if r.name in by_name]
    head = (f"{'Benchmark':<60} {'Time':>8} {'CPU':>8} {'Time Old':>10} {'Time New':>10} "
            f"{'CPU Old':>10} {'CPU New':>10} {'Time %':>8} {'p(time)':>8} {'p(cpu)':>8}  test")
    out = [f"old: {old_name}", f"new: {new_name}",
           "times: medians over repetitions, ms per iteration; Time, CPU: (new - old) / old; "
           f"p: two-sided Mann-Whitney U over the repetitions (exact without ties and up to "
           f"{EXACT_LIMIT} a side, else normal approximation with tie correction); "
           f"* marks p < {ALPHA}", "", head, "-" * len(head)]
    significant = 0
    for a, b in shared:
        dt, dc = _change(a.real_ms, b.real_ms), _change(a.cpu_ms, b.cpu_ms)
        pt, pc = _p(a, b, REAL_MS), _p(a, b, CPU_MS)
        star = "*" if pt is not None and pt[0] < ALPHA else " "
        significant += star == "*"
        runs = f"{a.repetitions} vs {b.repetitions}"
        method = f"{pt[1]}, {runs}" if pt else f"n/a ({runs} runs)"
        out.append(f"{a.name:<60} {dt:>+8.4f} {dc:>+8.4f} {fmt(a.real_ms):>10} "
                   f"{fmt(b.real_ms):>10} {fmt(a.cpu_ms):>10} {fmt(b.cpu_ms):>10} "
                   f"{dt * 100:>+7.1f}% {_pfmt(pt):>8} {_pfmt(pc):>8}{star} {method}")
    only_old = [r.name for r in old.rows if r.name not in by_name]
    only_new = [r.name for r in new.rows if r.name not in {x.name for x in old.rows}]
    out += ["", f"{len(shared)} rows compared, {significant} with a significant change in "
            f"wall time (p < {ALPHA}); {len(only_old)} only in old, {len(only_new)} only in new"]
    return out


def _pfmt(p) -> str:
    return "n/a" if p is None else f"{p[0]:.4f}"


def run(paths: Sequence[str]) -> List[str]:
    old, new = load([paths[0]]), load([paths[1]])
    return lines(old, new, paths[0], paths[1])

"""Which rows make one panel and one curve of the kitchen charts."""

import math
import textwrap
from typing import Dict, List, Sequence, Tuple

from ..figures import (chefs, customers, customers_per_chef, executors, fixed_value, fmt,
                       num_label, panel_key, profile_key)
from ..load import Results, Row


def by_panel(rows: Sequence[Row]) -> Dict[Tuple[str, float, float], List[Row]]:
    """Rows comparable on one panel: the same profile and costs per ingredient, profiles in
    reading order."""
    panels: Dict[Tuple[str, float, float], List[Row]] = {}
    for r in rows:
        panels.setdefault(panel_key(r), []).append(r)
    return dict(sorted(panels.items(), key=lambda kv: (profile_key(kv[0][0]), kv[0][1:])))


def curves(results: Results, rows: Sequence[Row], vary, fix, prefer_larger=True):
    """Per executor in catalogue order: (name, its value of `fix`, the panel's, its rows sorted
    by `vary`). An executor is drawn at the panel's value of `fix` when it has two points
    there, else at its own best value, and the caller says so."""
    chosen = fixed_value(rows, vary, fix, prefer_larger)
    for e in executors(results, rows):
        mine = [r for r in rows if r.kind == e]
        at = chosen if sum(1 for r in mine if fix(r) == chosen) >= 2 \
            else fixed_value(mine, vary, fix, prefer_larger)
        yield e, at, chosen, sorted((r for r in mine if fix(r) == at), key=vary)


def exceptions(drawn) -> str:
    """Title text for executors drawn at another setting than the panel's, grouped by setting
    and wrapped to the panel's width: ' (<executor>, <executor> at 10)'."""
    by_value: Dict[float, List[str]] = {}
    for e, at, chosen in drawn:
        if at != chosen:
            by_value.setdefault(at, []).append(e)
    if not by_value:
        return ""
    text = "; ".join(f"{', '.join(es)} at {num_label(v)}" for v, es in sorted(by_value.items()))
    return "\n" + textwrap.fill(f"({text})", width=60)


def _spread(rows, vary, fix, value) -> int:
    return len({vary(r) for r in rows if fix(r) == value})


def per_chef(k: float) -> str:
    return "chefs = customers" if k == 1 else f"{fmt(k)} customers per chef"


def hold_for_chefs(rows):
    """How to hold the sweep still while chefs vary: one customer count, or one number of
    customers per chef, whichever gives longer curves. Returns (fix, prefer_larger, text)."""
    n = fixed_value(rows, chefs, customers)
    k = fixed_value(rows, chefs, customers_per_chef, prefer_larger=False)
    if _spread(rows, chefs, customers_per_chef, k) > _spread(rows, chefs, customers, n):
        return customers_per_chef, False, per_chef(k)
    return customers, True, f"{num_label(n)} customers"


def grid(fig, n, cols=None):
    """Up to three panels side by side, more in two rows, so that none gets too narrow."""
    cols = cols or (n if n <= 3 else math.ceil(n / 2))
    axes = fig.subplots(math.ceil(n / cols), cols, squeeze=False).flatten()
    for ax in axes[n:]:
        ax.set_visible(False)
    return axes[:n]

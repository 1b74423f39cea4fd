"""The CPU-bound speed-up series (dishes/s over the baseline, per executor and GIL setting) and
the sentences the report writes about points above the ideal: data only, read by the chart
(charts/cpu.py) and by report.py, which must not need matplotlib to write them."""

from typing import Dict, List, Tuple

from .figures import chefs, customers, fixed_value, fmt, kitchen, times
from .load import Results, Row
from .provenance import usable_cores
from .table.cpu import gains


def speedup_series(results: Results, language: str):
    """Per (executor, gil): [(row, base, ratio)] at the customer count with the most chefs
    levels; the ratio is dishes/s over the baseline (table/cpu.py decides which)."""
    found: Dict[Tuple[str, bool], List[Tuple[Row, Row, float]]] = {}
    cat = results.catalogue
    for e in cat.sorted(r.kind for r in kitchen(results, profile="cpu", language=language)):
        if cat.side(e) == "baseline":
            continue
        for gil in (False, True):
            points = gains(results, e, gil)
            if not points:
                continue
            n = fixed_value([p[0] for p in points], chefs, customers)
            found[(e, gil)] = [p for p in points if customers(p[0]) == n]
    return found


def above_ideal(results: Results) -> List[str]:
    """One sentence per series with a point above min(chefs, cores), saying why from the data."""
    cores = usable_cores(results)
    notes = []
    if not cores:
        return notes
    for language in results.catalogue.languages():
        for (e, gil), points in speedup_series(results, language).items():
            over = [(r, b, x) for r, b, x in points if x > min(chefs(r), cores) * 1.02]
            if not over:
                continue
            r, base, ratio = max(over, key=lambda p: p[2])
            ideal = min(chefs(r), cores)
            low = r.spread("dishes_per_s")[0] / base.counters["dishes_per_s"]
            what = f"{e}{' with the GIL' if gil else ''} reaches {times(ratio)} at {chefs(r)} " \
                   f"chefs, above the ideal {times(ideal)}"
            own = base.kind == e
            others = [b for (o, g), pts in speedup_series(results, language).items()
                      for _, b, _ in pts[:1] if o != e and g == gil and b.kind != e]
            if own and others:
                ref = max(others, key=lambda b: b.counters["dishes_per_s"])
                slower = 1 - base.counters["dishes_per_s"] / ref.counters["dishes_per_s"]
                if slower > 0.02:
                    notes.append(f"{what}: its own 1-chef run, the base of its ratio, is "
                                 f"{slower * 100:.0f}% slower than {ref.kind}'s "
                                 f"({fmt(base.counters['dishes_per_s'])} vs "
                                 f"{fmt(ref.counters['dishes_per_s'])} dishes/s), so the ratio "
                                 "overstates its gain.")
                    continue
            if low <= ideal:
                notes.append(f"{what}, but its slowest repetition ({times(low)}) is not: "
                             "within its spread.")
            else:
                notes.append(f"{what}, even at its slowest repetition ({times(low)}): its base "
                             f"({base.kind}) ran slower per dish than {chefs(r)} chefs did "
                             "each; not explained by this run's counters.")
    return notes

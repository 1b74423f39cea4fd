"""What else used the machine while each pass measured, as bench.sh's pass monitor recorded it
(scripts/lib/pass_monitor.py): per pass and per round, the share of the machine taken by other
processes and by the hypervisor (steal), and the hypervisor's name. The merged context keeps
the records as `kitchen_interference`, a JSON list. A record over its threshold is suspect, and
every repetition measured under it is disturbed (load.py marks them; table/cells.py never pools
them with quiet ones)."""

import json
from typing import FrozenSet, List, NamedTuple, Optional, Sequence, Tuple

# The functions that take `results` read a load.Results (its contexts): load.py marks the
# disturbed repetitions with this module, so this module does not import it back.

KEY = "kitchen_interference"

WARN_SHARE = 0.05
"""A pass is suspect, and its repetitions disturbed, when other processes or steal took more
than this share of the machine (1.0 = every core for the whole pass) while it measured; the
monitor's own threshold (bench.sh --disturbed-share) is used when it recorded one."""


class Pass(NamedTuple):
    name: str
    wall_s: float
    other_share: float
    steal_share: float
    suite_share: float
    hypervisor: str
    warn_share: float

    def suspect(self) -> List[str]:
        """'other processes 48.3%' and 'steal 7.1%' when over the threshold."""
        found = []
        if self.other_share > self.warn_share:
            found.append(f"other processes {self.other_share * 100:.1f}%")
        if self.steal_share > self.warn_share:
            found.append(f"steal {self.steal_share * 100:.1f}%")
        return found


def _number(record: dict, key: str) -> float:
    value = record.get(key)
    return float(value) if isinstance(value, (int, float)) else 0.0


def records_of(contexts: Sequence[Tuple[str, dict]]) -> List[dict]:
    """The monitor's records as the first context (of a Results' (path, context) pairs) that
    has them keeps them."""
    for _, ctx in contexts:
        raw: Optional[object] = ctx.get(KEY)
        if raw is None:
            continue
        try:
            records = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return []
        return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []
    return []


def as_passes(records: Sequence[dict]) -> List[Pass]:
    return [Pass(str(r.get("name", "?")), _number(r, "wall_s"), _number(r, "other_share"),
                 _number(r, "steal_share"), _number(r, "suite_share"),
                 str(r.get("hypervisor", "unknown")), _number(r, "warn_share") or WARN_SHARE)
            for r in records if isinstance(r, dict)]


def passes(results) -> List[Pass]:
    return as_passes(records_of(results.contexts))


def disturbed_records(records: Sequence[dict]) -> FrozenSet[str]:
    """The names of the suspect records: the repetitions measured under them are disturbed."""
    return frozenset(p.name for p in as_passes(records) if p.suspect())


def warnings(results) -> List[str]:
    """One line per suspect pass, its rounds folded in: which, and the most that other
    processes and steal took of the machine in any of its parts."""
    grouped = {}
    for p in passes(results):
        grouped.setdefault(p.name.split(".round", 1)[0], []).append(p)
    lines = []
    for name, parts in grouped.items():
        suspect = [p for p in parts if p.suspect()]
        if not suspect:
            continue
        worst = Pass(name, sum(p.wall_s for p in parts),
                     max(p.other_share for p in parts), max(p.steal_share for p in parts),
                     0.0, parts[0].hypervisor, parts[0].warn_share)
        rounds = len(parts) - 1
        also = f" with its {rounds} round{'s' if rounds > 1 else ''}" if rounds else ""
        lines.append(f"pass '{name}' ({worst.wall_s:.0f} s{also}): up to "
                     f"{', '.join(worst.suspect())} of the machine, over "
                     f"{worst.warn_share * 100:.0f}%: its figures are suspect")
    return lines


def table(results) -> List[str]:
    """Markdown lines: every pass with its shares, for REPORT.md and machine.md."""
    recorded = passes(results)
    if not recorded:
        return ["Interference was not recorded for this run."]
    lines = [f"Hypervisor: {recorded[0].hypervisor}. Shares are of the whole machine (every core "
             "for the whole pass); a pass over "
             f"{recorded[0].warn_share * 100:.0f}% of other processes or steal is marked.", "",
             "| pass | seconds | this suite | other processes | steal | |",
             "|---|---|---|---|---|---|"]
    for p in recorded:
        lines.append(f"| {p.name} | {p.wall_s:.1f} | {p.suite_share * 100:.1f}% | "
                     f"{p.other_share * 100:.1f}% | {p.steal_share * 100:.1f}% | "
                     f"{'suspect' if p.suspect() else ''} |")
    return lines

"""The executors' catalogue: each executor's side, language, pair and properties, read from the
`kitchen_catalogue` context key that bench_kitchen and py_kitchen.py write into their JSON.

Nothing in scripts/ names an executor: order, sides, pairs, colours and the "serves one dish at
a time" property all come from here, so a new executor needs no change to the scripts.
"""

import json
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple

# processes: workers in processes of their own (CPython's pool), neither side of a pair.
# fibers: stackful user-space threads (Boost.Fiber, gevent), thread-style code whose waits
# switch fibers; a third side, whose executors name a pair on each of the other two.
SIDES = ("threads", "async", "baseline", "processes", "fibers")
KEY = "kitchen_catalogue"


class CatalogueError(ValueError):
    """A catalogue that cannot be used; str() says what and where, in one line."""


@dataclass(frozen=True)
class Executor:
    name: str
    language: str          # "C++" or "CPython"
    side: str              # "threads", "async", "baseline", "processes" or "fibers"
    what: str
    python: str            # the Python construct it stands for, "" when none
    pair: str              # the executor it is compared with, "" when none
    one_at_a_time: bool    # serves one dish at a time whatever the chefs
    source_lines: Optional[int]
    also_pair: str = ""    # a second executor it is compared with (a fiber kitchen's), "" when none
    # What a dish pays, named by the mechanism rows (the C++ catalogue's Paid): kitchen advise's
    # model reads it. None where the catalogue gives none (an executor the model leaves out).
    paid: Optional["Paid"] = None


class Paid(NamedTuple):
    cpu_on: str                      # "cores" or "loop"
    spawn: str                       # spawn/<kind> per order, "" for none
    per_order: Tuple[str, ...]       # switch/<kind> hand-overs per order, one per occurrence
    per_wait: Tuple[str, ...]        # ... per step that waits
    per_step: Tuple[str, ...]        # ... per step, whether it waits or not
    wait: str                        # timer/<kind> of its waits
    memory: Tuple[str, ...]          # memory/<kind> rows of one dish in flight
    threads: str                     # threads started for N in flight: chefs, orders, cores, none


_PAID_LISTS = ("per_order", "per_wait", "per_step", "memory")


def _paid(value: object, at: str) -> Optional[Paid]:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CatalogueError(f"{at}: 'paid' is {json.dumps(value)}; expected an object or null")
    fields = {}
    for key in Paid._fields:
        if key in _PAID_LISTS:
            names = value.get(key)
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise CatalogueError(f"{at}: paid '{key}' is {json.dumps(names)}; expected a "
                                     "list of mechanism kinds")
            fields[key] = tuple(names)
        else:
            fields[key] = _field(value, key, str, f"{at}: paid")
    if fields["cpu_on"] not in ("cores", "loop"):
        raise CatalogueError(f"{at}: paid 'cpu_on' is '{fields['cpu_on']}'; expected cores or "
                             "loop")
    if fields["threads"] not in ("chefs", "orders", "cores", "none"):
        raise CatalogueError(f"{at}: paid 'threads' is '{fields['threads']}'; expected chefs, "
                             "orders, cores or none")
    return Paid(**fields)


def _field(entry: Mapping, key: str, kind, where: str, optional: bool = False):
    value = entry.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        wanted = {str: "a string", bool: "true or false", int: "a whole number"}[kind]
        raise CatalogueError(f"{where}: '{key}' is {json.dumps(value)}; expected {wanted}")
    return value


def parse(text: object, where: str) -> List[Executor]:
    """The entries of one context's catalogue value (a JSON-encoded string holding a list)."""
    if not isinstance(text, str):
        raise CatalogueError(f"{where}: '{KEY}' is not a string holding JSON")
    try:
        entries = json.loads(text)
    except ValueError as e:
        raise CatalogueError(f"{where}: '{KEY}' is not valid JSON ({e})") from None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{where}: '{KEY}' must be a non-empty list of executors")
    found: List[Executor] = []
    for i, entry in enumerate(entries):
        at = f"{where}: {KEY} entry {i}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{at} is not an object")
        side = _field(entry, "side", str, at)
        if side not in SIDES:
            raise CatalogueError(f"{at}: side '{side}'; expected one of {', '.join(SIDES)}")
        found.append(Executor(
            name=_field(entry, "name", str, at), language=_field(entry, "language", str, at),
            side=side, what=str(entry.get("what", "")), python=str(entry.get("python", "")),
            pair=_field(entry, "pair", str, at),
            one_at_a_time=_field(entry, "one_at_a_time", bool, at),
            source_lines=_field(entry, "source_lines", int, at, optional=True),
            also_pair=_field(entry, "also_pair", str, at, optional=True) or "",
            paid=_paid(entry.get("paid"), at)))
    return found


class Catalogue:
    """Every executor of the inputs, in catalogue order (first file first)."""

    def __init__(self, executors: Iterable[Executor] = ()):
        self._by_name: Dict[str, Executor] = {}
        for e in executors:
            self.add(e, "catalogue")

    def add(self, e: Executor, where: str) -> None:
        known = self._by_name.get(e.name)
        if known is not None and (known.side, known.pair, known.language) != (
                e.side, e.pair, e.language):
            raise CatalogueError(f"{where}: executor '{e.name}' is catalogued twice, "
                                 f"differently ({known.side}/{known.pair or '-'} and "
                                 f"{e.side}/{e.pair or '-'})")
        self._by_name.setdefault(e.name, e)

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __iter__(self):
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Optional[Executor]:
        return self._by_name.get(name)

    def side(self, name: str) -> Optional[str]:
        e = self._by_name.get(name)
        return e.side if e else None

    def language(self, name: str) -> Optional[str]:
        e = self._by_name.get(name)
        return e.language if e else None

    def languages(self) -> List[str]:
        return list(dict.fromkeys(e.language for e in self))

    def order(self, name: str) -> Tuple[int, str]:
        """Sort key: catalogue order; names not catalogued after every catalogued one."""
        names = list(self._by_name)
        return (names.index(name) if name in self._by_name else len(names), name)

    def sorted(self, names: Iterable[str]) -> List[str]:
        return sorted(set(names), key=self.order)

    def pairs(self) -> List[Tuple[str, str]]:
        """(threads executor, async executor) of every pair the catalogue names, once each, in
        the order of their threads executor. The first is the catalogue's headline pair."""
        found: List[Tuple[str, str]] = []
        for e in self:
            other = self._by_name.get(e.pair)
            if other is None or {e.side, other.side} != {"threads", "async"}:
                continue
            pair = (e.name, other.name) if e.side == "threads" else (other.name, e.name)
            if pair not in found:
                found.append(pair)
        return sorted(found, key=lambda p: self.order(p[0]))

    def one_at_a_time(self, name: str) -> bool:
        e = self._by_name.get(name)
        return bool(e and e.one_at_a_time)


# One colour family per side (C++ threads blues, C++ async reds and oranges, C++ fibers purples,
# CPython greens, baselines grey), each shade used in catalogue order within its family.
_FAMILIES = {
    "threads": ("#08519c", "#3182bd", "#6baed6", "#2171b5", "#9ecae1"),
    "async": ("#cb181d", "#f16913", "#a50f15", "#fd8d3c", "#e7298a", "#fb6a4a"),
    "fibers": ("#54278f", "#807dba", "#3f007d", "#9e9ac8"),
    "CPython": ("#006d2c", "#41ab5d", "#74c476", "#238b45"),
    "baseline": ("#525252", "#969696"),
}
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">")


def family(catalogue: Catalogue, name: str) -> str:
    e = catalogue.get(name)
    if e is None:
        return "baseline"
    if e.side == "baseline":
        return "baseline"
    return "CPython" if e.language == "CPython" else e.side


def rank_in_family(catalogue: Catalogue, name: str) -> int:
    mine = family(catalogue, name)
    members = [e.name for e in catalogue if family(catalogue, e.name) == mine]
    return members.index(name) if name in members else 0


def colour(catalogue: Catalogue, name: str) -> str:
    shades = _FAMILIES[family(catalogue, name)]
    return shades[rank_in_family(catalogue, name) % len(shades)]


def marker(catalogue: Catalogue, name: str) -> str:
    return _MARKERS[rank_in_family(catalogue, name) % len(_MARKERS)]

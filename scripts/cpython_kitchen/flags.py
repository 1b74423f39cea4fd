"""Command-line flags of py_kitchen.py, checked by the rules of src/cli/flags.cpp so that a bad
flag reads the same as bench_kitchen's: `--chefs=0: '0' is out of range; expected
comma-separated whole numbers from 1 to 100000`.
"""

import math
import re
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

_DIGITS = re.compile(r"[0-9]+")  # what std::from_chars accepts for an unsigned: no sign, no space
# What std::from_chars accepts, whole, for a double (chars_format::general): an optional minus (no
# plus, no space, no underscore, no hex), digits with an optional point, an optional exponent;
# or inf, infinity, nan, nan(...), which no range here accepts anyway.
_DECIMAL = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
# The words from_chars reads as numbers, in any case: inf, infinity, nan and nan(chars).
_SPECIAL = re.compile(r"-?(inf|infinity|nan|nan\([0-9a-z_]*\))", re.IGNORECASE)
_UINT64_MAX = (1 << 64) - 1


class UsageError(Exception):
    """A flag that cannot be used; str() is the one line shown to the user."""


class Flag(NamedTuple):
    name: str
    value: str
    has_value: bool


def split_flag(arg: str) -> Optional[Flag]:
    """--name=value or --name; None for anything that is not a flag."""
    if len(arg) < 3 or not arg.startswith("--"):
        return None
    name, eq, value = arg.partition("=")
    return Flag(name, value, bool(eq))


def _shown(flag: Flag) -> str:
    return flag.name + ("=" + flag.value if flag.has_value else "")


def _refuse(flag: Flag, why: str, accepted: str) -> UsageError:
    return UsageError(f"{_shown(flag)}: {why}; expected {accepted}")


def _items(flag: Flag, accepted: str) -> List[str]:
    if not flag.has_value or not flag.value:
        raise _refuse(flag, "no value given", accepted)
    items = flag.value.split(",")
    if any(not item for item in items):
        raise _refuse(flag, "empty item in the list", accepted)
    return items


def _number(flag: Flag, item: str, low: int, high: int, accepted: str) -> int:
    quoted = f"'{item}'"
    # from_chars parses the leading digits, then the rest makes it "not a whole number".
    if not _DIGITS.fullmatch(item):
        raise _refuse(flag, f"{quoted} is not a whole number", accepted)
    # Long strings are too large before int() sees them (it refuses over 4,300 digits).
    value = int(item) if len(item.lstrip("0")) <= 20 else _UINT64_MAX + 1
    if value > _UINT64_MAX:
        raise _refuse(flag, f"{quoted} is too large", accepted)
    if not low <= value <= high:
        raise _refuse(flag, f"{quoted} is out of range", accepted)
    return value


def parse_uint(flag: Flag, low: int, high: int) -> int:
    accepted = f"a whole number from {low} to {high}"
    items = _items(flag, accepted)
    if len(items) != 1:
        raise _refuse(flag, "a single value is needed", accepted)
    return _number(flag, items[0], low, high, accepted)


def _refuse_repeat(flag: Flag, values: list, items: List[str], accepted: str) -> None:
    """The last of `values` (read from the item of the same index) is refused if an earlier one
    equals it: the same value twice would give two rows of one name, whose repetitions would be
    mixed into one set of aggregates (refuse_repeat in src/cli/flags.cpp)."""
    last = len(values) - 1
    for i in range(last):
        if values[i] != values[last]:
            continue
        if items[i] == items[last]:
            raise _refuse(flag, f"'{items[last]}' is given twice", accepted)
        raise _refuse(flag, f"'{items[last]}' is the same as '{items[i]}'", accepted)


def parse_uint_list(flag: Flag, low: int, high: int) -> List[int]:
    accepted = f"comma-separated whole numbers from {low} to {high}"
    items = _items(flag, accepted)
    values: List[int] = []
    for item in items:
        values.append(_number(flag, item, low, high, accepted))
        _refuse_repeat(flag, values, items, accepted)
    return values


def parse_fraction(flag: Flag, low: float, high: float) -> float:
    """A single number from low to high (parse_fraction in src/cli/flags.cpp); anything else,
    unparsable or out of range, is "not in range"."""
    accepted = f"a number from {low:g} to {high:g}"
    items = _items(flag, accepted)
    if len(items) != 1:
        raise _refuse(flag, "a single value is needed", accepted)
    item = items[0]
    value = float(item) if _DECIMAL.fullmatch(item) else math.nan
    if not low <= value <= high:  # false for nan too
        raise _refuse(flag, f"'{item}' is not in range", accepted)
    return value


def _names(flag: Flag, accepted: Sequence[str], text: str) -> List[str]:
    """The flag's names, each one of `accepted` and none twice; `text` says what is accepted."""
    names: List[str] = []
    for item in _items(flag, text):
        if item not in accepted:
            raise _refuse(flag, f"unknown name '{item}'", text)
        if item in names:
            raise _refuse(flag, f"'{item}' is given twice", text)
        names.append(item)
    return names


def parse_name_list(flag: Flag, accepted: Sequence[str]) -> List[str]:
    return _names(flag, accepted, "one or more of " + ",".join(accepted))


def parse_name(flag: Flag, accepted: Sequence[str]) -> str:
    """One name of `accepted` (parse_name in src/cli/flags.cpp)."""
    text = "one of " + ",".join(accepted)
    names = _names(flag, accepted, text)
    if len(names) != 1:
        raise _refuse(flag, "a single name is needed", text)
    return names[0]


def _number_list(flag: Flag, low: float, high: float) -> List[float]:
    """Comma-separated numbers in [low, high], or in (0, high] when low is 0 (number_list in
    src/cli/flags.cpp): an item from_chars cannot read whole is "not a number", one it reads but
    out of range is "out of range" (a negative number, 0, inf, nan, 1e-400 and 1e400 among
    them), and a value given twice is refused."""
    accepted = (f"comma-separated numbers from {low:g} to {high:g}" if low > 0 else
                f"comma-separated numbers above 0 and up to {high:g}")
    items = _items(flag, accepted)
    values: List[float] = []
    for item in items:
        if _DECIMAL.fullmatch(item):
            value = float(item)
        elif _SPECIAL.fullmatch(item):
            value = math.nan  # inf or nan: out of range either way
        else:
            raise _refuse(flag, f"'{item}' is not a number", accepted)
        if not (0 < value <= high and value >= low):  # false for nan too
            raise _refuse(flag, f"'{item}' is out of range", accepted)
        values.append(value)
        _refuse_repeat(flag, values, items, accepted)
    return values


def parse_positive_list(flag: Flag, high: float) -> List[float]:
    """Comma-separated numbers in (0, high], each once (parse_positive_list)."""
    return _number_list(flag, 0.0, high)


def parse_number_list(flag: Flag, low: float, high: float) -> List[float]:
    """Comma-separated numbers in [low, high], low above 0, each once (parse_number_list)."""
    return _number_list(flag, low, high)


def parse_path(flag: Flag) -> str:
    if not flag.has_value or not flag.value:
        raise _refuse(flag, "no value given", "a file name")
    return flag.value


def expect_no_value(flag: Flag) -> None:
    if flag.has_value:
        raise _refuse(flag, "this flag takes no value", f"just {flag.name}")


# The kinds of value a flag takes, as bench_kitchen's flag table names them (src/cli/flag_table.hpp,
# printed by `bench_kitchen --flags-json`); PATH is py_kitchen.py's own.
SWITCH, WHOLE, WHOLE_LIST, NUMBER, NUMBER_LIST, NAME, NAME_LIST, PATH = (
    "switch", "whole", "whole_list", "number", "number_list", "name", "name_list", "path")


class Spec(NamedTuple):
    """One flag: its name, the kind of value it takes, its range or names, its default written
    as a user would write it ("" for none), and its help: what --help shows after '=', what the
    flag does, and how the default reads where the value alone would not say it."""
    name: str
    kind: str
    low: float = 0
    high: float = 0
    names: Tuple[str, ...] = ()
    default: str = ""
    metavar: str = ""
    help: str = ""
    default_note: str = ""


def parse_value(flag: Flag, spec: Spec):
    """The flag's value by its spec, with bench_kitchen's refusals."""
    if spec.kind == SWITCH:
        expect_no_value(flag)
        return True
    if spec.kind == WHOLE:
        return parse_uint(flag, int(spec.low), int(spec.high))
    if spec.kind == WHOLE_LIST:
        return parse_uint_list(flag, int(spec.low), int(spec.high))
    if spec.kind == NUMBER:
        return parse_fraction(flag, spec.low, spec.high)
    if spec.kind == NUMBER_LIST:
        return (parse_number_list(flag, spec.low, spec.high) if spec.low > 0
                else parse_positive_list(flag, spec.high))
    if spec.kind == NAME:
        return parse_name(flag, spec.names)
    if spec.kind == NAME_LIST:
        return parse_name_list(flag, spec.names)
    return parse_path(flag)


def parse_by_table(argv: Sequence[str], specs: Sequence[Spec]) -> Dict[str, Tuple[Flag, object]]:
    """Every argument parsed by its spec, each flag at most once, as bench_kitchen's parser:
    {name: (flag as given, value)}, then every default of a flag not given, parsed the same way.
    Raises UsageError."""
    by_name = {spec.name: spec for spec in specs}
    found: Dict[str, Tuple[Flag, object]] = {}
    for arg in argv:
        flag = split_flag(arg)
        if flag is None:
            raise UsageError(f"unexpected argument '{arg}' (see --help)")
        if flag.name not in by_name:
            raise UsageError(f"unknown flag '{flag.name}' (see --help)")
        if flag.name in found:
            raise UsageError(f"{flag.name} is given twice; give it once (a list takes commas: "
                             f"{flag.name}=A,B)")
        found[flag.name] = (flag, parse_value(flag, by_name[flag.name]))
    for spec in specs:
        if spec.name not in found and spec.default:
            flag = Flag(spec.name, spec.default, True)
            found[spec.name] = (flag, parse_value(flag, spec))
    return found


def _range_text(spec: Spec) -> str:
    """What the spec accepts, worded as bench_kitchen's --help words it (flags_help)."""
    if spec.kind in (WHOLE, WHOLE_LIST):
        high = "2^64-1" if spec.high == (1 << 64) - 1 else str(int(spec.high))
        return f"{int(spec.low)}..{high}"
    if spec.kind == NUMBER or (spec.kind == NUMBER_LIST and spec.low > 0):
        return f"{spec.low:g}..{spec.high:g}"
    if spec.kind == NUMBER_LIST:
        return f"above 0 and up to {spec.high:g}"
    if spec.kind == NAME:
        return "one of " + ",".join(spec.names)
    if spec.kind == NAME_LIST:
        return "any of " + ",".join(spec.names)
    return ""


def help_lines(specs: Sequence[Spec], width: int = 100, indent: int = 21) -> str:
    """One entry per flag, `  --name=METAVAR  help (range; default: ...)`, wrapped at `width`."""
    text = ""
    for spec in specs:
        line = "  " + spec.name + (f"={spec.metavar}" if spec.kind != SWITCH else "")
        line += " " * (indent - len(line)) if len(line) + 2 <= indent else "  "
        notes = [n for n in (_range_text(spec),) if n]
        default = spec.default_note or spec.default
        if default:
            notes.append(f"default: {default}")
        words = (spec.help + (f" ({'; '.join(notes)})" if notes else "")).split()
        at, first = len(line), True
        for word in words:
            if not first and at + 1 + len(word) > width:
                line += "\n" + " " * indent
                at, first = indent, True
            if not first:
                line += " "
                at += 1
            line += word
            at += len(word)
            first = False
        text += line + "\n"
    return text

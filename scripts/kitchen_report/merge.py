"""Merge the JSON of several passes (bench_kitchen runs and py_kitchen.py) into one file.

The merged context is the first pass's, completed with the keys only later passes have (the
CPython version, say); the executors' catalogues are joined (an executor catalogued twice must be
catalogued alike); `kitchen_passes` names every pass; each row keeps its pass in `kitchen_pass`.
A row measured by two passes is refused, so every figure has one source, and so is a pass name or
a file given twice (run() checks the arguments). A context key whose
value differs between passes (asio_reactor: epoll in bench_kitchen, io_uring in
bench_kitchen_uring) keeps the first pass's value and is recorded per pass in `<key>_by_pass`;
so, whenever several passes are merged, are the keys true of one pass only (the pantry
server's capacity), and each row keeps its pass, so that it reads its own pass's value.
The pass monitor's records of what else used the machine, when given, become
`kitchen_interference` (a JSON list, one record per pass and per round).
"""

import json
import os
from typing import Dict, List, Tuple

from . import catalogue as cat
from . import strict_json
from .atomic import write_text
from .load import LoadError, read_document

# What else used the machine during each pass (interference.py), given with --interference.
INTERFERENCE_KEY = "kitchen_interference"

# Context keys that may differ between passes, each true of its own pass's rows.
PER_PASS_KEYS = ("asio_reactor",)
# Keys true of the pass that wrote them only (a py_kitchen.py pass measures no pantry capacity):
# with several passes they are always kept per pass, so that a pass without one reads none.
OWN_PASS_KEYS = ("pantry_capacity_per_s", "pantry_payload_bytes")


def merge(passes: List[Tuple[str, dict]]) -> dict:
    merged = {"context": dict(passes[0][1]["context"]), "benchmarks": []}
    entries: List[dict] = []
    known = cat.Catalogue()
    by_pass = {}  # key -> {pass: value}, for the keys PER_PASS_KEYS names
    for name, data in passes:
        for key, value in data["context"].items():
            merged["context"].setdefault(key, value)
            if key in PER_PASS_KEYS or key in OWN_PASS_KEYS:
                by_pass.setdefault(key, {})[name] = value
        if cat.KEY in data["context"]:
            try:
                for e in cat.parse(data["context"][cat.KEY], f"pass '{name}'"):
                    if e.name not in known:
                        entries.append(e)
                    known.add(e, f"pass '{name}'")
            except cat.CatalogueError as err:
                raise LoadError(str(err)) from None
    if entries:
        merged["context"][cat.KEY] = json.dumps(
            [{"name": e.name, "language": e.language, "side": e.side, "what": e.what,
              "python": e.python, "pair": e.pair, "also_pair": e.also_pair,
              "one_at_a_time": e.one_at_a_time, "source_lines": e.source_lines}
             for e in entries])
    for key, values in by_pass.items():
        if len(set(values.values())) > 1 or (key in OWN_PASS_KEYS and len(passes) > 1):
            merged["context"][f"{key}_by_pass"] = json.dumps(values)
    merged["context"]["kitchen_passes"] = ",".join(name for name, _ in passes)
    first_pass = {}  # row name -> the pass that measured it
    for name, data in passes:
        for row in data["benchmarks"]:
            key = row.get("run_name", row.get("name"))
            if first_pass.setdefault(key, name) != name:
                raise LoadError(f"row '{key}' is measured by both pass '{first_pass[key]}' and "
                                f"pass '{name}': each point must come from one pass")
            merged["benchmarks"].append(dict(row, kitchen_pass=name))
    return merged


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def interference_records(paths: List[str]) -> List[dict]:
    """The pass monitor's records (scripts/lib/pass_monitor.py), in the order given."""
    records = []
    for path in paths:
        record = read_record(path)
        if not isinstance(record, dict) or "name" not in record:
            raise LoadError(f"{path}: not a pass monitor record (expected an object with a name)")
        records.append(record)
    return records


def read_record(path: str) -> object:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise LoadError(f"{path}: {e.strerror}") from None
    except ValueError as e:
        raise LoadError(f"{path}: not JSON ({e})") from None


def run(out: str, specs: List[str], interference: List[str] = ()) -> None:
    passes = []
    given: Dict[str, str] = {}  # pass name -> its file
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise LoadError(f"'{spec}': expected NAME=IN.json")
        # kitchen_passes names every pass once, and every row comes from one pass: a name or a
        # file given twice would merge one pass twice, or two under one name.
        if name in given:
            raise LoadError(f"'{spec}': pass '{name}' is given twice (also as '{name}="
                            f"{given[name]}'); expected each pass once, with a name of its own")
        for other, earlier in given.items():
            if _same_file(path, earlier):
                raise LoadError(f"'{spec}': {path} is given twice (also as pass '{other}'); "
                                "expected each file once")
        given[name] = path
        passes.append((name, read_document(path)))
    merged = merge(passes)
    if interference:
        merged["context"][INTERFERENCE_KEY] = json.dumps(interference_records(list(interference)))
    write_text(out, strict_json.dumps(merged, indent=1) + "\n")

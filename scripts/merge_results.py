#!/usr/bin/env python3
"""Merge several Google Benchmark JSON files of bench_kitchen into one.

bench.sh runs bench_kitchen several times (the kitchen sweep, the Python-faithful rows, the
mechanism families, ...) and py_kitchen.py once, and keeps one results file: the context of the
first run, completed with the keys only later runs have (the CPython version, say), the name of
every pass in `kitchen_passes`, and every run's rows in order, each tagged with its pass. The output is written under a
temporary name and renamed, so an interrupted merge leaves nothing half-written.

usage: merge_results.py OUT.json NAME=IN.json [NAME=IN.json ...]
"""
import json
import os
import sys
import tempfile


def fail(message):
    print(f"merge_results.py: {message}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: not readable as JSON ({e})")
    if not isinstance(data, dict) or "benchmarks" not in data or "context" not in data:
        fail(f"{path}: not a Google Benchmark JSON file (no 'context' and 'benchmarks')")
    return data


def main(argv):
    if len(argv) < 3:
        fail("usage: merge_results.py OUT.json NAME=IN.json [NAME=IN.json ...]")
    out, passes = argv[1], []
    for arg in argv[2:]:
        name, sep, path = arg.partition("=")
        if not sep or not name or not path:
            fail(f"'{arg}': expected NAME=IN.json")
        passes.append((name, load(path)))
    merged = {"context": dict(passes[0][1]["context"]), "benchmarks": []}
    for _, data in passes[1:]:
        for key, value in data["context"].items():
            merged["context"].setdefault(key, value)
    merged["context"]["kitchen_passes"] = ",".join(name for name, _ in passes)
    first_pass = {}  # row name -> the pass that measured it
    for name, data in passes:
        for row in data["benchmarks"]:
            key = row.get("run_name", row.get("name"))
            if first_pass.setdefault(key, name) != name:
                fail(f"row '{key}' is measured by both pass '{first_pass[key]}' and pass "
                     f"'{name}': each point must come from one pass")
            merged["benchmarks"].append(dict(row, kitchen_pass=name))
    folder = os.path.dirname(os.path.abspath(out))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".merge-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(merged, f, indent=1)
            f.write("\n")
        umask = os.umask(0)  # read it by setting it, then put it straight back
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would surprise whoever reads the results
        os.replace(tmp, out)
    except OSError as e:
        fail(f"cannot write {out}: {e}")


if __name__ == "__main__":
    main(sys.argv)

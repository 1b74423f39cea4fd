"""Shared by the scripts' tests: where things are, and running a script as a user would.

The tests import the scripts' packages (kitchen_report, cpython_kitchen) from scripts/, which
must be on PYTHONPATH (ctest sets it; by hand: PYTHONPATH=scripts python3 -m unittest ...).
"""

import importlib.util
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "inputs")
SCRIPTS = os.path.normpath(os.path.join(HERE, "..", "..", "scripts"))

if importlib.util.find_spec("kitchen_report") is None:
    raise ImportError(f"kitchen_report is not importable: put {SCRIPTS} on PYTHONPATH")

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
NO_MATPLOTLIB = (f"{sys.executable} has no matplotlib; run the tests with the interpreter "
                 "scripts/find_python.sh prints (apt-get install python3-matplotlib)")
BENCH_BIN = os.environ.get("KITCHEN_BENCH_BIN", "")
NO_BENCH_BIN = "KITCHEN_BENCH_BIN is not set to a built bench_kitchen (ctest sets it)"


def have_bench_bin() -> bool:
    return bool(BENCH_BIN) and os.access(BENCH_BIN, os.X_OK)


def fixture(name: str) -> str:
    return os.path.join(INPUTS, name)


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/<script> with this interpreter, as a user would (no PYTHONPATH needed: each
    entry point imports the package beside it); returns the finished process, text output."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def merge_fixtures(test: unittest.TestCase, folder: str, **passes: str) -> str:
    """Merge fixtures as bench.sh merges its passes, a pass name each (net="net.json"), into
    folder/bench.json; fails the test if the merge does, and returns the merged file's path."""
    merged = os.path.join(folder, "bench.json")
    process = run("merge_results.py", merged,
                  *(f"{name}={fixture(given)}" for name, given in passes.items()))
    test.assertEqual(process.returncode, 0, process.stderr)
    return merged


def catalogued(name: str):
    """The fixtures' catalogue entry of a C++ executor (fixtures/shape.py), with what a dish
    pays on it: what kitchen advise's model reads."""
    from fixtures import shape
    from kitchen_report import catalogue as cat
    entries = cat.parse(shape.catalogue(shape.CPP_CATALOGUE + shape.FIBERS_CATALOGUE, "C++"),
                        "fixtures/shape.py")
    return next(e for e in entries if e.name == name)

"""Shared by the scripts' tests: where things are, and running a script as a user would."""

import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "inputs")
SCRIPTS = os.path.normpath(os.path.join(HERE, "..", "..", "scripts"))

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
NO_MATPLOTLIB = (f"{sys.executable} has no matplotlib; run the tests with the interpreter "
                 "scripts/find_python.sh prints (apt-get install python3-matplotlib)")


def fixture(name: str) -> str:
    return os.path.join(INPUTS, name)


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/<script> with this interpreter; returns the finished process, text output."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *args],
                          capture_output=True, text=True, env=env, timeout=300)

"""The interpreter py_kitchen.py runs on. An executor may need a module beyond the standard
library (executors.MODULES: py_gevent needs gevent), which `python3` first on PATH may lack
(a pyenv or venv interpreter, where Debian's python3-gevent is not). When this interpreter
lacks one that an executor asked for needs, py_kitchen.py runs again, with the same flags, on
the interpreter scripts/find_python.sh finds with it; when none has it, the run is refused in
one line naming what to install.
"""

import importlib
import os
import subprocess
import sys
from typing import Dict, List, Mapping, Sequence

from .flags import UsageError

_SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIND_PYTHON = os.path.join(_SCRIPTS, "find_python.sh")
PY_KITCHEN = os.path.join(_SCRIPTS, "py_kitchen.py")
# Set for the run on another interpreter, so that py_kitchen.py is run again at most once.
RERUN = "KITCHEN_PY_KITCHEN_RERUN"


def _importable(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def missing_modules(executors: Sequence[str], modules: Mapping[str, str]) -> Dict[str, List[str]]:
    """Per module this interpreter cannot import, the executors asked for that need it."""
    missing: Dict[str, List[str]] = {}
    for executor in executors:
        module = modules.get(executor)
        if module and (module in missing or not _importable(module)):
            missing.setdefault(module, []).append(executor)
    return missing


def run_where_importable(executors: Sequence[str], modules: Mapping[str, str],
                         argv: Sequence[str], say) -> None:
    """Returns when this interpreter has every module the executors need; else replaces this
    process by py_kitchen.py on one that has them (os.execve), or raises UsageError saying what
    to install."""
    missing = missing_modules(executors, modules)
    if not missing:
        return
    names = sorted(missing)
    if RERUN not in os.environ:
        found = subprocess.run(["sh", FIND_PYTHON, *names], capture_output=True, text=True)
        path = found.stdout.strip()
        if found.returncode == 0 and path:
            say(f"{sys.executable} has no {', '.join(names)}: running again on {path}")
            sys.stdout.flush()
            sys.stderr.flush()
            os.execve(path, [path, PY_KITCHEN, *argv], dict(os.environ, **{RERUN: "1"}))
    needs = "; ".join(f"{', '.join(missing[m])} needs {m}" for m in names)
    packages = " ".join(f"python3-{m}" for m in names)
    raise UsageError(f"--executors: {needs}, which neither {sys.executable} nor another "
                     "interpreter found by scripts/find_python.sh ($KITCHEN_PYTHON, "
                     f"/usr/bin/python3, python3) has; install {packages} (apt-get install "
                     f"{packages}), or leave them out of --executors")

#!/usr/bin/env python3
"""The kitchen in CPython, measured by bench_kitchen's rules, as Google Benchmark JSON.

The kitchen itself is the package cpython_kitchen/ beside this file; `py_kitchen.py --help` lists
the flags. Standard library only, Python >= 3.9.
"""

import sys

# Set before the package is imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from cpython_kitchen.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

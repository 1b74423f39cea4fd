#!/bin/sh
# Usage: find_python.sh [MODULE...]
# Print the path of a Python 3 interpreter that can import every MODULE (matplotlib when none is
# given, for plot.py; gevent for py_kitchen.py's py_gevent).
# Tried in order: $KITCHEN_PYTHON, /usr/bin/python3 (Debian's, where python3-<module> goes),
# then python3 on PATH (which may be a pyenv or venv interpreter without them).
# Exit 1 with one line on stderr saying what to install when none can.
[ $# -gt 0 ] || set -- matplotlib
# Shell builtins only: ", gevent" per module to import, "python3-gevent" per package.
imports= packages=
for module in "$@"; do imports="$imports, $module" packages="$packages python3-$module"; done
packages=${packages# }
for candidate in "${KITCHEN_PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c "import sys$imports; sys.exit(sys.version_info < (3, 7))" >/dev/null 2>&1; then
    echo "$path"
    exit 0
  fi
done
echo "install $packages (apt-get install $packages)" >&2
exit 1

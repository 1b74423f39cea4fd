#!/bin/sh
# Print the path of a Python 3 interpreter that can import matplotlib, for plot.py.
# Tried in order: $KITCHEN_PYTHON, /usr/bin/python3 (Debian's, where python3-matplotlib goes),
# then python3 on PATH (which may be a pyenv or venv interpreter without it).
# Exit 1 with one line on stderr saying what to install when none can.
for candidate in "${KITCHEN_PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, matplotlib; sys.exit(sys.version_info < (3, 7))' >/dev/null 2>&1; then
    echo "$path"
    exit 0
  fi
done
echo "install python3-matplotlib (apt-get install python3-matplotlib)" >&2
exit 1

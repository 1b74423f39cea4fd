"""Draw every chart of a run into a folder, PNG and SVG; skip those whose rows are absent."""

import os
import sys
from typing import List

from .load import LoadError, load
from .provenance import machine_line


def _writable_dir(out: str) -> None:
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise LoadError(f"cannot create output directory {out}: {e.strerror or e}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise LoadError(f"output directory {out} is not writable")


def run(inputs: List[str], out: str, strict: bool = False) -> None:
    # Input and output are checked first, so that their errors read the same without matplotlib.
    results = load(inputs, strict=strict)
    _writable_dir(out)
    try:
        from .charts import every_chart, style
    except ImportError:
        raise LoadError(f"matplotlib is missing from {sys.executable}: install "
                        "python3-matplotlib (apt-get install python3-matplotlib), "
                        "see scripts/find_python.sh") from None
    note = f"{machine_line(results)}  ·  inputs: {', '.join(os.path.basename(p) for p in inputs)}"
    for name, chart in every_chart():
        try:
            figures = chart(results, note)
        except style.NoData as e:
            print(f"skipped {name}: {e}; not measured in this run")
            continue
        for stem, fig in figures:
            try:
                paths = style.save(fig, out, stem)
            except OSError as e:
                raise LoadError(f"cannot write into {out}: {e.strerror or e}") from None
            print("wrote " + ", ".join(paths))
    if results.errors:
        print(f"rows that failed ({len(results.errors)}), not plotted:")
        for e in results.errors:
            print(f"  {e.name}: {e.message}")

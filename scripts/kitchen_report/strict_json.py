"""JSON text that a strict parser reads: no NaN, Infinity or -Infinity.

Python's json module writes those three for floats without a finite value, and they are not JSON.
As in bench_kitchen's output, a key whose number is not finite is left out of its object (a reader
takes a missing counter for unknown); in a list, where leaving an item out would shift the others,
it becomes null.
"""

import json
import math
from typing import Any, Optional


def _not_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def finite(value: Any) -> Any:
    """`value` with every number that is not finite left out of its object (null in a list)."""
    if _not_finite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items() if not _not_finite(v)}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps(doc: Any, indent: Optional[int] = None) -> str:
    # allow_nan=False: should a non-finite number ever get past finite(), the write fails
    # instead of producing text that is not JSON.
    return json.dumps(finite(doc), indent=indent, allow_nan=False)

#!/usr/bin/env python3
"""kitchen advise: threads or async for one workload (scripts/kitchen_advise/). `kitchen advise`
runs this with --bench=<the bench_kitchen it was built with>; run it directly the same way:

  scripts/advise.py --io-us=2000 --cpu-us=150 --concurrency=800 [--rate=3000] [--json=FILE]
  scripts/advise.py accuracy [--json=FILE]     the model against measurements over a grid
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kitchen_advise.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

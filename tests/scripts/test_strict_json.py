"""No JSON the scripts write holds NaN, Infinity or -Infinity, which are not JSON: a number
without a finite value is left out of its object (null in a list), and a strict parser
(json.loads with parse_constant raising) reads every output."""

import json
import math
import os
import tempfile
import unittest

from script_runner import fixture, run

from kitchen_report import load as kr
from kitchen_report import strict_json


def strict_loads(text):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


class StrictJsonTest(unittest.TestCase):
    def test_numbers_without_a_finite_value_are_left_out(self):
        doc = {"a": math.inf, "b": [1.0, -math.inf, math.nan], "c": {"d": math.nan, "e": 2},
               "f": "NaN"}
        self.assertEqual(strict_loads(strict_json.dumps(doc)),
                         {"b": [1.0, None, None], "c": {"e": 2}, "f": "NaN"})

    def test_merge_writes_strict_json_from_a_pass_that_held_infinity(self):
        with open(fixture("aggregates.json"), encoding="utf-8") as f:
            doc = json.load(f)
        # As Google Benchmark 1.7.1 wrote a cv whose counter averaged 0 without being 0.
        cv = [e for e in doc["benchmarks"] if e.get("aggregate_name") == "cv"][0]
        cv["dishes_per_s"] = math.inf
        with tempfile.TemporaryDirectory() as d:
            given, out = os.path.join(d, "pass.json"), os.path.join(d, "bench.json")
            with open(given, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            process = run("merge_results.py", out, f"kitchen={given}")
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(out, encoding="utf-8") as f:
                merged = strict_loads(f.read())
        row = [e for e in merged["benchmarks"] if e["name"] == cv["name"]][0]
        self.assertNotIn("dishes_per_s", row)
        self.assertIn("real_time", row)

    def test_a_null_counter_reads_as_missing(self):
        with open(fixture("aggregates.json"), encoding="utf-8") as f:
            doc = json.load(f)
        cv = [e for e in doc["benchmarks"] if e.get("aggregate_name") == "cv"][0]
        cv["dishes_per_s"] = None
        with tempfile.TemporaryDirectory() as d:
            given = os.path.join(d, "bench.json")
            with open(given, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            rows = kr.load([given]).rows
        row = [r for r in rows if cv["run_name"].startswith(r.name)][0]
        self.assertNotIn("dishes_per_s", row.cvs)


if __name__ == "__main__":
    unittest.main()

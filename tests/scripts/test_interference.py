"""What else used the machine: the pass monitor's shares from two /proc/stat readings, the
merge keeping its records, and REPORT.md's warning, one line per suspect pass with its rounds."""

import json
import os
import sys
import tempfile
import unittest

from script_runner import fixture

from kitchen_report import interference, load
from kitchen_report.merge import run as merge_run

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts", "lib"))
import pass_monitor  # noqa: E402


class SharesTest(unittest.TestCase):
    def test_other_processes_are_the_busy_time_the_suite_did_not_use(self):
        # 2 CPUs for 1 s at 100 ticks/s: 200 ticks; 150 busy, of which the suite used 0.5 s.
        before, after = (1000, 5000, 10, 2), (1150, 5040, 20, 2)
        got = pass_monitor.shares(before, after, suite_cpu_s=0.5, wall_s=1.0, ticks_per_s=100)
        self.assertEqual(got["busy_share"], 0.75)
        self.assertEqual(got["suite_share"], 0.25)
        self.assertEqual(got["other_share"], 0.5)
        self.assertEqual(got["steal_share"], 0.05)

    def test_the_suite_never_counts_more_than_the_machine_was_busy(self):
        got = pass_monitor.shares((0, 0, 0, 2), (10, 90, 0, 2), suite_cpu_s=5, wall_s=1,
                                  ticks_per_s=100)
        self.assertEqual(got["other_share"], 0.0)
        self.assertEqual(got["suite_share"], 0.1)


def record(name, other, steal=0.0):
    return {"name": name, "wall_s": 10.0, "cores": 2, "busy_share": 0.9, "suite_share": 0.4,
            "other_share": other, "steal_share": steal, "hypervisor": "KVM", "warn_share": 0.05}


class MergedRecordsTest(unittest.TestCase):
    def test_records_reach_the_context_and_a_suspect_pass_is_warned_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for r in (record("kitchen", 0.01), record("kitchen.round1.0", 0.2),
                      record("net", 0.0, steal=0.08), record("load", 0.0)):
                paths.append(os.path.join(tmp, r["name"] + ".machine.json"))
                with open(paths[-1], "w") as f:
                    json.dump(r, f)
            out = os.path.join(tmp, "bench.json")
            merge_run(out, [f"kitchen={fixture('async_wins.json')}"], paths)
            results = load.load([out])
        self.assertEqual([p.name for p in interference.passes(results)],
                         ["kitchen", "kitchen.round1.0", "net", "load"])
        warnings = interference.warnings(results)
        self.assertEqual(len(warnings), 2)
        self.assertIn("pass 'kitchen' (20 s with its 1 round): up to other processes 20.0%",
                      warnings[0])
        self.assertIn("pass 'net' (10 s): up to steal 8.0%", warnings[1])
        table = "\n".join(interference.table(results))
        self.assertIn("Hypervisor: KVM", table)
        self.assertIn("| load | 10.0 | 40.0% | 0.0% | 0.0% |  |", table)


if __name__ == "__main__":
    unittest.main()

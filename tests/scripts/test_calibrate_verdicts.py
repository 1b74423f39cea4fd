"""calibrate_verdicts.py: the table's decision code and the rounds' on simulated cells. Its
full seeded run meets the targets (coverage, cells decided on a band edge, power); the same
seed gives the same counts; a cell goes through the rounds as the rounds would take it."""

import json
import os
import random
import tempfile
import unittest

from script_runner import run

from kitchen_report import calibration as cal
from kitchen_report.table import cpu, errors, io_rule, memory


class FullRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "cal.json")
            cls.process = run("calibrate_verdicts.py", f"--json={out}")
            with open(out) as f:
                cls.doc = json.load(f)

    def test_every_target_is_met(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        self.assertIn("every target met", self.process.stdout)
        self.assertEqual((self.doc["met"], self.doc["missed"]), (True, []))
        for f in self.doc["settings"]:
            where = (f["cv"], f["band"])
            self.assertGreaterEqual(f["coverage"], 0.94, where)
            self.assertLessEqual(f["edge_decided"], 0.06, where)
            if f["cv"] in (0.02, 0.05):
                self.assertGreaterEqual(f["power"]["tie"], 0.9, where)
                self.assertGreaterEqual(f["power"]["win"], 0.9, where)

    def test_every_setting_at_the_tables_bands_with_2000_cells_a_scenario(self):
        bands = sorted({io_rule.IO_THROUGHPUT_RATIO, cpu.CPU_SPEEDUP_PARALLEL,
                        memory.MEMORY_RATIO, errors.CANCEL_RATIO})
        self.assertEqual(self.doc["bands"], bands)
        self.assertEqual(sorted((f["cv"], f["band"]) for f in self.doc["settings"]),
                         sorted((cv, b) for cv in (0.02, 0.05, 0.15) for b in bands))
        for f in self.doc["settings"]:
            outcomes = f["counts"]["outcomes"]
            self.assertEqual({s: sum(c.values()) for s, c in outcomes.items()},
                             {"edge": 2000, "tie": 2000, "win": 2000})

    def test_the_procedure_does_err_on_a_band_edge_and_fails_at_too_much_noise(self):
        # Not a procedure that never decides: some edge cells are decided (wrongly), and at
        # cv 15% a 1.10 band is too narrow to call a tie within 15 repetitions.
        self.assertTrue(any(f["counts"]["edge_decided"] > 0 for f in self.doc["settings"]))
        noisy = next(f for f in self.doc["settings"] if (f["cv"], f["band"]) == (0.15, 1.1))
        self.assertLess(noisy["power"]["tie"], 0.1)


class SeededTest(unittest.TestCase):
    def test_the_same_seed_gives_the_same_counts_and_another_seed_others(self):
        first = cal.run_setting(0.05, 1.1, cells=100, seed=3)
        self.assertEqual(first, cal.run_setting(0.05, 1.1, cells=100, seed=3))
        self.assertNotEqual(first["counts"], cal.run_setting(0.05, 1.1, cells=100,
                                                             seed=4)["counts"])

    def test_a_clear_win_is_decided_at_the_first_look_and_a_hopeless_cell_at_the_cap(self):
        rng = random.Random(1)
        clear = cal.simulate_cell(rng, 4.0, 0.02, 0.02, 1.1)
        self.assertEqual((clear.outcome, clear.n_a, clear.n_b, clear.covered),
                         ("win", 5, 5, True))
        # True ratio 1.0 at cv 15% against a 1.10 band: the rounds measure both rows to 15.
        hopeless = cal.simulate_cell(rng, 1.0, 0.15, 0.15, 1.1)
        self.assertEqual((hopeless.outcome, hopeless.n_a, hopeless.n_b),
                         ("undecided", 15, 15))

    def test_a_bad_flag_is_one_line_and_status_2(self):
        process = run("calibrate_verdicts.py", "--cells=0")
        self.assertEqual(process.returncode, 2)
        self.assertEqual(len(process.stderr.splitlines()), 1, process.stderr)
        self.assertIn("--cells=0", process.stderr)
        self.assertEqual(process.stdout, "")


if __name__ == "__main__":
    unittest.main()

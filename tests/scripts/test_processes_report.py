"""py_processes in the report and the advisor: the CPU and I/O rows' processes cells, the pool's
memory note, the crossover series and where it is said to start paying, and kitchen advise
--gil naming the pool when its cell is a win. Mechanism only: the rows come from one tiny
py_kitchen.py run, and no test asserts which side is faster (the outcomes that decide the words
are set by the test where a word is checked)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from dataclasses import replace

from script_runner import run

from kitchen_advise import plan as plans
from kitchen_advise import processes as advise_processes
from kitchen_advise.flags import Workload
from kitchen_report import crossover
from kitchen_report.figures import is_sweep_row
from kitchen_report.load import load
from kitchen_report.stats import LOSE, TIE, WIN
from kitchen_report.table import cpu, io, memory

POOL, THREADS = "py_processes", "py_threads"


def py_kitchen(out, *flags):
    done = run("py_kitchen.py", *flags, "--min-time=0.005", f"--out={out}")
    if done.returncode != 0:
        raise AssertionError(done.stderr)


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp()
        cls.bench = os.path.join(cls.folder, "bench.json")
        py_kitchen(cls.bench, f"--executors={POOL},{THREADS}", "--profiles=cpu,io",
                   "--chefs=1,2", "--customers=6", "--io-us=100", "--cpu-us=20",
                   "--repetitions=2")
        # The same points at the profiles' own costs, for the table (cost-named rows are not).
        cls.plain = os.path.join(cls.folder, "plain.json")
        py_kitchen(cls.plain, f"--executors={POOL},{THREADS}", "--profiles=cpu,io",
                   "--chefs=1,2", "--customers=4", "--repetitions=2", "--quick")
        one = os.path.join(cls.folder, "one.json")
        spread = os.path.join(cls.folder, "spread.json")
        costs = ["--profiles=cpu", "--chefs=2", "--customers=6", "--io-us=0",
                 "--cpu-us=1,10", "--repetitions=2", f"--executors={POOL},{THREADS}"]
        py_kitchen(one, f"--series={crossover.SERIES}", *costs)
        py_kitchen(spread, f"--series={crossover.SERIES}_spread", "--chunksize=3", *costs)
        # As bench.sh merges its passes: the series beside the plain rows.
        cls.merged = os.path.join(cls.folder, "merged.json")
        done = run("merge_results.py", cls.merged, f"plain={cls.plain}", f"one={one}",
                   f"spread={spread}")
        if done.returncode != 0:
            raise AssertionError(done.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_the_cpu_row_keeps_the_processes_cell_beside_the_threads_one(self):
        row = cpu.evaluate(load([self.plain]))
        cells = [c for c in row.cells if c.a == POOL]
        self.assertEqual(len(cells), 1)
        cell = cells[0]
        self.assertEqual((cell.b, cell.counter), (THREADS, "dishes_per_s"))
        self.assertIn("/chefs:2/", cell.rows[0])
        self.assertIn("/chefs:1/", cell.rows[1])
        self.assertEqual(cell.band, cpu.CPU_SPEEDUP_PARALLEL)
        self.assertEqual(cell.row, row.anchor)
        note = next(n for n in row.notes if n.startswith("The article's remedy"))
        self.assertIn(cell.text(), note)
        # The threads' cell at the same point is told beside it.
        threads = next(c for c in row.cells if c.a == THREADS and "/chefs:2/" in c.rows[0])
        self.assertIn(threads.text(), note)
        self.assertIn(f"{POOL} ", row.measured)

    def test_the_io_row_has_the_matching_cell(self):
        row = io.evaluate(load([self.plain]))
        cells = [c for c in row.cells if c.a == POOL]
        self.assertEqual(len(cells), 1)
        self.assertEqual(cells[0].b, THREADS)
        self.assertIn("/io/chefs:2/", cells[0].rows[0])

    def test_cost_named_rows_stay_out_of_the_cpu_row(self):
        row = cpu.evaluate(load([self.bench]))
        self.assertFalse([c for c in row.cells if "cpu_us:" in "".join(c.rows)])

    def test_verdicts_json_carries_the_processes_cells(self):
        out = os.path.join(self.folder, "verdicts.json")
        done = run("pros_cons.py", self.plain, "--out", os.path.join(self.folder, "t.md"),
                   "--verdicts", out)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        found = {r["feature"]: [c for c in r["cells"] if c["a"] == POOL] for r in doc["rows"]}
        self.assertEqual(len(found["CPU-bound tasks"]), 1)
        self.assertEqual(len(found["I/O-bound tasks"]), 1)

    def test_the_memory_row_tells_a_workers_unique_and_proportional_set(self):
        row = memory.evaluate(load([self.plain]))
        note = next(n for n in row.notes if n.startswith(f"A worker process of {POOL}"))
        self.assertIn("unique (USS)", note)
        self.assertIn("proportional (PSS)", note)
        self.assertIn("(PSS)", row.measured)

    def test_the_series_rows_stay_out_of_the_plain_sweep(self):
        results = load([self.merged])
        series = [r for r in results.family("kitchen") if "series" in r.params]
        self.assertEqual(len(series), 8)
        self.assertFalse([r for r in series if is_sweep_row(r)])
        cells = cpu.evaluate(results).cells
        self.assertTrue(cells)
        self.assertFalse([c for c in cells if "series" in "".join(c.rows)])

    def test_the_crossover_pairs_each_pool_row_with_its_threads_row(self):
        series = crossover.series(load([self.merged]))
        self.assertEqual([(s.executor, s.chunksize) for s in series], [(POOL, 1), (POOL, 3)])
        for s in series:
            self.assertEqual([w for w, _ in s.points], [1.0, 10.0])
            for _, c in s.points:
                self.assertEqual((c.a, c.b, c.band), (POOL, THREADS, crossover.BAND))
                self.assertIn("/cpu_us:", c.rows[1])
                self.assertNotIn("chunksize", c.rows[1])
                # Each pool row against its pair's of the same pass (series).
                self.assertEqual(c.rows[0].split("/series:")[1], c.rows[1].split("/series:")[1])

    def test_the_crossover_is_the_first_win(self):
        s = crossover.series(load([self.merged]))[0]
        (w1, c1), (w2, c2) = s.points
        cases = (((LOSE, WIN), w2), ((WIN, WIN), w1), ((TIE, LOSE), None))
        for outcomes, expected in cases:
            with self.subTest(outcomes=outcomes):
                staged = replace(s, points=((w1, replace(c1, outcome=outcomes[0])),
                                            (w2, replace(c2, outcome=outcomes[1]))))
                first = staged.crossover()
                self.assertEqual(first and first[0], expected)

    def test_the_report_names_the_crossover_or_says_there_is_none(self):
        results = load([self.merged])
        words = "\n".join(crossover.lines(results))
        for s in crossover.series(results):
            first = s.crossover()
            if first is None:
                self.assertIn(f"With chunksize {s.chunksize}, no interval cleared the band",
                              words)
            else:
                self.assertIn(f"With chunksize {s.chunksize}, processes start to pay at", words)

    def test_rows_outside_the_series_make_no_crossover(self):
        # The cost-named rows of self.bench are not the series: no crossover from them.
        self.assertEqual(crossover.series(load([self.bench])), [])
        self.assertEqual(crossover.lines(load([self.plain])), [])


class AdviseTest(unittest.TestCase):
    def plan(self, gil=True, heavy=True):
        w = Workload(io_us=0, cpu_us=100, concurrency=2, gil=gil)
        return plans.Plan(workload=w, executors=[], pairs=[], extra=[],
                          points=[plans.Point(chefs=2, customers=6, io_us=0, cpu_us=100)],
                          steps=5.4, cpu_heavy=heavy)

    def test_the_pool_is_considered_under_the_gil_with_cpu_heavy_work_only(self):
        self.assertTrue(advise_processes.applies(self.plan()))
        self.assertFalse(advise_processes.applies(self.plan(gil=False)))
        self.assertFalse(advise_processes.applies(self.plan(heavy=False)))

    def test_the_command_measures_each_pool_beside_its_threads_at_the_users_point(self):
        argv = advise_processes.command(self.plan(), "out.json")
        self.assertIn(f"--executors={POOL},{THREADS}", argv)
        self.assertIn("--chefs=2", argv)
        self.assertIn("--customers=6", argv)

    def measured(self):
        with tempfile.TemporaryDirectory() as work:
            def run_it(argv, name, folder):
                done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
                if done.returncode != 0:
                    raise RuntimeError(done.stderr.strip().splitlines()[-1])
            return advise_processes.measure(self.plan(), work, run_it)

    def test_the_pool_is_named_only_when_its_cell_is_a_win(self):
        found = self.measured()
        self.assertEqual([(p.executor, p.pair) for p in found], [(POOL, THREADS)])
        pool = found[0]
        self.assertIsNotNone(pool.cell, pool.error)
        self.assertEqual((pool.cell.a, pool.cell.b), (POOL, THREADS))
        for outcome, leads in ((WIN, True), (TIE, False), (LOSE, False)):
            with self.subTest(outcome=outcome):
                staged = replace(pool, cell=replace(pool.cell, outcome=outcome))
                self.assertEqual(staged.leads, leads)
                line = advise_processes.lines([staged])[0]
                self.assertEqual(f"use {POOL}" in line, leads)
                self.assertEqual("does not lead" in line, not leads)

    def test_a_failed_measurement_is_told_not_hidden(self):
        def fails(argv, name, folder):
            raise RuntimeError("no interpreter")
        with tempfile.TemporaryDirectory() as work:
            found = advise_processes.measure(self.plan(), work, fails)
        self.assertIsNone(found[0].cell)
        self.assertIn("not measured (RuntimeError: no interpreter)",
                      advise_processes.lines(found)[0])


if __name__ == "__main__":
    unittest.main()

"""bench.sh's passes as a table (scripts/lib/passes.py): docs/running.md's copy of it, executor sets
chosen by a catalogue property, and the driver (scripts/lib/bench_run.py): a log per pass, a
failed pass named with its log, the logs kept; the rounds' filter and their failed commands."""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "scripts", "lib"))
import bench_run  # noqa: E402
import passes  # noqa: E402
import rounds  # noqa: E402
from kitchen_report import catalogue as cat  # noqa: E402
from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture  # noqa: E402

BENCH_SH = os.path.join(REPO, "scripts", "bench.sh")


def entry(name, side, pair="", one=False):
    return cat.Executor(name=name, language="C++", side=side, what="", python="", pair=pair,
                        one_at_a_time=one, source_lines=None)


# Names no catalogue has: the selection must come from the properties alone.
CATALOGUE = [entry("t1", "threads", "a1"), entry("t2", "threads"), entry("a1", "async", "t1"),
             entry("a2", "async", "nobody"), entry("b1", "baseline", one=True),
             entry("p1", "processes", "t1")]


class TableTest(unittest.TestCase):
    def test_the_table_is_well_formed(self):
        passes.check_table()
        bad = passes.Pass("x", passes.BENCH, ("--executors={everything}",), None, "", "")
        with self.assertRaisesRegex(ValueError, "everything"):
            passes.check_table([bad])
        twice = passes.Pass("x", passes.BENCH, (), None, "", "")
        with self.assertRaisesRegex(ValueError, "'x'"):
            passes.check_table([twice, twice])

    def test_the_docs_show_the_table(self):
        with open(os.path.join(REPO, "docs", "running.md"), encoding="utf-8") as f:
            doc = f.read()
        self.assertEqual(passes.updated(doc, passes.doc_table()), doc,
                         "run scripts/lib/passes.py --doc")
        for p in passes.PASSES:
            self.assertIn(f"| `{p.name}` |", doc)

    def test_quick_and_no_python_choose_passes_by_their_entries(self):
        full = passes.selected(passes.PASSES, quick=False, python=True)
        quick = passes.selected(passes.PASSES, quick=True, python=True)
        self.assertEqual(full, list(passes.PASSES))
        self.assertEqual([p for p in quick], [p for p in passes.PASSES if p.quick is not None])
        self.assertLess(len(quick), len(full))
        self.assertFalse([p for p in passes.selected(passes.PASSES, False, python=False)
                          if p.program == passes.PY_KITCHEN])


class SelectorTest(unittest.TestCase):
    def test_executor_sets_come_from_the_catalogue_properties(self):
        p = passes.Pass("p", passes.BENCH, ("--executors={overlapping}", "--x={paired}",
                                            "--server={bin}/pantry_server"), None, "", "")
        self.assertTrue(passes.needs_catalogue(p, quick=False))
        flags = passes.resolve(p, False, CATALOGUE, "/opt/bin")
        self.assertEqual(flags, ["--executors=t1,t2,a1,a2", "--x=t1,a1",
                                 "--server=/opt/bin/pantry_server"])

    def test_a_property_no_executor_has_is_refused(self):
        p = passes.Pass("p", passes.BENCH, ("--executors={paired}",), None, "", "")
        with self.assertRaisesRegex(ValueError, "no executor .* is paired"):
            passes.resolve(p, False, [entry("t2", "threads"), entry("b1", "baseline")], "/b")

    def test_no_script_of_the_run_names_an_executor(self):
        with open(fixture("aggregates.json"), encoding="utf-8") as f:
            context = json.load(f)["context"]
        names = [e.name for e in cat.parse(context[cat.KEY], "fixture")]
        from cpython_kitchen.executors import EXECUTORS
        names += list(EXECUTORS)
        self.assertTrue(names)
        for path in ("scripts/bench.sh", "scripts/lib/passes.py", "scripts/lib/bench_run.py",
                     "scripts/lib/rounds.py"):
            with open(os.path.join(REPO, path), encoding="utf-8") as f:
                text = f.read()
            for name in names:
                self.assertIsNone(re.search(rf"\b{name}\b", text), f"{path} names {name}")


class ProgressTest(unittest.TestCase):
    def test_rows_are_counted_once_each_from_either_program(self):
        rows = bench_run.Rows(["kitchen/a/io/x/real_time", "kitchen/b/io/x/real_time"])
        self.assertEqual(rows.total, 2)
        for line in ("kitchen/a/io/x/real_time   1.0 ms  1.0 ms  5",
                     "kitchen/a/io/x/real_time   1.1 ms  1.0 ms  5",
                     "kitchen/a/io/x/real_time_mean   1.0 ms  1.0 ms  2",
                     "Benchmark   Time   CPU"):
            rows.feed(line)
        self.assertEqual(rows.done, 1)
        py = bench_run.Rows(None)
        py.feed("py_kitchen.py: [3/7] kitchen/py_x/io/chefs:1/customers:10: 1.00 ms")
        self.assertEqual((py.done, py.total), (3, 7))

    def test_the_time_left_comes_from_the_previous_run_else_this_one(self):
        estimate = bench_run.Estimate({"a": 60.0})
        self.assertEqual(estimate.left(["a"]), "~1:00 left")
        self.assertIn("unknown", estimate.left(["a", "b"]))
        estimate.taken.append(30.0)
        self.assertEqual(estimate.left(["a", "b"]), "~1:30 left")


class RoundsTest(unittest.TestCase):
    def test_the_filter_names_each_row_by_its_full_name(self):
        doc = {"benchmarks": [
            {"name": "memory/thread/tasks:100/iterations:1/real_time",
             "run_name": "memory/thread/tasks:100/iterations:1/real_time",
             "run_type": "iteration"},
            {"name": "kitchen/k/io/chefs:1/customers:1/process_time/real_time",
             "run_name": "kitchen/k/io/chefs:1/customers:1/process_time/real_time",
             "run_type": "iteration"}]}
        names = rounds.full_names(doc)
        pattern = re.compile(rounds.gbench_filter(sorted(names), names))
        for e in doc["benchmarks"]:
            self.assertTrue(pattern.match(e["name"]), e["name"])
        self.assertFalse(pattern.match("memory/thread/tasks:1000/iterations:1/real_time"))

    def test_a_failed_round_command_is_named_with_its_log(self):
        with tempfile.TemporaryDirectory() as work:
            args = type("Args", (), {"work": work, "warn_share": 0.05, "logs": work})
            said = rounds.run_round_command(
                [sys.executable, "-c", "print('row output'); raise SystemExit(3)"],
                "net_1.round1.0", os.path.join(work, "out.json"), args)
            log = os.path.join(work, "net_1.log")
            self.assertEqual(said, f"exit 3; its output: {log}")
            with open(log, encoding="utf-8") as f:
                self.assertIn("row output", f.read())
            said = rounds.run_round_command([sys.executable, "-c", "pass"], "net_1.round1.1",
                                            os.path.join(work, "never.json"), args)
            self.assertIn("no ", said)


class FlagsThatDoNothingTest(unittest.TestCase):
    def test_each_is_refused_in_one_line_before_anything_is_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "results")
            env = dict(os.environ, KITCHEN_RESULTS_DIR=results,
                       KITCHEN_BENCH_BIN=os.path.join(tmp, "never_run"))
            for argv, said in ((["--quick", "--", "--profiles=io"], "--quick does nothing"),
                               (["--no-python", "--", "--profiles=io"],
                                "--no-python does nothing"),
                               (["--max-seconds=0", "--max-repetitions=3"],
                                "--max-repetitions does nothing")):
                run = subprocess.run([BENCH_SH] + argv, env=env, capture_output=True,
                                     text=True, timeout=30)
                self.assertEqual(run.returncode, 2, argv)
                self.assertEqual(len(run.stderr.splitlines()), 1, run.stderr)
                self.assertIn(said, run.stderr)
                self.assertFalse(os.path.exists(results))


class BuildLogTest(unittest.TestCase):
    def test_a_failed_build_names_its_log_and_keeps_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "results")
            # A cmake that fails at once, so that nothing is built.
            fake = os.path.join(tmp, "cmake")
            with open(fake, "w", encoding="utf-8") as f:
                f.write("#!/bin/sh\necho 'cmake: a configure line'\nexit 1\n")
            os.chmod(fake, 0o755)
            env = dict(os.environ, KITCHEN_RESULTS_DIR=results, KITCHEN_SKIP_PACKAGES="1",
                       PATH=tmp + os.pathsep + os.environ["PATH"])
            env.pop("KITCHEN_BENCH_BIN", None)
            run = subprocess.run([BENCH_SH, "--quick"], env=env, capture_output=True,
                                 text=True, timeout=60)
            self.assertEqual(run.returncode, 1, run.stderr)
            log = os.path.join(results, "logs.failed", "build.log")
            self.assertIn(f"the build failed; its log: {log}", run.stderr)
            self.assertNotIn("a configure line", run.stdout + run.stderr)
            with open(log, encoding="utf-8") as f:
                self.assertIn("cmake configure failed", f.read())


# A stand-in for bench_kitchen that prints a line and fails.
FAILING_BENCH = """#!{python}
import sys
print("a row line from the failing program")
sys.exit(4)
"""


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class DriverTest(unittest.TestCase):
    def test_a_failed_pass_names_its_log_which_is_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "results")
            fake = os.path.join(tmp, "bench_kitchen")
            with open(fake, "w", encoding="utf-8") as f:
                f.write(FAILING_BENCH.format(python=sys.executable))
            os.chmod(fake, 0o755)
            env = dict(os.environ, KITCHEN_RESULTS_DIR=results, KITCHEN_BENCH_BIN=fake)
            env.pop("PYTHONPATH", None)
            run = subprocess.run([BENCH_SH, "--", "--profiles=io"], env=env,
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 1, run.stderr)
            log = os.path.join(results, "logs.failed", "kitchen.log")
            self.assertIn(f"pass 'kitchen' failed (exit 4); its log: {log}", run.stderr)
            # The program's own output is in the log, not on the terminal.
            self.assertNotIn("a row line", run.stdout + run.stderr)
            with open(log, encoding="utf-8") as f:
                self.assertIn("a row line from the failing program", f.read())
            self.assertFalse([e for e in os.listdir(results) if e.startswith(".run.")])


if __name__ == "__main__":
    unittest.main()

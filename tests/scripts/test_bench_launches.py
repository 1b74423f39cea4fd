"""bench.sh's driver launches each pass's program twice (scripts/lib/bench_run.py): the pass's
repetitions split between the launches, each launch under the pass monitor with a record of its
own, the second launch's repetitions appended to the first's file naming that record, through
the merge to each repetition's Row.measured_by. The program is a stand-in that writes rows of a
fixture, so nothing is measured."""

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts", "lib"))
import bench_run  # noqa: E402
import passes  # noqa: E402
import rounds  # noqa: E402
from cpython_kitchen.main import REPETITIONS as PY_REPETITIONS  # noqa: E402
from kitchen_report.load import load  # noqa: E402
from kitchen_report.merge import run as merge  # noqa: E402
from script_runner import BENCH_BIN, NO_BENCH_BIN, fixture, have_bench_bin  # noqa: E402

# Writes --benchmark_repetitions repetitions (and a median aggregate) of the first two rows of
# a fixture to --benchmark_out, after noting its arguments in `calls`; exits 4 when given
# `fail_at` repetitions.
FAKE_BENCH = """#!{python}
import json, sys
flags = dict(a.split("=", 1) for a in sys.argv[1:] if "=" in a)
reps = int(flags["--benchmark_repetitions"])
with open({calls!r}, "a") as f:
    f.write(json.dumps(sys.argv[1:]) + "\\n")
if reps == {fail_at}:
    print("a row line from the failing launch")
    sys.exit(4)
with open({rows!r}) as f:
    doc = json.load(f)
first = {{}}
for e in doc["benchmarks"]:
    if e.get("run_type") == "iteration" and len(first) < 2:
        first.setdefault(e["run_name"], e)
out = []
for name, e in first.items():
    e = {{k: v for k, v in e.items() if k != "kitchen_round"}}
    out += [dict(e, repetitions=reps, repetition_index=i) for i in range(reps)]
    if reps > 1:
        out.append(dict(e, run_type="aggregate", aggregate_name="median", repetitions=reps))
with open(flags["--benchmark_out"], "w") as f:
    json.dump({{"context": doc["context"], "benchmarks": out}}, f)
"""


def repetitions_of(command, flag="--benchmark_repetitions="):
    return [a[len(flag):] for a in command if a.startswith(flag)]


class LaunchCommandsTest(unittest.TestCase):
    def test_five_repetitions_are_three_then_two_in_the_flags_place(self):
        command = ["bench", "--benchmark_repetitions=5", "--profiles=io"]
        self.assertEqual(bench_run.launch_commands(command, passes.BENCH),
                         [["bench", "--benchmark_repetitions=3", "--profiles=io"],
                          ["bench", "--benchmark_repetitions=2", "--profiles=io"]])

    def test_three_are_two_then_one_and_one_stays_one_launch(self):
        self.assertEqual([repetitions_of(c) for c in bench_run.launch_commands(
            ["bench", "--benchmark_repetitions=3"], passes.BENCH_URING)], [["2"], ["1"]])
        one = ["bench", "--benchmark_repetitions=1"]
        self.assertEqual(bench_run.launch_commands(one, passes.BENCH), [one])
        self.assertEqual(bench_run.launch_shares(7), [4, 3])

    def test_the_cpython_kitchen_splits_its_own_flag(self):
        command = ["python3", "py_kitchen.py", "--repetitions=5", "--profiles=io"]
        self.assertEqual([repetitions_of(c, "--repetitions=") for c in
                          bench_run.launch_commands(command, passes.PY_KITCHEN)],
                         [["3"], ["2"]])

    def test_a_pass_that_names_no_repetitions_splits_its_programs_default(self):
        py = bench_run.launch_commands(["python3", "py_kitchen.py", "--quick"],
                                       passes.PY_KITCHEN)
        self.assertEqual([repetitions_of(c, "--repetitions=") for c in py],
                         [[str(n)] for n in bench_run.launch_shares(PY_REPETITIONS)])
        self.assertEqual([c[:3] for c in py], [["python3", "py_kitchen.py", "--quick"]] * 2)
        bench = bench_run.launch_commands(["bench", "--profiles=io"], passes.BENCH)
        self.assertEqual([repetitions_of(c) for c in bench],
                         [[str(n)] for n in bench_run.launch_shares(bench_run.BENCH_REPETITIONS)])

    def test_a_count_that_is_not_a_number_is_left_for_the_program_to_refuse(self):
        command = ["bench", "--benchmark_repetitions=five"]
        self.assertEqual(bench_run.launch_commands(command, passes.BENCH), [command])


@unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
class DefaultTest(unittest.TestCase):
    def test_bench_kitchens_own_default_is_the_one_the_driver_splits(self):
        done = subprocess.run([BENCH_BIN, "--help"], capture_output=True, text=True, timeout=60)
        found = re.search(r"--benchmark_repetitions=N[^\n]*\n[^\n]*\(default here: (\d+)\)",
                          done.stdout)
        self.assertIsNotNone(found, done.stdout)
        self.assertEqual(int(found.group(1)), bench_run.BENCH_REPETITIONS)


class RunPassTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.work = os.path.join(self.tmp.name, "work")
        self.out = os.path.join(self.tmp.name, "out")
        os.makedirs(self.work)
        os.makedirs(self.out)
        self.calls = os.path.join(self.tmp.name, "calls")

    def driver(self, fail_at=0):
        fake = os.path.join(self.tmp.name, "bench_kitchen")
        with open(fake, "w", encoding="utf-8") as f:
            f.write(FAKE_BENCH.format(python=sys.executable, calls=self.calls, fail_at=fail_at,
                                      rows=fixture("async_wins.json")))
        os.chmod(fake, 0o755)
        return bench_run.Run(bench_run.parse(["run", "--work", self.work, "--out", self.out,
                                              "--bench", fake]))

    def run_pass(self, run, repetitions):
        p = passes.Pass("demo", passes.BENCH, (f"--benchmark_repetitions={repetitions}",
                                               "--profiles=io"), None, "a demo", "a test")
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            run.run_pass(1, 1, p, [])
        return said.getvalue()

    def launched(self):
        with open(self.calls, encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def test_five_repetitions_are_two_launches_merged_into_the_pass_file(self):
        run = self.driver()
        said = self.run_pass(run, 5)
        calls = self.launched()
        self.assertEqual([repetitions_of(c) for c in calls], [["3"], ["2"]])
        out = os.path.join(self.work, "demo.json")
        self.assertEqual([a for c in calls for a in c if a.startswith("--benchmark_out=")],
                         [f"--benchmark_out={out}",
                          f"--benchmark_out={os.path.join(self.work, 'demo.launch2.json')}"])
        self.assertFalse(os.path.exists(os.path.join(self.work, "demo.launch2.json")))
        # Each launch has its monitor record, named as its repetitions name it.
        for name in ("demo", "demo.launch2"):
            with open(os.path.join(self.work, f"{name}.machine.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f)["name"], name)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        names = list(dict.fromkeys(rounds.run_name(e) for e in doc["benchmarks"]))
        self.assertEqual(len(names), 2)
        for name in names:
            mine = [e for e in doc["benchmarks"] if rounds.run_name(e) == name]
            # The first launch's aggregate is dropped: the loader takes medians from the five.
            self.assertEqual([e["run_type"] for e in mine], ["iteration"] * 5)
            self.assertEqual([e["repetition_index"] for e in mine], [0, 1, 2, 3, 4])
            self.assertEqual([e.get("kitchen_round") for e in mine],
                             [None] * 3 + ["demo.launch2"] * 2)
        # One pass: one start line, one end line; both launches' output in its log.
        self.assertEqual((said.count(": started"), said.count(": done in ")), (1, 1), said)
        # The pass's one file goes on to the rounds and the merge.
        self.assertEqual(run.files, [f"demo={out}"])
        with open(os.path.join(self.work, "logs", "demo.log"), encoding="utf-8") as f:
            heads = [line for line in f if line.startswith("== ")]
        self.assertEqual([re.findall(r"--benchmark_repetitions=(\d)", h) for h in heads],
                         [["3"], ["2"]])
        # The rounds re-run the rows from the whole pass's command, with their repetitions.
        with open(os.path.join(self.work, "demo.argv"), encoding="utf-8") as f:
            argv = json.load(f)
        self.assertEqual(repetitions_of(argv), ["5"])
        (command,) = rounds.rerun(argv, names, 2, os.path.join(self.work, "demo.round1.json"))
        self.assertEqual(repetitions_of(command), ["2"])
        self.assert_measured_by_through_the_merge(out, names)

    def assert_measured_by_through_the_merge(self, out, names):
        records = [os.path.join(self.work, f"{n}.machine.json") for n in ("demo", "demo.launch2")]
        # Whatever the machine did meanwhile: the first launch ran quiet, the second while the
        # machine was busy.
        for path, other in zip(records, (0.0, 0.5)):
            with open(path, encoding="utf-8") as f:
                record = dict(json.load(f), other_share=other, steal_share=0.0, warn_share=0.05)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(record, f)
        merged = os.path.join(self.work, "bench.json")
        merge(merged, [f"demo={out}"], records)
        rows = {r.name: r for r in load([merged]).rows}
        for name in names:
            row = rows[name]
            self.assertEqual(row.measured_by, ("demo",) * 3 + ("demo.launch2",) * 2)
            self.assertEqual(row.disturbed, (False,) * 3 + (True,) * 2)

    def test_the_second_launches_come_after_every_first_launch(self):
        run = self.driver()
        plan = [bench_run.Planned(i, 3, passes.Pass(name, passes.BENCH, (
            f"--benchmark_repetitions={repetitions}", "--profiles=io"), None, "a demo",
            "a test"), [], []) for i, (name, repetitions) in enumerate(
                (("one", 5), ("two", 1), ("three", 5)), 1)]
        for planned in plan:
            planned.command = run.command(planned.p)
            planned.launches = bench_run.launch_commands(planned.command, planned.p.program)
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            run.run_sweeps(plan, [])
        outs = [os.path.basename(a.split("=", 1)[1]) for c in self.launched() for a in c
                if a.startswith("--benchmark_out=")]
        self.assertEqual(outs, ["one.json", "two.json", "three.json", "one.launch2.json",
                                "three.launch2.json"])
        self.assertEqual([repetitions_of(c) for c in self.launched()],
                         [["3"], ["1"], ["3"], ["2"], ["2"]])
        lines = said.getvalue().splitlines()
        # One start line and one end line a pass; a pass of one launch ends in the first sweep.
        self.assertEqual([re.sub(r"^bench.sh: \[\d/3\] (\w+) .*: (started|done).*$", r"\1 \2", x)
                          for x in lines],
                         ["one started", "two started", "two done", "three started", "one done",
                          "three done"], said.getvalue())
        # The passes go on to the rounds and the merge in the run's order.
        self.assertEqual([f.split("=", 1)[0] for f in run.files], ["one", "two", "three"])

    def test_one_repetition_is_one_launch(self):
        self.run_pass(self.driver(), 1)
        self.assertEqual([repetitions_of(c) for c in self.launched()], [["1"]])
        self.assertFalse(os.path.exists(os.path.join(self.work, "demo.launch2.machine.json")))

    def test_a_failed_second_launch_fails_the_pass_naming_the_launch_and_the_log(self):
        run = self.driver(fail_at=2)
        with self.assertRaises(bench_run.Failed) as caught:
            self.run_pass(run, 5)
        log = os.path.join(self.out, "logs.failed", "demo.log")
        self.assertEqual(str(caught.exception),
                         f"pass 'demo' failed in launch 2 of 2 (exit 4); its log: {log}")
        with open(log, encoding="utf-8") as f:
            self.assertIn("a row line from the failing launch", f.read())


if __name__ == "__main__":
    unittest.main()

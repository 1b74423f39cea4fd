"""The rounds' pure parts: the filter that names exactly the rows to measure again, the
commands that give way to the round's flags, and the new repetitions appended to their pass."""

import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts", "lib"))
import rounds  # noqa: E402
from script_runner import fixture  # noqa: E402
from kitchen_report.load import load  # noqa: E402

SUFFIX = "/process_time/real_time"


def entry(name, index, run_type="iteration", dishes=1.0):
    e = {"name": name + SUFFIX, "run_name": name + SUFFIX, "run_type": run_type,
         "repetitions": 2, "dishes_per_s": dishes}
    if run_type == "iteration":
        e["repetition_index"] = index
    else:
        e["aggregate_name"] = "median"
    return e


class FilterTest(unittest.TestCase):
    def test_the_filter_matches_the_rows_and_not_their_longer_namesakes(self):
        rows = ["kitchen/asio_coro/io/chefs:10/customers:100",
                "kitchen/threads_pool/io/chefs:10/customers:100/fail_rate:0.05"]
        pattern = re.compile(rounds.gbench_filter(rows))
        for r in rows:
            self.assertTrue(pattern.match(r + SUFFIX), r)
        self.assertFalse(pattern.match(
            "kitchen/asio_coro/io/chefs:10/customers:100/pantry:unlocked" + SUFFIX))
        self.assertFalse(pattern.match(
            "kitchen/threads_pool/io/chefs:10/customers:100/fail_rate:0x05" + SUFFIX))

    def test_the_pass_flags_that_a_round_sets_are_given_once(self):
        argv = ["bench", "--profiles=io", "--benchmark_repetitions=5",
                "--benchmark_enable_random_interleaving=true", "--benchmark_filter=x"]
        (command,) = rounds.rerun(argv, ["kitchen/a/io/chefs:1/customers:1"], 2, "/tmp/out")
        flags = [a.split("=", 1)[0] for a in command]
        for flag in ("--benchmark_repetitions", "--benchmark_filter",
                     "--benchmark_enable_random_interleaving", "--benchmark_out"):
            self.assertEqual(flags.count(flag), 1, flag)
        self.assertIn("--benchmark_repetitions=2", command)
        self.assertIn("--profiles=io", command)

    def test_a_cpython_pass_is_measured_again_by_point(self):
        argv = ["python3", "scripts/py_kitchen.py", "--profiles=io,cpu", "--repetitions=5"]
        commands = rounds.rerun(argv, ["kitchen/py_threads/io/chefs:10/customers:100",
                                       "kitchen/py_asyncio/io/chefs:10/customers:100"], 2, "/o")
        self.assertEqual(commands, [["python3", "scripts/py_kitchen.py",
                                     "--executors=py_threads,py_asyncio", "--profiles=io",
                                     "--chefs=10", "--customers=100", "--repetitions=2",
                                     "--out=/o.0"]])


class AppendTest(unittest.TestCase):
    def test_new_repetitions_are_numbered_on_and_the_rows_aggregates_dropped(self):
        a, b = "kitchen/a/io/chefs:1/customers:1", "kitchen/b/io/chefs:1/customers:1"
        doc = {"benchmarks": [entry(a, 0), entry(a, 1), entry(a, 0, "aggregate"),
                              entry(b, 0), entry(b, 0, "aggregate")]}
        new = {"benchmarks": [entry(a, 0, dishes=7.0), entry(a, 1, dishes=8.0),
                              entry(a, 0, "aggregate"), entry(b, 0, dishes=9.0)]}
        self.assertEqual(rounds.append_repetitions(doc, new, [a]), 2)
        mine = [e for e in doc["benchmarks"] if e["run_name"].startswith(a)]
        self.assertEqual([e["run_type"] for e in mine], ["iteration"] * 4)
        self.assertEqual([e["repetition_index"] for e in mine], [0, 1, 2, 3])
        self.assertEqual({e["repetitions"] for e in mine}, {4})
        self.assertEqual(rounds.repetitions(doc), {a: 4, b: 1})
        # The row not asked for keeps its aggregate and gains nothing.
        self.assertEqual(len([e for e in doc["benchmarks"] if e["run_name"].startswith(b)]), 2)


class UndecidedTest(unittest.TestCase):
    def test_an_undecided_floor_target_is_measured_again_and_a_missed_one_is_not(self):
        # asio_coro's paired ratios reach across 1.25x; threads_pool's are all 4x (missed);
        # asio_callback's floor row has no pairs, so no target at all.
        found = rounds.undecided(load([fixture("harness_share.json")]))
        floors = [(rows, what) for rows, what in found if rows[0].startswith("floor/")]
        self.assertEqual(floors, [(["floor/asio_coro/chefs:3/customers:10000"],
                                   "asio_coro at most 1.25x its floor: 1.25x (1.23-1.27), n=6")])


class NextRoundTest(unittest.TestCase):
    def test_each_row_once_in_order_and_the_capped_apart(self):
        items = [(["a", "b"], "a vs b"), (["c", "a"], "c vs a"), (["x", "b"], "x vs b")]
        again, capped = rounds.next_round(items, {"a": 5, "b": 15, "c": 3}, 15)
        # x is not counted (no pass measured it): not measured again.
        self.assertEqual((again, capped), (["a", "c"], ["b"]))
        self.assertEqual(rounds.next_round(items, {"a": 15, "b": 15, "c": 15}, 15),
                         ([], ["a", "b", "c"]))
        self.assertEqual(rounds.next_round([], {"a": 5}, 15), ([], []))


class DisturbedRoundTest(unittest.TestCase):
    def test_a_rounds_repetitions_carry_its_record_and_a_busy_one_is_disturbed(self):
        with open(fixture("async_wins.json")) as f:
            doc = json.load(f)
        a = rounds.run_name(doc["benchmarks"][0])
        # One launch's repetitions: the fixture's second launch is left unnamed.
        mine = [{k: v for k, v in e.items() if k != "kitchen_round"} for e in doc["benchmarks"]
                if rounds.run_name(e) == a and e.get("run_type") == "iteration"]
        # The pass's own file names no pass: the rounds give its name (NAME=FILE).
        doc["benchmarks"] = list(mine)
        rounds.append_repetitions(doc, {"benchmarks": mine[:2]}, [a], "io.round1.0")
        self.assertEqual([e.get("kitchen_round") for e in doc["benchmarks"]],
                         [None] * len(mine) + ["io.round1.0"] * 2)
        with tempfile.TemporaryDirectory() as tmp:
            for name, other in (("io", 0.01), ("io.round1.0", 0.3)):
                with open(os.path.join(tmp, f"{name}.machine.json"), "w") as f:
                    json.dump({"name": name, "other_share": other, "steal_share": 0.0,
                               "warn_share": 0.05}, f)
            records = rounds.machine_records(tmp)
            self.assertEqual([r["name"] for r in records], ["io", "io.round1.0"])
            path = os.path.join(tmp, "io.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            (row,) = [r for r in load([path], records=records, pass_names={path: "io"}).rows
                      if r.name == a]
            (quiet,) = [r for r in load([path], records=[]).rows if r.name == a]
            # Merged, each repetition names its pass itself.
            for e in doc["benchmarks"]:
                e["kitchen_pass"] = "io"
            with open(path, "w") as f:
                json.dump(doc, f)
            (merged,) = [r for r in load([path], records=records).rows if r.name == a]
        self.assertEqual(row.measured_by, ("io",) * len(mine) + ("io.round1.0",) * 2)
        self.assertEqual(row.disturbed, (False,) * len(mine) + (True, True))
        self.assertEqual(quiet.disturbed, ())
        self.assertEqual(merged.disturbed, row.disturbed)

if __name__ == "__main__":
    unittest.main()

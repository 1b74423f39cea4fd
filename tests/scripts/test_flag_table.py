"""The CPython kitchen's flags against bench_kitchen's flag table.

bench_kitchen's table (src/cli/flag_table.cpp) is committed as inputs/bench_kitchen_flags.json,
the output of `bench_kitchen --flags-json`; one test keeps that copy equal to the program's,
the other fails when a flag both programs take differs in kind, range or default.
"""

import json
import os
import subprocess
import unittest

from script_runner import BENCH_BIN, INPUTS, NO_BENCH_BIN, have_bench_bin

from cpython_kitchen.main import FLAGS

TABLE = os.path.join(INPUTS, "bench_kitchen_flags.json")
# Where the CPython kitchen differs on purpose: its executors are its own, and it runs all four
# profiles by default (bench_kitchen leaves overhead to its own pass).
OWN_NAMES = {"--executors"}
OWN_DEFAULTS = {"--executors", "--profiles"}


def cpp_table():
    with open(TABLE) as f:
        return {flag["name"]: flag for flag in json.load(f)}


class FlagTableTest(unittest.TestCase):
    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_the_committed_table_is_bench_kitchens(self):
        printed = subprocess.run([BENCH_BIN, "--flags-json"], capture_output=True, text=True,
                                 check=True).stdout
        with open(TABLE) as f:
            self.assertEqual(json.loads(printed), json.load(f),
                             f"bench_kitchen's flags changed: write them again with "
                             f"{BENCH_BIN} --flags-json > {TABLE}")

    def test_shared_flags_take_the_same_kind_range_and_default(self):
        cpp = cpp_table()
        shared = [spec for spec in FLAGS if spec.name in cpp]
        # The flags of a sweep both kitchens run: the test would be empty if the names drifted.
        self.assertGreaterEqual(len(shared), 15, [spec.name for spec in FLAGS])
        for spec in shared:
            theirs = cpp[spec.name]
            with self.subTest(flag=spec.name):
                self.assertEqual(spec.kind, theirs["kind"])
                if "min" in theirs:
                    self.assertEqual((spec.low, spec.high), (theirs["min"], theirs["max"]))
                if "names" in theirs and spec.name not in OWN_NAMES:
                    self.assertEqual(list(spec.names), theirs["names"])
                if spec.name not in OWN_DEFAULTS:
                    self.assertEqual(spec.default, theirs["default"])

    def test_a_flag_only_the_cpython_kitchen_takes_is_one_bench_kitchen_does_not_know(self):
        own = {spec.name for spec in FLAGS} - set(cpp_table())
        self.assertEqual(own, {"--repetitions", "--pantry-server", "--min-time", "--out",
                               "--start-method", "--chunksize", "--series"})


if __name__ == "__main__":
    unittest.main()

"""Unusable input: both scripts print one line on stderr, exit with code 2, never a traceback."""

import os
import tempfile
import unittest

from script_runner import fixture, run

BAD_INPUTS = ("truncated.json", "empty.json", "foreign.json", "all_errors.json",
              "missing_counter.json", "no_such_file.json")


class BadInputTest(unittest.TestCase):
    def assert_one_line_exit_2(self, process, *expected):
        self.assertEqual(process.returncode, 2, process.stderr)
        self.assertNotIn("Traceback", process.stderr)
        lines = process.stderr.splitlines()
        self.assertEqual(len(lines), 1, process.stderr)
        for text in expected:
            self.assertIn(text, lines[0])
        self.assertEqual(process.stdout, "")

    def test_pros_cons(self):
        for name in BAD_INPUTS:
            with self.subTest(name=name):
                self.assert_one_line_exit_2(run("pros_cons.py", fixture(name)), name)

    def test_plot(self):
        # The input is checked before matplotlib is needed: same answer with or without it.
        with tempfile.TemporaryDirectory() as out:
            for name in BAD_INPUTS:
                with self.subTest(name=name):
                    self.assert_one_line_exit_2(run("plot.py", fixture(name), "--out", out), name)
            self.assertEqual(os.listdir(out), [])

    def test_failed_rows_with_strict(self):
        for script, extra in (("pros_cons.py", ()), ("plot.py", ("--out", tempfile.gettempdir()))):
            with self.subTest(script=script):
                self.assert_one_line_exit_2(
                    run(script, fixture("some_errors.json"), "--strict", *extra),
                    "max-threads=2")

    def test_bad_arguments(self):
        self.assert_one_line_exit_2(run("pros_cons.py"), "RESULTS.json")
        self.assert_one_line_exit_2(run("plot.py", fixture("async_wins.json")), "--out")

    def test_unwritable_output(self):
        with tempfile.TemporaryDirectory() as d:
            blocker = os.path.join(d, "a_file")
            open(blocker, "w").close()
            # A directory below a regular file cannot exist, even for root.
            self.assert_one_line_exit_2(
                run("pros_cons.py", fixture("async_wins.json"), "--out",
                    os.path.join(blocker, "table.md")), "cannot write")
            self.assert_one_line_exit_2(
                run("plot.py", fixture("async_wins.json"), "--out",
                    os.path.join(blocker, "charts")),
                "charts")


if __name__ == "__main__":
    unittest.main()

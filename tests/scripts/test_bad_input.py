"""Unusable input: every script prints one line on stderr, exits with 2, never a traceback, and
writes nothing."""

import os
import tempfile
import unittest

from script_runner import fixture, run

BAD_INPUTS = ("truncated.json", "empty.json", "foreign.json", "all_errors.json",
              "missing_counter.json", "no_such_file.json", "bad_counter.json",
              "no_catalogue.json", "unknown_executor.json")


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

    def test_compare(self):
        for name in BAD_INPUTS:
            with self.subTest(name=name):
                self.assert_one_line_exit_2(
                    run("compare.py", fixture("compare_base.json"), fixture(name)), name)

    def test_a_string_counter_names_the_row_and_the_counter(self):
        self.assert_one_line_exit_2(
            run("pros_cons.py", fixture("bad_counter.json")),
            "row 'kitchen/asio_coro/io/chefs:1/customers:4'", "counter 'os_threads' is \"1\"",
            "expected a number")

    def test_no_catalogue_says_what_is_expected(self):
        self.assert_one_line_exit_2(run("pros_cons.py", fixture("no_catalogue.json")),
                                    "no 'kitchen_catalogue'")
        self.assert_one_line_exit_2(run("pros_cons.py", fixture("unknown_executor.json")),
                                    "executor 'asio_unknown'", "expected one of")

    def test_failed_rows_with_strict(self):
        for script, extra in (("pros_cons.py", ()), ("plot.py", ("--out", tempfile.gettempdir()))):
            with self.subTest(script=script):
                self.assert_one_line_exit_2(
                    run(script, fixture("some_errors.json"), "--strict", *extra),
                    "max-threads=2")

    def test_bad_arguments(self):
        self.assert_one_line_exit_2(run("pros_cons.py"), "RESULTS.json")
        self.assert_one_line_exit_2(run("plot.py", fixture("async_wins.json")), "--out")
        self.assert_one_line_exit_2(run("compare.py", fixture("async_wins.json")), "NEW.json")
        self.assert_one_line_exit_2(run("merge_results.py", "out.json", "no-equals-sign"),
                                    "NAME=IN.json")

    def test_merge_refuses_a_pass_or_a_file_given_twice(self):
        given = fixture("async_wins.json")
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "bench.json")
            self.assert_one_line_exit_2(
                run("merge_results.py", out, f"kitchen={given}", f"kitchen={given}"),
                "pass 'kitchen' is given twice", "expected each pass once")
            self.assert_one_line_exit_2(
                run("merge_results.py", out, f"kitchen={fixture('threads_win.json')}",
                    f"kitchen={given}"), "pass 'kitchen' is given twice")
            # The same file under two names, however it is spelt.
            same = os.path.join(os.path.dirname(given), ".", os.path.basename(given))
            self.assert_one_line_exit_2(run("merge_results.py", out, f"a={given}", f"b={same}"),
                                        "is given twice (also as pass 'a')",
                                        "expected each file once")
            self.assertEqual(os.listdir(d), [])

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
                    os.path.join(blocker, "charts")), "charts")
            self.assertEqual(os.listdir(d), ["a_file"])


if __name__ == "__main__":
    unittest.main()

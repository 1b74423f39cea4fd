"""The charts: every family present is drawn, absent ones are skipped with a note, and the
same input gives the same SVG bytes."""

import os
import subprocess
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, SCRIPTS, fixture, run

EVERY_CHART = ("throughput", "latency", "efficiency_io", "efficiency_cpu", "cpu_speedup",
               "memory", "spawn_switch", "timer")


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class PlotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.first = os.path.join(cls.tmp.name, "first")
        cls.process = run("plot.py", fixture("async_wins.json"), fixture("cpython.json"),
                          "--out", cls.first)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_chart_in_png_and_svg(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        made = sorted(os.listdir(self.first))
        self.assertEqual(made, sorted(f"{c}.{ext}" for c in EVERY_CHART for ext in ("png", "svg")))
        for name in made:
            self.assertGreater(os.path.getsize(os.path.join(self.first, name)), 1000, name)

    def test_missing_families_are_skipped_and_failed_rows_listed(self):
        self.assertIn("skipped overhead:", self.process.stdout)
        self.assertIn("not measured in this run", self.process.stdout)
        self.assertIn("memory/thread/tasks:100000: thread creation stopped", self.process.stdout)

    def test_same_input_same_svg_bytes(self):
        second = os.path.join(self.tmp.name, "second")
        again = run("plot.py", fixture("async_wins.json"), fixture("cpython.json"), "--out", second)
        self.assertEqual(again.returncode, 0, again.stderr)
        for chart in EVERY_CHART:
            with self.subTest(chart=chart):
                with open(os.path.join(self.first, chart + ".svg"), "rb") as a, \
                        open(os.path.join(second, chart + ".svg"), "rb") as b:
                    self.assertEqual(a.read(), b.read())

    def test_svg_carries_no_date_and_keeps_text(self):
        with open(os.path.join(self.first, "throughput.svg"), encoding="utf-8") as f:
            svg = f.read()
        self.assertNotIn("<dc:date>", svg)
        self.assertIn("Throughput vs chefs", svg)  # text stays text (svg.fonttype none)
        self.assertIn("fixture, 2 CPUs @ 2000 MHz", svg)  # the machine footnote

    def test_only_what_is_there(self):
        with tempfile.TemporaryDirectory() as out:
            process = run("plot.py", fixture("io_depends.json"), "--out", out)
            self.assertEqual(process.returncode, 0, process.stderr)
            self.assertEqual(sorted(os.listdir(out)),
                             sorted(f"{c}.{e}" for c in ("throughput", "latency", "efficiency_io")
                                    for e in ("png", "svg")))
            for chart in ("cpu_speedup", "overhead", "memory", "spawn_switch", "timer"):
                self.assertIn(f"skipped {chart}:", process.stdout)


class FindPythonTest(unittest.TestCase):
    script = os.path.join(SCRIPTS, "find_python.sh")

    def test_finds_an_interpreter_with_matplotlib(self):
        found = subprocess.run(["sh", self.script], capture_output=True, text=True)
        if found.returncode == 1:
            self.skipTest("no interpreter on this machine has matplotlib: " + found.stderr.strip())
        self.assertEqual(found.returncode, 0, found.stderr)
        subprocess.run([found.stdout.strip(), "-c", "import matplotlib"], check=True)

    def test_says_what_to_install_when_none_has_it(self):
        with tempfile.TemporaryDirectory() as d:
            # A copy whose fixed candidate cannot exist, on a PATH whose python3 always fails.
            with open(self.script) as f:
                text = f.read().replace("/usr/bin/python3", os.path.join(d, "missing"))
            copy = os.path.join(d, "find_python.sh")
            with open(copy, "w") as f:
                f.write(text)
            fake = os.path.join(d, "python3")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nexit 1\n")
            os.chmod(fake, 0o755)
            env = {"PATH": d, "KITCHEN_PYTHON": fake}  # the script needs shell builtins only
            process = subprocess.run(["/bin/sh", copy], capture_output=True, text=True, env=env)
        self.assertEqual(process.returncode, 1)
        self.assertEqual(process.stdout, "")
        self.assertEqual(process.stderr,
                         "install python3-matplotlib (apt-get install python3-matplotlib)\n")


if __name__ == "__main__":
    unittest.main()

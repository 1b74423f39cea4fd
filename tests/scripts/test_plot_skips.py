"""The charts of a results file that has only some of the rows (what plot.py skips, and says so),
and find_python.sh. Apart from test_plot.py, whose renders take most of its time, so that ctest
runs the two side by side."""

import os
import subprocess
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, SCRIPTS, fixture, run


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class SkippedChartsTest(unittest.TestCase):
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

"""The README shows the verdicts of the committed reference run, copied by script, not typed."""
import glob
import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "readme_reference.py")


class ReadmeReference(unittest.TestCase):
    def test_the_readme_shows_the_committed_verdicts(self):
        runs = sorted(glob.glob(os.path.join(REPO, "results", "reference", "*", "pros_cons.md")))
        self.assertTrue(runs, "no committed reference run")
        newest = os.path.dirname(runs[-1])
        done = subprocess.run([sys.executable, SCRIPT, newest, "--check"],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == "__main__":
    unittest.main()

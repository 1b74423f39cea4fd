"""The README shows the verdicts of the committed reference run, copied by script, not typed."""
import glob
import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "scripts", "readme_reference.py")


def measured_at(run: str) -> str:
    """machine.md's "- date (UTC): YYYY-MM-DD HH:MM", which sorts as text."""
    with open(os.path.join(run, "machine.md"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("- date (UTC): "):
                return line.split(": ", 1)[1].strip()
    raise AssertionError(f"{run}/machine.md gives no date (UTC)")


class ReadmeReference(unittest.TestCase):
    def test_the_readme_shows_the_committed_verdicts(self):
        runs = [os.path.dirname(p) for p in
                glob.glob(os.path.join(REPO, "results", "reference", "*", "pros_cons.md"))]
        self.assertTrue(runs, "no committed reference run")
        # The newest by when it was measured (machine.md's date), not by folder name: two
        # machines' runs of one day sort by their CPU's name.
        newest = max(runs, key=measured_at)
        done = subprocess.run([sys.executable, SCRIPT, newest, "--check"],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == "__main__":
    unittest.main()

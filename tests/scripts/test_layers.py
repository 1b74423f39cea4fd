"""What each module of the report package pulls in: the report's text needs no matplotlib, and
the I/O row's two modules import their shared rule, not each other."""

import ast
import os
import subprocess
import sys
import unittest

from script_runner import SCRIPTS


def imported_after(module: str) -> set:
    """The modules a fresh interpreter holds once `module` is imported."""
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=dict(os.environ, PYTHONPATH=SCRIPTS))
    return set(done.stdout.split())


class LayersTest(unittest.TestCase):
    def test_the_report_text_is_written_without_matplotlib(self):
        found = imported_after("kitchen_report.report")
        self.assertNotIn("matplotlib", found)
        self.assertNotIn("kitchen_report.charts.cpu", found)

    def test_the_io_rows_modules_do_not_import_each_other(self):
        # io.py (timer rows) calls io_net.py (net rows); both read io_rule.py, and io_net.py
        # imports nothing of io.py, anywhere in it.
        path = os.path.join(SCRIPTS, "kitchen_report", "table", "io_net.py")
        with open(path) as f:
            tree = ast.parse(f.read())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported.add(node.module or "")
                if not node.module:
                    imported.update(alias.name for alias in node.names)
        self.assertIn("io_rule", imported)
        self.assertNotIn("io", imported)

if __name__ == "__main__":
    unittest.main()

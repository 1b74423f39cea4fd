"""What each module of the report package pulls in: the report's text needs no matplotlib, and
the I/O row's two modules import their shared rule, not each other; and no two modules of the
scripts' packages import each other, at the top or inside a function."""

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


def _modules() -> dict:
    """Every module of the packages under scripts/: dotted name -> path."""
    found = {}
    for root, _, files in os.walk(SCRIPTS):
        if "__init__.py" not in files:
            continue
        package = os.path.relpath(root, SCRIPTS).replace(os.sep, ".")
        for f in files:
            if f.endswith(".py"):
                name = package if f == "__init__.py" else f"{package}.{f[:-3]}"
                found[name] = os.path.join(root, f)
    return found


def _imports(name: str, path: str, modules: dict) -> set:
    """The modules of `modules` that the module imports anywhere in its text."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    with open(path) as f:
        tree = ast.parse(f.read())
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets.add(stem)
            targets.update(f"{stem}.{alias.name}" for alias in node.names)
    return {t for t in targets if t in modules and t != name and t != package}


class NoCirclesTest(unittest.TestCase):
    def test_no_two_modules_import_each_other(self):
        modules = _modules()
        self.assertIn("kitchen_advise.main", modules)
        graph = {name: _imports(name, path, modules) for name, path in modules.items()}
        self.assertIn("kitchen_advise.session", graph["kitchen_advise.main"])
        circles = sorted((a, b) for a, found in graph.items() for b in found
                         if a < b and a in graph.get(b, ()))
        self.assertEqual(circles, [])


if __name__ == "__main__":
    unittest.main()

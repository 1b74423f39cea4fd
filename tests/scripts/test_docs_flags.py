"""docs/flags.md against the programs: every flag bench_kitchen --flags-json prints, every flag of
py_kitchen.py's table and of kitchen advise's usage is documented there with the same default,
and the tables are what scripts/docs_flags.py writes."""

import json
import os
import re
import subprocess
import sys
import unittest

from script_runner import BENCH_BIN, NO_BENCH_BIN, have_bench_bin

import docs_flags
from cpython_kitchen.main import FLAGS as PY_FLAGS
from kitchen_advise.flags import USAGE

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(REPO, "docs", "flags.md")
_ROW = re.compile(r"^\| `(--[a-z0-9-]+)` \| (.*?) \| (.*?) \| (.*) \|$")


def documented(program: str) -> dict:
    """{flag: its default cell} of one program's table in docs/flags.md."""
    with open(DOCS, encoding="utf-8") as f:
        doc = f.read()
    begin, end = docs_flags.markers(program)
    part = doc[doc.index(begin):doc.index(end)]
    rows = {}
    for line in part.splitlines():
        m = _ROW.match(line)
        if m:
            rows[m.group(1)] = m.group(3)
    return rows


def shown(default: str) -> str:
    return f"`{default}`" if default else ""


class DocsFlagsTest(unittest.TestCase):
    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_every_flag_bench_kitchen_prints_is_documented_with_its_default(self):
        printed = json.loads(subprocess.run([BENCH_BIN, "--flags-json"], capture_output=True,
                                            text=True, check=True).stdout)
        docs = documented("bench_kitchen")
        self.assertGreaterEqual(len(printed), 20)
        for flag in printed:
            with self.subTest(flag=flag["name"]):
                self.assertIn(flag["name"], docs, "run scripts/docs_flags.py --write")
                if flag["default"]:
                    self.assertEqual(docs[flag["name"]], shown(flag["default"]))
                else:
                    self.assertFalse(docs[flag["name"]].startswith("`"), docs[flag["name"]])

    def test_every_flag_of_py_kitchen_is_documented_with_its_default(self):
        docs = documented("py_kitchen")
        self.assertEqual(set(docs), {spec.name for spec in PY_FLAGS})
        for spec in PY_FLAGS:
            with self.subTest(flag=spec.name):
                if spec.default:
                    self.assertEqual(docs[spec.name], shown(spec.default))

    def test_every_flag_kitchen_advise_prints_is_documented_with_its_default(self):
        printed = docs_flags.help_entries(USAGE)
        docs = documented("advise")
        self.assertGreaterEqual(len(printed), 10)
        self.assertEqual(set(docs), set(printed))
        for name, what in printed.items():
            with self.subTest(flag=name):
                default = docs_flags.advise_default(what)
                self.assertEqual(docs[name], default or "none")
        # Defaults a reader must find, each worded differently in the usage.
        self.assertEqual((docs["--budget-s"], docs["--io"], docs["--set"]),
                         ("60", "timer", "grid"))

    def test_a_changed_default_or_a_missing_flag_is_found(self):
        spec = PY_FLAGS[0]._replace(default="somewhere_else")
        self.assertIn("`somewhere_else`", docs_flags.py_rows([spec])[0])
        with open(DOCS, encoding="utf-8") as f:
            doc = f.read()
        stale = docs_flags.updated(doc, "py_kitchen", docs_flags.py_rows(PY_FLAGS[1:]))
        self.assertNotEqual(stale, doc)
        self.assertNotIn(f"| `{PY_FLAGS[0].name}` |", stale.split(
            docs_flags.markers("py_kitchen")[0])[1].split(docs_flags.markers("py_kitchen")[1])[0])

    def test_the_help_parser_joins_continued_lines(self):
        entries = docs_flags.help_entries(
            "usage: x\n  --a=N              first line\n                     and more\n"
            "  --b                a switch\nExecutors:\n  name   not a flag\n")
        self.assertEqual(entries, {"--a": "first line and more", "--b": "a switch"})

    @unittest.skipUnless(have_bench_bin(), NO_BENCH_BIN)
    def test_the_tables_are_what_the_script_writes(self):
        done = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "docs_flags.py"),
                               "--check", "--bench", BENCH_BIN], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_a_bad_argument_is_one_line_and_exit_2(self):
        done = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "docs_flags.py"),
                               "--nope"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1, done.stderr)


if __name__ == "__main__":
    unittest.main()

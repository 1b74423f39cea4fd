#!/usr/bin/env python3
"""Write docs/flags.md's flag tables from the programs themselves, or check that they are there.

usage: docs_flags.py [--write | --check] [--bench BENCH_KITCHEN] [--docs docs/flags.md]

Each table sits between two markers of docs/flags.md and is made from one program's own flag
table, never typed: bench_kitchen's from `bench_kitchen --flags-json` (kind, range, default) and
its --help (what each flag does; `kitchen --help` for the flags only the kitchen program takes),
py_kitchen.py's from cpython_kitchen.main.FLAGS, kitchen advise's from kitchen_advise.flags.USAGE.
--check exits 1 when docs/flags.md differs from what --write would write. The bench_kitchen
used is --bench, else $KITCHEN_BENCH_BIN, else build/release/bin/bench_kitchen.
"""

import json
import os
import re
import subprocess
import sys
from typing import Dict, List, Optional, Sequence, Tuple

# Set before the packages are imported, so that no __pycache__ is left in scripts/.
sys.dont_write_bytecode = True

from cpython_kitchen import flags as py_flags  # noqa: E402
from cpython_kitchen.main import FLAGS as PY_FLAGS  # noqa: E402
from kitchen_advise.flags import USAGE as ADVISE_USAGE  # noqa: E402
from kitchen_report.atomic import write_text  # noqa: E402

PROG = "docs_flags.py"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(REPO, "docs", "flags.md")
PROGRAMS = ("bench_kitchen", "py_kitchen", "advise")
HEADER = ["| flag | accepts | default | what it does |", "|---|---|---|---|"]

# A --help entry: two spaces, the flag (and =METAVAR), then its text; continuation lines are
# indented further (six spaces or more; an entry two).
_ENTRY = re.compile(r"^  (--[a-z][a-z0-9-]*)(?:=\S+)?(?:\s+(.*))?$")
_MORE = re.compile(r"^\s{6,}(\S.*)$")


def markers(program: str) -> Tuple[str, str]:
    return (f"<!-- flags:{program}:begin (scripts/docs_flags.py writes this part) -->",
            f"<!-- flags:{program}:end -->")


def help_entries(text: str) -> Dict[str, str]:
    """{flag: its help text, on one line} of a --help or usage text."""
    found: Dict[str, str] = {}
    current: Optional[str] = None
    for line in text.splitlines():
        entry = _ENTRY.match(line)
        if entry:
            current = entry.group(1)
            found[current] = (entry.group(2) or "").strip()
            continue
        more = _MORE.match(line)
        if more and current:
            found[current] = (found[current] + " " + more.group(1)).strip()
        else:
            current = None
    return found


def _cell(text: str) -> str:
    # A | inside a cell ends it, even in a code span, unless escaped.
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else "none"


def _without_notes(help_text: str, accepts: str) -> Tuple[str, str]:
    """A help text without the trailing '(RANGE; default: X)' that --help adds, and X."""
    patterns = [r" \(default: (.*)\)$"]
    if accepts:
        patterns = [r" \(" + re.escape(accepts) + r"; default: (.*)\)$",
                    r" \(" + re.escape(accepts) + r"\)()$"] + patterns
    for pattern in patterns:
        m = re.search(pattern, help_text)
        if m:
            return help_text[:m.start()], m.group(1)
    return help_text, ""


def _spec(flag: dict) -> py_flags.Spec:
    """A flag of --flags-json as the CPython kitchen's spec, so that one function words ranges."""
    return py_flags.Spec(flag["name"], flag["kind"], flag.get("min", 0), flag.get("max", 0),
                         tuple(flag.get("names", ())), flag.get("default", ""))


def _row(name: str, accepts: str, default: str, note: str, what: str) -> str:
    shown = _code(default) if default else (_cell(note) if note else "none")
    return f"| `{name}` | {_cell(accepts) or '-'} | {shown} | {_cell(what)} |"


def bench_rows(table: Sequence[dict], bench_help: str, kitchen_help: str) -> List[str]:
    """Every flag of bench_kitchen's table, then the flags its --help prints beyond it in the
    suite's part (from its first flag on; Google Benchmark's own flags come before)."""
    first = bench_help.find("\n  " + table[0]["name"]) if table else -1
    own = help_entries(bench_help[first:] if first >= 0 else bench_help)
    kitchen = help_entries(kitchen_help)
    rows = []
    for flag in table:
        name = flag["name"]
        accepts = py_flags._range_text(_spec(flag))
        if name in own:
            what = own[name]
        elif name in kitchen:
            what = kitchen[name] + " (the `kitchen` program's flag)"
        else:
            what = ""
        what, note = _without_notes(what, accepts)
        rows.append(_row(name, accepts, flag.get("default", ""), note, what))
    listed = {flag["name"] for flag in table}
    for name, what in own.items():
        if name not in listed:
            rows.append(_row(name, "", "", "", what))
    return rows


def py_rows(specs: Sequence[py_flags.Spec] = PY_FLAGS) -> List[str]:
    return [_row(s.name, py_flags._range_text(s), s.default, s.default_note, s.help)
            for s in specs]


def advise_default(what: str) -> str:
    """The default an advise flag's help names: '(default 60; ...)', '(default: X, ...)', or the
    value just before '(default)' or '(..., the default)'."""
    for pattern in (r"\(default:? ([^;),]+)", r"(\w+) \(default\)",
                    r"(\w+) \([^()]*, the default\)"):
        m = re.search(pattern, what)
        if m:
            return m.group(1).strip()
    return ""


def advise_rows(usage: str = ADVISE_USAGE) -> List[str]:
    return [_row(name, "", "", advise_default(what), what)
            for name, what in help_entries(usage).items()]


def bench_binary(given: Optional[str] = None) -> str:
    return given or os.environ.get("KITCHEN_BENCH_BIN") or os.path.join(
        REPO, "build", "release", "bin", "bench_kitchen")


def bench_inputs(binary: str) -> Tuple[list, str, str]:
    """bench_kitchen's --flags-json and --help, and the kitchen program's --help beside it."""
    def out(cmd: List[str]) -> str:
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise ValueError(f"{' '.join(cmd)} exited {done.returncode}: "
                             f"{done.stderr.strip()[:200]}")
        return done.stdout + done.stderr
    if not os.access(binary, os.X_OK):
        raise ValueError(f"{binary}: no bench_kitchen there; build it (cmake --build --preset "
                         "release) or give --bench or KITCHEN_BENCH_BIN")
    table = json.loads(out([binary, "--flags-json"]))
    kitchen = os.path.join(os.path.dirname(binary), "kitchen")
    kitchen_help = out([kitchen, "--help"]) if os.access(kitchen, os.X_OK) else ""
    return table, out([binary, "--help"]), kitchen_help


def tables(binary: str) -> Dict[str, str]:
    table, bench_help, kitchen_help = bench_inputs(binary)
    return {"bench_kitchen": bench_rows(table, bench_help, kitchen_help),
            "py_kitchen": py_rows(), "advise": advise_rows()}


def updated(doc: str, program: str, rows: List[str]) -> str:
    begin, end = markers(program)
    start, stop = doc.find(begin), doc.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"no {begin} ... {end} section")
    return doc[:start + len(begin)] + "\n" + "\n".join(HEADER + rows) + "\n" + doc[stop:]


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    usage = "usage: docs_flags.py [--write | --check] [--bench BENCH_KITCHEN] [--docs FILE]"
    mode, bench, docs, rest = "--check", None, DOCS, list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in ("--write", "--check"):
            mode = arg
        elif arg in ("--bench", "--docs") and rest:
            value = rest.pop(0)
            bench, docs = (value, docs) if arg == "--bench" else (bench, value)
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            print(f"{PROG}: unexpected argument '{arg}'; {usage}", file=sys.stderr)
            return 2
    try:
        made = tables(bench_binary(bench))
        with open(docs, encoding="utf-8") as f:
            doc = f.read()
        new = doc
        for program in PROGRAMS:
            new = updated(new, program, made[program])
    except (OSError, ValueError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2
    if mode == "--check":
        if new != doc:
            print(f"{PROG}: {docs}'s flag tables are not the programs' flags; run "
                  "scripts/docs_flags.py --write", file=sys.stderr)
            return 1
        return 0
    write_text(docs, new)
    return 0


if __name__ == "__main__":
    sys.exit(main())

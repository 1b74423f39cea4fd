#!/usr/bin/env python3
"""Copy the verdicts of a committed reference run into README.md, or check that they are there.

The README shows the table's verdicts from results/reference/<run>/pros_cons.md between the
markers below. They are copied by this script, never typed, and a test runs it with --check so
that the README cannot drift from the committed results.

usage: readme_reference.py REFERENCE_DIR [--readme README.md] [--check]
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from atomic_files import write_text  # noqa: E402

BEGIN = "<!-- reference-verdicts:begin (scripts/readme_reference.py writes this part) -->"
END = "<!-- reference-verdicts:end -->"


def verdict_table(pros_cons: str) -> str:
    """Feature, claim and verdict of each row of a pros_cons.md table, as a Markdown table."""
    lines = ["| Feature | Claim: async / threads | Verdict on that machine |", "|---|---|---|"]
    for line in pros_cons.splitlines():
        if not line.startswith("| ") or line.startswith("| Feature"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 5:
            lines.append(f"| {cells[0]} | {cells[1]} | {cells[4]} |")
    if len(lines) == 2:
        raise ValueError("no table rows found")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference")
    parser.add_argument("--readme", default=os.path.join(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))), "README.md"))
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args()
    try:
        with open(os.path.join(args.reference, "pros_cons.md"), encoding="utf-8") as f:
            table = verdict_table(f.read())
        with open(args.readme, encoding="utf-8") as f:
            readme = f.read()
    except (OSError, ValueError) as e:
        print(f"readme_reference.py: {e}", file=sys.stderr)
        return 2
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        print(f"readme_reference.py: {args.readme} has no {BEGIN} ... {END} section",
              file=sys.stderr)
        return 2
    updated = readme[:start + len(BEGIN)] + "\n" + table + "\n" + readme[end:]
    if args.check:
        if updated != readme:
            print(f"readme_reference.py: {args.readme} does not show the verdicts of "
                  f"{args.reference}; run scripts/readme_reference.py {args.reference}",
                  file=sys.stderr)
            return 1
        return 0
    write_text(args.readme, updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())

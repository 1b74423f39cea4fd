"""The README shows the verdicts of the newest committed reference run, copied by script."""

import re

BEGIN = "<!-- reference-verdicts:begin (scripts/readme_reference.py writes this part) -->"
END = "<!-- reference-verdicts:end -->"
# kitchen advise's accuracy on the reference run's held-out and grid workloads.
ACCURACY_BEGIN = ("<!-- reference-accuracy:begin (scripts/readme_reference.py writes this "
                  "part) -->")
ACCURACY_END = "<!-- reference-accuracy:end -->"

_LINK = re.compile(r"^\[([^\]]+)\]\(#[^)]*\)$")


def verdict_table(pros_cons: str) -> str:
    """Feature, claim and verdict of each row of a pros_cons.md table (the four-column table, or
    the five-column one of references written before it), as a Markdown table."""
    lines = ["| Feature | Claim: async / threads | Verdict on that machine |", "|---|---|---|"]
    for line in pros_cons.splitlines():
        if not line.startswith("| ") or line.startswith("| Feature"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) in (4, 5):
            feature = _LINK.sub(r"\1", cells[0])
            lines.append(f"| {feature} | {cells[1]} | {cells[-1]} |")
        if len(lines) == 9:
            break  # the seven rows of the first table; evidence tables follow
    if len(lines) == 2:
        raise ValueError("no table rows found")
    return "\n".join(lines)


def updated(readme: str, text: str, begin: str = BEGIN, end: str = END) -> str:
    """The README with `text` between the markers `begin` and `end`."""
    start, stop = readme.find(begin), readme.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"no {begin} ... {end} section")
    return readme[:start + len(begin)] + "\n" + text + "\n" + readme[stop:]

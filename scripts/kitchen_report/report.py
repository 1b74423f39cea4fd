"""REPORT.md: one H1, then a summary of at most SUMMARY_LINES lines (the seven-row table, the
interference warnings, the charts that answer the most, a link to the evidence in pros_cons.md
and the contents), then where the numbers come from (once), how to read the table, the fibers
section, the charts grouped by the question they answer with one sentence of figures under each,
the failed rows and why, and the evidence behind each verdict."""

import os
import re
from typing import List

from .captions import caption
from .charts_index import GROUPS
from .load import Results
from . import crossover
from . import openloop
from . import harness
from . import interference
from .provenance import provenance
from .speedup import above_ideal
from .table.fibers import TITLE as FIBERS_TITLE

# Known causes of failed rows, and what a reader should make of them.
_CAUSES = (
    ("pid_max", "expected on a stock kernel: pid_max (32768 by default) caps the threads a "
                "process can start below what one thread per order needs here; the other "
                "executors ran this point"),
    ("--max-threads", "refused by the thread allowance given with --max-threads"),
    ("threads-max", "the kernel's threads-max caps the threads this row needs"),
    ("max_map_count", "vm.max_map_count caps the thread stacks this row needs"),
    ("RLIMIT_NPROC", "the user's process limit (ulimit -u) caps the threads this row needs"),
)


def failed_rows(results: Results) -> List[str]:
    lines = []
    for e in results.errors:
        cause = next((why for key, why in _CAUSES if key in e.message), "see the message")
        lines.append(f"- `{e.name}`: {e.message}. *{cause[0].upper() + cause[1:]}.*")
    return lines


def _demote(text: str) -> str:
    return re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.M)


ADVISE_ACCURACY = "advise_accuracy.json"


def advise_section(results: Results, charts_dir: str, here: str) -> List[str]:
    """The sizing model's accuracy (kitchen advise accuracy), when the results folder holds
    its JSON beside bench.json (bench.sh --advise-accuracy)."""
    if not results.contexts:
        return []
    path = os.path.join(os.path.dirname(os.path.abspath(results.contexts[0][0])),
                        ADVISE_ACCURACY)
    if not os.path.exists(path):
        return []
    import json
    from kitchen_advise.accuracy import lines as accuracy_lines, poor
    with open(path) as f:
        doc = json.load(f)
    out = ["## How well the sizing model predicts (kitchen advise)", ""]
    png = os.path.join(charts_dir, "advise_accuracy.png")
    if os.path.exists(png):
        out += [f"![Predicted against measured]({os.path.relpath(png, here)})", ""]
    out += accuracy_lines(doc) + ["", "Where the model is poor (off by more than a factor of 2):",
                                  ""] + poor(doc) + [""]
    return out


# The summary fits in the first lines a reader sees; the warnings past MAX_WARNINGS are counted
# and left to the section that lists every pass.
SUMMARY_LINES = 60
MAX_WARNINGS = 8
# The charts that answer the most: the I/O row, the CPU row and the memory row.
SUMMARY_CHARTS = ("throughput", "cpu_speedup", "memory")
PROVENANCE = "Where these numbers come from"
READING = "How to read the table"
EVIDENCE = "Evidence behind each verdict"


def _anchor(title: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def summary(results: Results, table_lines: List[str], charts_dir: str, here: str,
            evidence_link: str, sections: List[str]) -> List[str]:
    """The table, the warnings, the charts that answer the most, where the evidence is, and
    the contents: at most SUMMARY_LINES lines with the H1."""
    out = ["## Summary", ""] + table_lines + [""]
    out += [f"Every figure, cell and rule behind these words: [pros_cons.md]({evidence_link}), "
            f"and [below](#{_anchor(EVIDENCE)}).", ""]
    warned = interference.warnings(results)
    if warned:
        out += ["**Warning: interference.** Another process or the hypervisor took part of the "
                "machine while these passes measured:", ""]
        out += [f"- {w}" for w in warned[:MAX_WARNINGS]]
        if len(warned) > MAX_WARNINGS:
            out += [f"- and {len(warned) - MAX_WARNINGS} more passes: see "
                    f"[{PROVENANCE}](#{_anchor(PROVENANCE)})"]
        out += [""]
    titles = {stem: title for _, charts in GROUPS for stem, title in charts}
    for stem in SUMMARY_CHARTS:
        png = os.path.join(charts_dir, stem + ".png")
        if os.path.exists(png):
            out += [f"![{titles[stem]}]({os.path.relpath(png, here)})", ""]
    out += ["Contents:", ""] + [f"- [{t}](#{_anchor(t)})" for t in sections] + [""]
    return out


def document(results: Results, table_md: str, charts_dir: str, out_path: str,
             table_path: str = "") -> str:
    """REPORT.md's text; table_path is where pros_cons.md is (default: beside the report)."""
    # pros_cons.md: H1, the "Measured on" line, the table and legend, then "## " evidence.
    body = table_md.split("\n", 1)[1] if table_md.startswith("# ") else table_md
    head, _, rest = body.partition("\n## ")
    head = "\n".join(line for line in head.splitlines()
                     if not line.startswith("Measured on ")).strip()
    evidence = ("## " + rest) if rest else ""
    evidence = evidence.split("\n## Rows that failed", 1)[0]
    # The fibers section (its table and its evidence) follows the table, not the evidence.
    fibers_md = ""
    if evidence.startswith(f"## {FIBERS_TITLE}\n"):
        fibers_md, _, rest = evidence.partition("\n## ")
        evidence = ("## " + rest) if rest else ""
    here = os.path.dirname(os.path.abspath(out_path))
    # The table's rows go to the summary; its legend and point rules to their own section.
    table_lines = [line for line in head.splitlines() if line.startswith("|")]
    legend = "\n".join(line for line in head.splitlines()
                       if not line.startswith("|")).strip()
    lines = ["## " + PROVENANCE, ""]
    lines += provenance(results) + [""] + interference.table(results)
    if legend:
        lines += ["", "## " + READING, "", legend, ""]
    if fibers_md:
        lines += [fibers_md.strip(), ""]
    for question, charts in GROUPS:
        shown = []
        for stem, title in charts:
            png = os.path.join(charts_dir, stem + ".png")
            if os.path.exists(png):
                rel = os.path.relpath(png, here)
                shown += [f"### {title}", "", f"![{title}]({rel})", ""]
                shown += caption(results, stem) + [""]
                if stem == "latency_vs_load" and openloop.all_suspects(results):
                    shown += ["Hollow markers: rows whose arrival schedule handed orders over "
                              "later (p99) than a tenth of a dish (arrival_lag_suspect):", ""]
                    shown += openloop.suspect_lines(openloop.all_suspects(results)) + [""]
                if stem == "cpu_speedup":
                    shown += [" ".join(above_ideal(results))] if above_ideal(results) else []
                    shown += [""]
                if stem == "processes_crossover":
                    shown += crossover.lines(results)
        # The sustainable-throughput table closes the open-loop group, drawn or not.
        if any(stem == "latency_vs_load" for stem, _ in charts) and openloop.rows(results):
            drawn = os.path.exists(os.path.join(charts_dir, "latency_vs_load.png"))
            shown += ["### Sustainable throughput", ""]
            shown += openloop.table_lines(results, list_suspects=not drawn) + [""]
        if shown:
            lines += [f"## {question}", ""] + shown
    if harness.lines(results):
        lines += ["## What the harness costs each executor", ""] + harness.lines(results) + [""]
    lines += advise_section(results, charts_dir, here)
    if results.errors:
        lines += ["## Rows that failed", "", f"{len(results.errors)} row(s) failed; they are "
                  "listed, never plotted or judged.", ""] + failed_rows(results) + [""]
    if evidence:
        lines += ["## " + EVIDENCE, "", _demote(evidence).strip(), ""]
    # An element of lines may hold several lines (the fibers section, the evidence).
    sections = [line[3:] for line in "\n".join(lines).splitlines() if line.startswith("## ")]
    link = os.path.relpath(table_path, here) if table_path else "pros_cons.md"
    top = ["# kitchen bench report", ""]
    top += summary(results, table_lines, charts_dir, here, link, sections)
    return "\n".join(top + lines).rstrip() + "\n"

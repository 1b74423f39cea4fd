"""REPORT.md opens with the answer: within its first 60 lines the seven rows with their verdict
words, the interference warnings, and a link to the evidence (pros_cons.md)."""

import json
import os
import tempfile
import unittest

from script_runner import fixture

from kitchen_report import report
from kitchen_report.load import load
from kitchen_report.table import evaluate, fibers_section
from kitchen_report.table.markdown import document as table_document

FIRST = 60


def render(bench_json: str, folder: str) -> str:
    """REPORT.md as render.sh lays it out: pros_cons.md beside it, charts in charts/."""
    results = load([bench_json])
    table_md = table_document(results, evaluate(results), "fixture", fibers_section(results))
    table_path = os.path.join(folder, "pros_cons.md")
    with open(table_path, "w", encoding="utf-8") as f:
        f.write(table_md)
    out = os.path.join(folder, "REPORT.md")
    return report.document(results, table_md, os.path.join(folder, "charts"), out, table_path)


def with_interference(folder: str, passes: int) -> str:
    """The fixture with `passes` passes whose steal was over the threshold."""
    with open(fixture("fibers_like_async.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["context"]["kitchen_interference"] = json.dumps([
        {"name": f"p{i}", "wall_s": 10.0, "suite_share": 0.5, "other_share": 0.0,
         "steal_share": 0.2, "hypervisor": "KVM", "warn_share": 0.05}
        for i in range(passes)])
    path = os.path.join(folder, "bench.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


class SummaryTest(unittest.TestCase):
    def test_the_first_lines_hold_the_seven_verdict_words_and_the_evidence(self):
        for name in ("async_wins.json", "threads_win.json", "fibers_like_async.json"):
            with self.subTest(fixture=name), tempfile.TemporaryDirectory() as d:
                text = render(fixture(name), d)
                top = "\n".join(text.splitlines()[:FIRST])
                rows = evaluate(load([fixture(name)]))
                self.assertEqual(len(rows), 7)
                for row in rows:
                    line = next((l for l in top.splitlines()
                                 if l.startswith(f"| [{row.feature}]")), None)
                    self.assertIsNotNone(line, f"{row.feature} not in the first {FIRST} lines")
                    self.assertIn(f"**{row.verdict.word}**", line)
                self.assertIn("](pros_cons.md)", top)
                self.assertIn("](#evidence-behind-each-verdict)", top)
                # The evidence itself follows the summary.
                self.assertLess(text.index("## Where these numbers come from"),
                                text.index("## Evidence behind each verdict"))

    def test_a_chart_that_answers_the_most_is_shown_in_the_summary(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "charts"))
            open(os.path.join(d, "charts", "cpu_speedup.png"), "wb").close()
            top = render(fixture("async_wins.json"), d).split("\n## Where these numbers", 1)[0]
            self.assertIn("](charts/cpu_speedup.png)", top)
            self.assertNotIn("charts/throughput.png", top)

    def test_many_warnings_are_counted_and_the_summary_stays_within_its_lines(self):
        with tempfile.TemporaryDirectory() as d:
            quiet = render(fixture("fibers_like_async.json"), d)
            self.assertNotIn("Warning: interference", quiet)
            noisy = render(with_interference(d, 20), d)
            top = noisy.split("\n## Where these numbers", 1)[0]
            self.assertLessEqual(len(top.splitlines()), FIRST)
            self.assertIn("Warning: interference", top)
            self.assertIn("pass 'p0'", top)
            self.assertIn(f"and {20 - report.MAX_WARNINGS} more passes", top)
            # Every pass stays listed in the section that lists them all.
            self.assertIn("p19", noisy.split("\n## Where these numbers", 1)[1])


if __name__ == "__main__":
    unittest.main()

"""Net rows (/io:net, /reactor:io_uring) in the report: the I/O row's verdict on real I/O beside
its verdict on timers, the server's share of each net row, the net chart, and the merge of
passes whose asio_reactor differs. Fixtures: net.json, net_uring.json, cpython_net.json."""

import json
import os
import tempfile
import unittest

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture, merge_fixtures, run
from test_pros_cons import table

from kitchen_report import load as kr


class NetTableTest(unittest.TestCase):
    def test_the_verdict_says_when_real_io_changes_it(self):
        found, text = table("net.json", "net_uring.json", "cpython_net.json")
        measured, word, cell = found["I/O-bound tasks"]
        # Timers: async ahead at 100 chefs only; net: ahead nowhere; io_uring: ahead everywhere.
        self.assertEqual(word, "depends")
        self.assertIn("net: does not hold", cell)
        self.assertIn("io_uring: holds", cell)
        # The timer rows' words are kept whole before the real-I/O words, not cut mid-list.
        self.assertTrue(cell.startswith("on the chefs: async ahead at 100 only; "), cell)
        self.assertLessEqual(len(cell.split()), 16)
        # Compared by their ratios with intervals, not by their words.
        self.assertIn("timer against net, async over threads: 1 chef: timer 1.01x (95% CI "
                      "0.97–1.05) vs net 0.94x (95% CI 0.90–0.98): the intervals overlap", text)
        self.assertIn("100 chefs: timer 1.67x (95% CI 1.60–1.73) vs net 1.01x (95% CI "
                      "0.97–1.05): the intervals do not overlap", text)
        self.assertIn("With net rows the verdict word is **does not hold** where timer rows "
                      "give **depends**", text)
        self.assertIn("100 chefs: server on a CPU 45% / 50% of the time, 42,557 / 43,089 "
                      "requests/s against a recorded capacity of 30,000/s (142% / 144%): not "
                      "busy; it served more than its recorded capacity, so that figure is no "
                      "bound here", text)
        for line in text.splitlines():
            if line.startswith("| ["):
                for c in line.strip("|").split(" | "):
                    self.assertLessEqual(len(c.strip()), 160)

    def test_timer_rows_alone_say_nothing_of_real_io(self):
        found, text = table("io_depends.json")
        self.assertNotIn("net:", found["I/O-bound tasks"][2])
        self.assertNotIn("Real I/O", text)

    def test_the_same_verdict_is_said_to_be_the_same(self):
        found, text = table("net.json")
        self.assertIn("net: does not hold", found["I/O-bound tasks"][2])
        found, text = table("cpython.json", "cpython_net.json")
        self.assertIn("py_asyncio vs py_threads: **does not hold**", text)


class NetMergeTest(unittest.TestCase):
    def test_asio_reactor_is_kept_per_pass(self):
        with tempfile.TemporaryDirectory() as d:
            out = merge_fixtures(self, d, net="net.json", net_uring="net_uring.json")
            with open(out, encoding="utf-8") as f:
                context = json.load(f)["context"]
            self.assertEqual(json.loads(context["asio_reactor_by_pass"]),
                             {"net": "epoll", "net_uring": "io_uring"})
            rows = kr.load([out]).rows
            self.assertEqual({r.params.get("reactor") for r in rows}, {None, "io_uring"})


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class NetChartTest(unittest.TestCase):
    def test_net_chart_and_its_sentence(self):
        with tempfile.TemporaryDirectory() as d:
            merged = os.path.join(d, "bench.json")
            run("merge_results.py", merged, f"net={fixture('net.json')}",
                f"net_uring={fixture('net_uring.json')}",
                f"cpython_net={fixture('cpython_net.json')}")
            charts = os.path.join(d, "charts")
            process = run("plot.py", merged, "--out", charts)
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(os.path.join(charts, "net.svg"), encoding="utf-8") as f:
                svg = f.read()
            for label in ("asio_coro · io_uring", "threads_pool · net", "py_asyncio · net"):
                self.assertIn(label, svg)
            # A pair with one member alone measured over sockets gets no panel.
            self.assertNotIn("threads_per_order", svg)
            table_md = os.path.join(d, "pros_cons.md")
            run("pros_cons.py", merged, "--out", table_md)
            report = os.path.join(d, "REPORT.md")
            process = run("report.py", merged, "--table", table_md, "--charts", charts,
                          "--out", report)
            self.assertEqual(process.returncode, 0, process.stderr)
            with open(report, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("dishes per second over loopback sockets against timers: "
                          "threads_pool 8,000 against 9,000, asio_coro 8,100 against 15,000", text)


if __name__ == "__main__":
    unittest.main()

"""The charts: what each one draws (read back from the SVG, where every series is a group named
after its executor) and the same SVG bytes for the same input (what is skipped: test_plot_skips)."""

import os
import re
import tempfile
import unittest
import xml.etree.ElementTree as ET

from script_runner import HAVE_MATPLOTLIB, NO_MATPLOTLIB, fixture, run

EVERY_CHART = ("throughput", "latency", "efficiency_io", "efficiency_cpu", "cpu_speedup",
               "overhead", "memory", "spawn_switch", "timer")
SVG = "{http://www.w3.org/2000/svg}"


def series(path):
    """{series id: number of points of its line} of one SVG chart."""
    found = {}
    for group in ET.parse(path).getroot().iter(f"{SVG}g"):
        gid = group.get("id", "")
        if gid.startswith("series-"):
            paths = [p.get("d", "") for p in group.iter(f"{SVG}path")]
            points = sum(len(re.findall(r"[ML]", d)) for d in paths[:1])
            found[gid[len("series-"):]] = found.get(gid[len("series-"):], 0) + points
    return found


def texts(path):
    return [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]


@unittest.skipUnless(HAVE_MATPLOTLIB, NO_MATPLOTLIB)
class PlotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.first = os.path.join(cls.tmp.name, "first")
        cls.process = run("plot.py", fixture("async_wins.json"), fixture("cpython.json"),
                          "--out", cls.first)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def svg(self, chart):
        return os.path.join(self.first, chart + ".svg")

    def test_every_chart_in_png_and_svg(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        self.assertEqual(sorted(os.listdir(self.first)),
                         sorted(f"{c}.{ext}" for c in EVERY_CHART for ext in ("png", "svg")))

    def test_throughput_draws_every_executor_once_per_profile_with_its_points(self):
        drawn = series(self.svg("throughput"))
        # io: the fixture's two io points differ in customers, so one point at the held count;
        # cpu: chefs 1, 2, 8; overhead: chefs 1, 3.
        self.assertEqual(drawn["threads_pool"], 1 + 3 + 2)
        self.assertEqual(drawn["asio_coro"], 1 + 3 + 2)
        # CPython io: both points at 10 customers per chef, held as such; overhead: 1 chef.
        self.assertEqual(drawn["py_asyncio"], 2 + 3 + 1)
        self.assertIn("serial", drawn)
        labels = texts(self.svg("throughput"))
        for name in drawn:
            self.assertIn(name, labels)                      # each line named at its end

    def test_latency_has_one_panel_per_profile_and_no_p99(self):
        labels = " ".join(texts(self.svg("latency")))
        self.assertIn("makespan (ms per service, median)", labels)
        self.assertNotIn("p99 latency (ms per order", labels)
        self.assertIn("p99 latency follows the makespan: not drawn", labels)

    def test_cpu_speedup_is_over_the_baseline_with_gil_series(self):
        drawn = series(self.svg("cpu_speedup"))
        self.assertEqual(drawn["threads_pool"], 3)
        self.assertEqual(drawn["threads_pool---GIL"], 2)
        self.assertEqual(drawn["py_threads"], 3)
        labels = " ".join(texts(self.svg("cpu_speedup")))
        # C++ rows over the serial baseline, the GIL rows (no serial with the GIL in the fixture)
        # and CPython (no baseline executor) over their own 1-chef rows.
        self.assertIn("over: its own 1 chef, serial", labels)
        self.assertIn("CPython, cpu profile, 20 customers over: its own 1 chef", labels)
        self.assertIn("ideal on 2 cores", labels)

    def test_overhead_bars_per_executor_and_chefs(self):
        drawn = series(self.svg("overhead"))
        for name in ("threads_pool-chefs-1", "threads_pool-chefs-3", "asio_callback-chefs-3",
                     "serial-chefs-1"):
            self.assertIn(name, drawn)

    def test_efficiency_panels_follow_the_catalogue(self):
        titles = [t for t in texts(self.svg("efficiency_io")) if "_" in t and " " not in t]
        self.assertEqual(titles[:4], ["threads_pool", "threads_chefs", "asio_coro",
                                      "asio_callback"])

    def test_failed_rows_listed(self):
        self.assertIn("memory/thread/tasks:100000: thread creation stopped", self.process.stdout)

    def test_same_input_same_svg_bytes(self):
        second = os.path.join(self.tmp.name, "second")
        again = run("plot.py", fixture("async_wins.json"), fixture("cpython.json"), "--out", second)
        self.assertEqual(again.returncode, 0, again.stderr)
        for chart in EVERY_CHART:
            with self.subTest(chart=chart):
                with open(self.svg(chart), "rb") as a, \
                        open(os.path.join(second, chart + ".svg"), "rb") as b:
                    self.assertEqual(a.read(), b.read())

    def test_svg_carries_no_date_and_keeps_text(self):
        with open(self.svg("throughput"), encoding="utf-8") as f:
            svg = f.read()
        self.assertNotIn("<dc:date>", svg)
        self.assertIn("Throughput vs chefs", svg)
        self.assertIn("fixture, 2 CPUs @ 2000 MHz", svg)


if __name__ == "__main__":
    unittest.main()

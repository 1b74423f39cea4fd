"""The loader: names, repetitions (medians, spreads, CVs), the catalogue, failed rows."""

import json
import os
import tempfile
import unittest

from script_runner import fixture

from kitchen_report import load as kr
from kitchen_report.provenance import machine_line, usable_cores


class NamesTest(unittest.TestCase):
    def test_google_benchmark_suffixes_are_stripped(self):
        self.assertEqual(kr.strip_gb_suffixes(
            "kitchen/asio_coro/io/chefs:1/customers:4/process_time/real_time"),
            "kitchen/asio_coro/io/chefs:1/customers:4")
        self.assertEqual(kr.strip_gb_suffixes("spawn/coro/min_time:0.010/real_time"), "spawn/coro")
        self.assertEqual(kr.strip_gb_suffixes("memory/coro/tasks:1000"), "memory/coro/tasks:1000")

    def test_kitchen_name_with_costs_and_flags(self):
        family, kind, profile, params, flags = kr.parse_name(
            "kitchen/threads_pool/cpu/chefs:2/customers:100/io_us:0/cpu_us:50/gil/fail_fast")
        self.assertEqual((family, kind, profile), ("kitchen", "threads_pool", "cpu"))
        self.assertEqual(params, {"chefs": "2", "customers": "100", "io_us": "0", "cpu_us": "50"})
        self.assertEqual(flags, frozenset({"gil", "fail_fast"}))

    def test_kitchen_name_without_chefs_is_refused(self):
        with self.assertRaises(ValueError):
            kr.parse_name("kitchen/asio_coro/io/customers:4")


class RepetitionsTest(unittest.TestCase):
    def test_median_aggregate_spread_and_cv(self):
        (row,) = kr.load([fixture("aggregates.json")]).rows
        # Three repetitions at 1800 x (0.9, 1.0, 1.01): median 1800, spread 1620 - 1818.
        self.assertEqual(row.repetitions, 3)
        self.assertAlmostEqual(row.counters["dishes_per_s"], 1800)
        lo, hi = row.spread("dishes_per_s")
        self.assertAlmostEqual(lo, 1620)
        self.assertAlmostEqual(hi, 1818)
        self.assertGreater(row.cv("dishes_per_s"), 0.05)

    def test_iterations_without_aggregates_give_the_same_median_and_cv(self):
        with open(fixture("aggregates.json")) as f:
            doc = json.load(f)
        with_aggregates = kr.load([fixture("aggregates.json")]).rows[0]
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "iterations.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            (row,) = kr.load([path]).rows
        self.assertAlmostEqual(row.counters["dishes_per_s"], 1800)
        self.assertAlmostEqual(row.cv("dishes_per_s"), with_aggregates.cv("dishes_per_s"),
                               places=4)

    def test_a_results_folder_stands_for_its_bench_json(self):
        with tempfile.TemporaryDirectory() as d:
            with open(fixture("io_depends.json")) as src, \
                    open(os.path.join(d, "bench.json"), "w") as dst:
                dst.write(src.read())
            self.assertEqual(len(kr.load([d]).rows), 4)


class CatalogueTest(unittest.TestCase):
    def test_order_sides_and_pairs_come_from_the_files(self):
        results = kr.load([fixture("async_wins.json"), fixture("cpython.json")])
        c = results.catalogue
        self.assertEqual([e.name for e in c][:2], ["threads_pool", "threads_chefs"])
        self.assertEqual(c.side("serial"), "baseline")
        self.assertEqual(c.language("py_threads"), "CPython")
        self.assertEqual(c.pairs(), [("threads_pool", "asio_coro"),
                                     ("threads_chefs", "asio_callback"),
                                     ("threads_per_order", "asio_coro"),
                                     ("py_threads", "py_asyncio")])
        self.assertTrue(c.one_at_a_time("py_asyncio_blocking"))
        self.assertFalse(c.one_at_a_time("asio_coro"))

    def test_colour_families_follow_side_and_language(self):
        from kitchen_report.catalogue import colour, family
        c = kr.load([fixture("async_wins.json"), fixture("cpython.json")]).catalogue
        self.assertEqual([family(c, n) for n in ("threads_pool", "asio_coro", "py_threads",
                                                 "py_asyncio", "serial")],
                         ["threads", "async", "CPython", "CPython", "baseline"])
        names = [e.name for e in c]
        self.assertEqual(len({colour(c, n) for n in names}), len(names))


class LoadTest(unittest.TestCase):
    def test_failed_rows_are_listed_not_used(self):
        results = kr.load([fixture("some_errors.json")])
        self.assertEqual([r.name for r in results.rows],
                         ["kitchen/asio_coro/io/chefs:10/customers:100"])
        (error,) = results.errors
        self.assertEqual(error.name, "kitchen/threads_per_order/io/chefs:4/customers:8")
        self.assertIn("--max-threads=2", error.message)

    def test_strict_refuses_failed_rows(self):
        with self.assertRaisesRegex(kr.LoadError, "failed"):
            kr.load([fixture("some_errors.json")], strict=True)

    def test_several_files_keep_their_contexts(self):
        results = kr.load([fixture("async_wins.json"), fixture("cpython.json")])
        self.assertEqual(len(results.contexts), 2)
        self.assertIn("CPython 3.11.2", machine_line(results))
        self.assertEqual(usable_cores(results), 2)

    def test_the_same_row_twice_is_refused(self):
        with self.assertRaisesRegex(kr.LoadError, "in both"):
            kr.load([fixture("io_depends.json"), fixture("io_depends.json")])

    def test_unusable_inputs(self):
        cases = {"empty.json": "is empty", "truncated.json": "not valid JSON",
                 "foreign.json": "not Google Benchmark", "all_errors.json": "no usable rows",
                 "missing_counter.json": "lacks counter.*dishes_per_s",
                 "no_such_file.json": "cannot read",
                 "bad_counter.json": "counter 'os_threads' is \"1\"; expected a number",
                 "no_catalogue.json": "no 'kitchen_catalogue'",
                 "unknown_executor.json": "executor 'asio_unknown' is not in"}
        for name, message in cases.items():
            with self.subTest(name=name):
                with self.assertRaisesRegex(kr.LoadError, message):
                    kr.load([fixture(name)])


if __name__ == "__main__":
    unittest.main()

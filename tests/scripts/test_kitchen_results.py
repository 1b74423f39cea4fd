"""The shared loader: names, repetitions, failed rows, and every way input can be unusable."""

import json
import os
import tempfile
import unittest

from script_runner import fixture

import kitchen_results as kr


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

    def test_mechanism_names(self):
        self.assertEqual(kr.parse_name("memory/thread_small_stack/tasks:1000")[:4],
                         ("memory", "thread_small_stack", None, {"tasks": "1000"}))
        self.assertEqual(kr.parse_name("timer/asio_timer/wait_us:100/slack:1ns")[3],
                         {"wait_us": "100", "slack": "1ns"})

    def test_kitchen_name_without_chefs_is_refused(self):
        with self.assertRaises(ValueError):
            kr.parse_name("kitchen/asio_coro/io/customers:4")

    def test_sides_and_languages(self):
        self.assertEqual([kr.executor_side(e) for e in
                          ("asio_offload", "py_asyncio_blocking", "threads_per_order", "py_threads",
                           "something_else")],
                         ["async", "async", "threads", "threads", None])
        self.assertEqual(kr.executor_language("py_threads"), "CPython")
        self.assertEqual(kr.executor_language("threads_pool"), "C++")


class LoadTest(unittest.TestCase):
    def test_real_bench_kitchen_output(self):
        results = kr.load([fixture("bench_kitchen_quick.json")])
        self.assertEqual([r.name for r in results.rows],
                         ["kitchen/threads_pool/io/chefs:1/customers:4",
                          "kitchen/threads_pool/io/chefs:4/customers:16"])
        row = results.rows[0]
        self.assertEqual(row.counters["chefs"], 1.0)
        self.assertAlmostEqual(row.real_ms, 20.873687, places=5)
        self.assertIn("vm, 2 CPUs @ 2596 MHz", kr.machine_line(results))

    def test_median_aggregate_is_preferred(self):
        (row,) = kr.load([fixture("aggregates.json")]).rows
        self.assertEqual(row.counters["dishes_per_s"], 1800)

    def test_iterations_without_aggregates_give_their_median(self):
        with open(fixture("aggregates.json")) as f:
            doc = json.load(f)
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "iterations.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            (row,) = kr.load([path]).rows
        self.assertEqual(row.counters["dishes_per_s"], 1800)  # median of 1000, 1800, 1900

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
        self.assertTrue(any(r.kind == "py_threads" for r in results.rows))
        self.assertIn("python_version 3.11.2", kr.machine_line(results))

    def test_the_same_row_twice_is_refused(self):
        with self.assertRaisesRegex(kr.LoadError, "in both"):
            kr.load([fixture("io_depends.json"), fixture("io_depends.json")])

    def test_unusable_inputs(self):
        cases = {"empty.json": "is empty", "truncated.json": "not valid JSON",
                 "foreign.json": "not Google Benchmark", "all_errors.json": "no usable rows",
                 "missing_counter.json": "lacks counter.*dishes_per_s",
                 "no_such_file.json": "cannot read"}
        for name, message in cases.items():
            with self.subTest(name=name):
                with self.assertRaisesRegex(kr.LoadError, message):
                    kr.load([fixture(name)])


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Write the scripts' JSON fixtures into tests/scripts/inputs/ (run it after changing a figure;
the fixtures are committed, so tests never depend on this script's output being fresh).

Every figure is chosen by hand, small and realistic, in the format of the JSON contract (the
executors' catalogue in the context, 5 repetitions and Google Benchmark's aggregates per row).
Regenerate from real runs where a test says so: none of these are measurements.

  async_wins.json     async ahead everywhere; threads lose 10 orders of 100 with failures
  threads_win.json    the same rows with every comparison turned round
  loop_overhead.json  async_wins.json with asio_coro at 600 us a dish on the overhead profile
                      (serial 0.11; a cpu dish 1,000): the loop's switching a large share
  both_lose.json      both pairs' sides lose or double-count orders (20 + 80 + 79 of 100)
  io_undecided.json   io rows whose ratio's interval reaches across the tie band
  io_depends.json     a tie at 10 chefs, async 7.5x at 1,000
  cpython.json        py_kitchen.py's executors and catalogue
  compare_base.json, compare_2x.json   the same rows, the second twice as slow
  open_loop.json      a load sweep: a knee at 0.9, none swept, a suspect row below a knee
  open_loop_py.json   py_kitchen.py's executors at two loads
  advise_over_capacity.json  kitchen advise's round-1 rows at 100 chefs (mixed: closed, and
                      open at 10,000/s, every executor over capacity), then its sustainable
                      point at 2,100/s (70% of asio_coro's 3,000/s served): asio_coro's p99
                      half threads_pool's, asio_callback still over capacity
  open_loop_poisson.json  Poisson arrivals, 2,000 customers at 100 chefs only (io, mixed): a p99
                      knee at 0.9, a load whose pooled p99 interval reaches across the limit
  net.json            io timer rows (async ahead at 100 chefs only) beside /io:net rows (async
                      ahead nowhere), 5 repetitions, asio_reactor epoll
  net_uring.json      the same net points from bench_kitchen_uring (/reactor:io_uring)
  cpython_net.json    py_kitchen.py's net rows (py_threads, py_asyncio)
  same_point.json     each side's largest or best figure at a point the other did not run
                      (concurrency, CPU with the GIL at 20 customers, fail-fast, memory)
  races.json          unlocked pantry rows with services, services_with_lost_updates and
                      lost_updates_max per repetition: threads race in some repetitions (one
                      with a median of 0), the loops in none, asio_coro with an await inside
                      the update (/pantry:unlocked_await) in every service
  races_await_safe.json  the same, asio_coro losing none with the await inside
  io_points.json      timer and net io rows of one pair: threads filling 612 of 1,000 chefs with
                      run-queue waits, net rows of 20 customers at 100 chefs, a busy server
  fibers_like_async.json  the fiber executors beside threads_per_order and asio_coro at every
                      point the fibers section reads, landing like async in each row
  fibers_like_threads.json  the same with every comparison turned round: like threads
  verdicts_a.json, verdicts_b.json   two runs' verdicts.json: B contradicts A at 1,000 chefs
                      (win -> lose), weakens it at 100 (win -> undecided), strengthens it at
                      10 (undecided -> tie), shifts the cancel cell (win -> tie)
  verdicts_weaker.json  A with only the 100 chefs cell weakened
  verdicts_nan.json   A with a NaN ratio, which strict JSON refuses
"""

import copy
import json
import os
import sys

from fixtures import shape as s

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inputs")
THREADS = ("threads_pool", "threads_chefs")
ASYNC = ("asio_coro", "asio_callback")


def cpp_rows(async_ahead=True, loop_dish_us=None):
    """Every pass of bench.sh in small: io, cpu, GIL, overhead, pantry, failures, mechanisms
    (loop_dish_us: asio_coro's cost per dish on the overhead profile, when not its own)."""
    win = 1 if async_ahead else -1
    rows = []
    # io: a clear edge at 10 chefs (1.33x, beyond the 1.10 band even with the interval of 5
    # repetitions of 2% jitter), a large one at 1,000 (pantry-lock waits on the losing side).
    for c, n, t, a in ((10, 1000, 1800, 2400), (1000, 10000, 20000, 150000)):
        low, high = (t, a) if async_ahead else (a, t)
        for k, (th, asy) in enumerate(zip(THREADS, ASYNC)):
            bump = 1 + 0.05 * k
            rows += s.kitchen(th, "io", c, n, low * bump, os_threads=c + 1, cooking_threads=c,
                              pantry_wait=20000.0 if c == 1000 and async_ahead else 0.0)
            rows += s.kitchen(asy, "io", c, n, high * bump, os_threads=1, cooking_threads=1)
        rows += s.kitchen("asio_coro_mt", "io", c, n, a, os_threads=3, cooking_threads=2)
    # cpu: serial baseline, a pair, and an offloading loop above the ideal over its own 1 chef.
    rows += s.kitchen("serial", "cpu", 1, 100, 1000, os_threads=1, cooking_threads=1)
    for c in (1, 2, 8):
        speed = {1: 1.0, 2: 1.94, 8: 1.9}[c] if async_ahead else 1.0
        rows += s.kitchen("threads_pool", "cpu", c, 100, 990 * speed, os_threads=c + 1,
                          cooking_threads=c, cpu_util=speed)
        loop = {1: 985, 2: 980, 8: 975}[c] if async_ahead else {1: 985, 2: 1930, 8: 1900}[c]
        rows += s.kitchen("asio_coro", "cpu", c, 100, loop, os_threads=1 if async_ahead else 3,
                          cooking_threads=1 if async_ahead else min(c, 2))
        rows += s.kitchen("asio_offload", "cpu", c, 100, {1: 850, 2: 1870, 8: 1880}[c],
                          os_threads=c + 2, cooking_threads=c)
    for c in (1, 2):
        gil_speed = 1.01 if async_ahead else 1.9
        rows += s.kitchen("threads_pool", "cpu", c, 100, 900 * (gil_speed if c == 2 else 1),
                          gil=True, os_threads=c + 1, cooking_threads=c)
    # overhead: per-dish cost of each executor.
    for c in (1, 3):
        for e, d in (("serial", 9e6), ("threads_pool", 1.5e6), ("threads_chefs", 5e6),
                     ("asio_coro", 3e6), ("asio_callback", 6e6)):
            if e == "serial" and c != 1:
                continue
            if e == "asio_coro" and loop_dish_us is not None:
                d = 1e6 / loop_dish_us
            rows += s.kitchen(e, "overhead", c, 10000, d, os_threads=1 if "asio" in e else c + 1,
                              cooking_threads=1 if "asio" in e or e == "serial" else c)
    # pantry: unlocked, the threads race, a one-thread loop cannot.
    for e in THREADS + ASYNC + ("asio_coro_mt",):
        racy = e in THREADS if async_ahead else e in ASYNC
        rows += s.kitchen(e, "overhead", 2, 100000, 2e7, tail="/pantry:unlocked",
                          lost_updates=(1234 if racy else 0) if e != "asio_coro_mt" else 12,
                          cooking_threads=2 if e in THREADS or e == "asio_coro_mt" else 1,
                          os_threads=3 if e in THREADS else 1)
    # failures: 10 of 100 orders fail; the losing side also loses 10 served dishes.
    for e in THREADS + ASYNC:
        loses = e in THREADS if async_ahead else e in ASYNC
        rows += s.kitchen(e, "io", 10, 100, 1500, tail="/fail_rate:0.1", failed=10,
                          served=80 if loses else 90)
    # fail-fast: cancel time after the first failure (a proxy), paired.
    for th, asy, fast, slow in (("threads_pool", "asio_coro", 1.5, 12.0),
                                ("threads_chefs", "asio_callback", 0.04, 0.4)):
        t_ms, a_ms = (slow, fast) if async_ahead else (fast, slow)
        rows += s.kitchen(th, "io", 10, 100, 1400, tail="/fail_rate:0.1/fail_fast", failed=1,
                          cancelled=80, cancel_ms=t_ms)
        rows += s.kitchen(asy, "io", 10, 100, 1400, tail="/fail_rate:0.1/fail_fast", failed=1,
                          cancelled=80, cancel_ms=a_ms)
    threads_bytes, coro_bytes = (24576, 500) if async_ahead else (500, 24576)
    for n in (100, 1000):
        rows += s.mechanism(f"memory/thread/tasks:{n}", {"bytes_per_task": threads_bytes * 3,
                                                         "kernel_bytes_per_task": 16384})
        rows += s.mechanism(f"memory/thread_small_stack/tasks:{n}",
                            {"bytes_per_task": threads_bytes, "kernel_bytes_per_task": 16384})
    for n in (1000, 1000000):
        rows += s.mechanism(f"memory/coro/tasks:{n}", {"bytes_per_task": coro_bytes})
    rows += s.error_row("memory/thread/tasks:100000", "thread creation stopped by pid_max=32768 "
                        "after 32000 threads", reps=1, suffix="/real_time")
    rows += s.mechanism("spawn/thread", {"ns_per_spawn": 20000})
    rows += s.mechanism("spawn/coro", {"ns_per_spawn": 300})
    rows += s.mechanism("switch/thread_cv", {"ns_per_switch": 8000})
    rows += s.mechanism("switch/coro", {"ns_per_switch": 150})
    rows += s.mechanism("timer/thread_sleep/wait_us:100/slack:1ns",
                        {"overshoot_us_p50": 55, "overshoot_us_p99": 80})
    rows += s.mechanism("timer/asio_timer/wait_us:100/slack:1ns",
                        {"overshoot_us_p50": 60, "overshoot_us_p99": 90})
    return rows


def both_lose():
    rows = []
    # threads_pool: 20 served + 80 failed + 79 cancelled of 100 (79 counted twice);
    # asio_coro: 60 + 10 + 0 of 100 (30 lost).
    rows += s.kitchen("threads_pool", "io", 10, 100, 1500, tail="/fail_rate:0.1/fail_fast",
                      served=20, failed=80, cancelled=79, cancel_ms=12.0)
    rows += s.kitchen("asio_coro", "io", 10, 100, 1500, tail="/fail_rate:0.1/fail_fast",
                      served=60, failed=10, cancelled=0, cancel_ms=1.5)
    return rows


def io_undecided():
    rows = []
    for e, d in (("threads_pool", 1950), ("asio_coro", 2000), ("threads_chefs", 1990),
                 ("asio_callback", 2000)):
        rows += s.kitchen(e, "io", 1000, 10000, d, jitter=0.08, cooking_threads=1000
                          if e.startswith("threads") else 1)
    return rows


def io_depends():
    rows = []
    for c, n, t, a in ((10, 1000, 1800, 1810), (1000, 1000, 20000, 150000)):
        rows += s.kitchen("threads_pool", "io", c, n, t, cooking_threads=c, os_threads=c + 1)
        rows += s.kitchen("asio_coro", "io", c, n, a)
    return rows


def _raced(executor, chefs, customers, services, lost_max, tail="/pantry:unlocked", with_loss=None,
           **more):
    """An unlocked row whose repetitions each ran `services` services, with_loss[i] of which
    lost updates (by default one when lost_max[i] > 0), at most lost_max[i] in one service."""
    with_loss = with_loss or [min(services, 1 if m else 0) for m in lost_max]
    mean = [m / services for m in lost_max]
    return s.kitchen(executor, "overhead", chefs, customers, 2e7, tail=tail,
                     lost_updates=sorted(mean)[len(mean) // 2],
                     extra={"services": services, "services_with_lost_updates": 0,
                            "lost_updates_max": 0},
                     per_rep={"lost_updates": mean, "services_with_lost_updates": with_loss,
                              "lost_updates_max": lost_max}, **more)


def races_rows(await_races=True):
    """Issue 19's races: threads_per_order loses [5, 0, 0, 6, 0] (a median of 0, yet a race),
    threads_pool loses in 2 of its repetitions; the loops lose none unlocked, and asio_coro
    loses updates in every service where a coroutine awaits inside the update (or, with
    await_races off, in none)."""
    rows = []
    for e, services, lost, with_loss in (("threads_pool", 3, [0, 0, 1006, 0, 5], None),
                                         ("threads_per_order", 1, [5, 0, 0, 6, 0], None),
                                         ("threads_chefs", 3, [12, 30, 7, 0, 9], [2, 3, 1, 0, 2])):
        rows += _raced(e, 2, 5000, services, lost, with_loss=with_loss, os_threads=3,
                       cooking_threads=2)
    for e in ("asio_coro", "asio_callback"):
        rows += _raced(e, 2, 5000, 3, [0] * 5)
    awaited = ([40, 38, 41, 39, 40], [3] * 5) if await_races else ([0] * 5, None)
    rows += _raced("asio_coro", 10, 200, 3, awaited[0], tail="/pantry:unlocked_await",
                   with_loss=awaited[1])
    return rows


def fibers_rows(like_async=True):
    """The fiber executors beside their pair (threads_per_order) and also_pair (asio_coro), at
    every point the fibers section reads. like_async: fibers level with asio_coro (within 2%)
    and ahead of threads_per_order (1.33x) at every io level, timer (the 100-chef level at the
    default slack too) and net; fibers_mt 1.9x serial on 2 threads; a fiber 3 KiB a task, a
    coroutine 500 B, a thread 40 KiB; fibers racing only with the wait inside the update,
    fibers_mt without it; cancel times level with asio_coro's, a tenth of threads_per_order's.
    Without like_async every comparison turns round: fibers level with threads_per_order and
    behind asio_coro, fibers_mt no faster than serial, a fiber 40 KiB, fibers racing unlocked,
    cancel times level with threads_per_order's."""
    rows = []
    slow, fast = 1500, 2000
    fiber = fast * 1.01 if like_async else slow * 1.01
    for c, n in ((10, 100), (100, 1000)):
        for tail in ("", "/slack:default") if c == 100 else ("",):
            rows += s.kitchen("threads_per_order", "io", c, n, slow * c / 10, tail=tail,
                              os_threads=n + 1, cooking_threads=c)
            rows += s.kitchen("asio_coro", "io", c, n, fast * c / 10, tail=tail)
            rows += s.kitchen("fibers", "io", c, n, fiber * c / 10, tail=tail)
        rows += s.kitchen("fibers_mt", "io", c, n, fiber * c / 10, os_threads=3,
                          cooking_threads=2)
    for e, d in (("threads_per_order", slow), ("asio_coro", fast), ("fibers", fiber)):
        rows += _with_net(s.kitchen(e, "io", 10, 100, d * 0.9, tail="/io:net"), 0.3, 200)
    rows += s.kitchen("serial", "cpu", 1, 100, 1000)
    for c in (1, 2):
        gain = (1.9 if like_async else 1.0) if c == 2 else 1.0
        rows += s.kitchen("fibers_mt", "cpu", c, 100, 990 * gain, os_threads=3,
                          cooking_threads=c)
        rows += s.kitchen("fibers", "cpu", c, 100, 985)
    fiber_bytes = 3072 if like_async else 40960
    for n in (1000, 10000):
        rows += s.mechanism(f"memory/thread_small_stack/tasks:{n}",
                            {"bytes_per_task": 24576, "kernel_bytes_per_task": 16384,
                             "total_bytes_per_task": 40960})
        rows += s.mechanism(f"memory/coro/tasks:{n}",
                            {"bytes_per_task": 500, "total_bytes_per_task": 500})
        rows += s.mechanism(f"memory/fiber/tasks:{n}",
                            {"bytes_per_task": fiber_bytes, "total_bytes_per_task": fiber_bytes})
    plain_loss = [0] * 5 if like_async else [3, 0, 2, 4, 1]
    rows += _raced("fibers", 2, 5000, 3, plain_loss)
    rows += _raced("fibers", 10, 200, 3, [40, 38, 41, 39, 40], tail="/pantry:unlocked_await",
                   with_loss=[3] * 5)
    rows += _raced("fibers_mt", 2, 5000, 3, [12, 30, 7, 0, 9], with_loss=[2, 3, 1, 0, 2],
                   os_threads=3, cooking_threads=2)
    for e in ("threads_per_order", "asio_coro"):
        rows += _raced(e, 2, 5000, 3, [5, 0, 0, 6, 0] if e == "threads_per_order" else [0] * 5)
    rows += s.kitchen("fibers", "overhead", 2, 1000, 2e6)
    rows += s.kitchen("fibers", "overhead", 2, 1000, 3e6, tail="/pantry:unlocked")
    fast_ms, slow_ms = 1.0, 10.0
    fiber_ms = fast_ms if like_async else slow_ms
    for e, ms in (("threads_per_order", slow_ms), ("asio_coro", fast_ms), ("fibers", fiber_ms)):
        rows += s.kitchen(e, "io", 10, 100, 1400, tail="/fail_rate:0.1/fail_fast", failed=1,
                          cancelled=80, cancel_ms=ms)
    return rows


def same_point_rows():
    """Rows whose best or largest figures sit at different points on the two sides: the table
    must read both at one point chosen by a rule (issue 19, point 9)."""
    rows = []
    # Concurrency: threads_pool's most customers (10,000) is a point asio_coro never ran.
    for c, n, t in ((1000, 10000, 20000), (1000, 1000, 19000), (10, 10000, 1750)):
        rows += s.kitchen("threads_pool", "io", c, n, t, os_threads=c + 1, cooking_threads=c)
    for c, n, a in ((1000, 1000, 150000), (10, 10000, 1800)):
        rows += s.kitchen("asio_coro", "io", c, n, a)
    # CPU: 2 usable cores. threads_pool gains 1.6x at 2 chefs and a noisy 1.95x at 8; its GIL
    # rows ran at 20 customers only.
    rows += s.kitchen("serial", "cpu", 1, 100, 1000)
    rows += s.kitchen("serial", "cpu", 1, 20, 1000, gil=True)
    for c, t, a in ((2, 1600, 980), (8, 1950, 1020)):
        rows += s.kitchen("threads_pool", "cpu", c, 100, t, jitter=0.2 if c == 8 else 0.02,
                          os_threads=c + 1, cooking_threads=c)
        rows += s.kitchen("asio_coro", "cpu", c, 100, a)
    rows += s.kitchen("threads_pool", "cpu", 2, 20, 1000, gil=True, os_threads=3,
                      cooking_threads=2)
    # Fail-fast: each side's most customers is a point the other did not run.
    for e, points in (("threads_pool", ((10, 100, 1.5), (10, 1000, 9.0))),
                      ("asio_coro", ((10, 100, 0.1), (100, 1000, 0.3)))):
        for c, n, ms in points:
            rows += s.kitchen(e, "io", c, n, 1400, tail="/fail_rate:0.1/fail_fast", failed=1,
                              cancelled=n - 21, cancel_ms=ms)
    # Memory: threads to 10,000 tasks, coroutines from 1,000 to 1,000,000.
    for n in (100, 1000, 10000):
        rows += s.mechanism(f"memory/thread_small_stack/tasks:{n}",
                            {"bytes_per_task": 24576, "kernel_bytes_per_task": 16384})
    for n, b in ((1000, 900), (1000000, 500)):
        rows += s.mechanism(f"memory/coro/tasks:{n}", {"bytes_per_task": b})
    return rows


def cpython_rows():
    rows = []
    for c, n, t, a in ((10, 100, 8000, 8200), (100, 1000, 9000, 15000)):
        rows += s.kitchen("py_threads", "io", c, n, t, os_threads=c + 1, cooking_threads=c)
        rows += s.kitchen("py_asyncio", "io", c, n, a)
    for c, d in ((1, 450), (2, 460), (4, 441)):
        rows += s.kitchen("py_threads", "cpu", c, 20, d, os_threads=c + 1, cooking_threads=c)
        rows += s.kitchen("py_asyncio", "cpu", c, 20, 452)
    rows += s.kitchen("py_asyncio_blocking", "io", 10, 100, 180)
    for e, d in (("py_threads", 90000), ("py_asyncio", 120000), ("py_asyncio_blocking", 250000)):
        rows += s.kitchen(e, "overhead", 1, 2000, d)
    for e in ("py_threads", "py_asyncio"):
        rows += s.kitchen(e, "io", 10, 100, 7000, tail="/fail_rate:0.1", failed=10)
    return rows


def compare_pair():
    base = []
    for e in ("threads_pool", "asio_coro"):
        base += s.kitchen(e, "io", 10, 1000, 2000, jitter=0.03)
        base += s.kitchen(e, "cpu", 2, 100, 1900, jitter=0.03)
    slow = copy.deepcopy(base)
    for entry in slow:
        if entry["name"].startswith("kitchen/asio_coro/io") and entry.get("aggregate_name") not in (
                "cv",):
            for key in ("real_time", "cpu_time", "us_per_dish"):
                entry[key] *= 2
            entry["dishes_per_s"] /= 2
    return base, slow


LOADS = (0.25, 0.5, 0.75, 0.9, 1.0, 1.2)


def open_loop_rows():
    rows = []
    # threads_pool: p99 under 3x its unloaded 7 ms up to 0.9, all served: the knee is 0.9.
    for load, p99, share in zip(LOADS, (7, 7.2, 8, 12, 40, 200), (.99, .99, .99, .99, .9, .8)):
        rows += s.open_loop("threads_pool", "io", 10, 400, load, p99, share)
    # asio_coro: serves 80% of what is offered even at the lowest load: none swept.
    for load, p99 in zip(LOADS, (6, 6.5, 7, 8, 30, 150)):
        rows += s.open_loop("asio_coro", "io", 10, 400, load, p99, 0.8)
    # threads_chefs: a late arrival schedule at 0.5, p99 over 3x at 0.9: the knee is 0.75.
    for load, p99, late in zip(LOADS, (7, 8, 9, 30, 60, 220), (0, 1, 0, 0, 0, 0)):
        rows += s.open_loop("threads_chefs", "io", 10, 400, load, p99, suspect=late)
    return rows


def open_loop_poisson_rows():
    """bench.sh's load pass as issue 19 has it: Poisson arrivals, 2,000 customers, 100 chefs only,
    io and mixed, 5 repetitions of 3% jitter (so each pooled p99's interval is its min to max)."""
    rows = []
    io_capacity, mixed_capacity = 100 / 0.0054, 2 / (5.4 * 50e-6)
    loads = (0.25, 0.5, 0.75, 0.9, 1.0)
    # threads_pool: p99 25 ms at 0.9, wholly over 3x its unloaded 7 ms: sustains 0.75, knee 0.9.
    # asio_coro: 17.5 ms at 1.0, its interval 17.0-18.0 across the 18 ms limit: undecided there.
    for e, p99s in (("threads_pool", (7, 7.5, 9, 25, 80)), ("asio_coro", (6, 6.2, 6.5, 7, 17.5))):
        for load, p99 in zip(loads, p99s):
            rows += s.open_loop(e, "io", 100, 2000, load, p99, 0.99, capacity=io_capacity,
                                reps=5, arrivals="poisson")
    # mixed: both sustain 0.75; their p99 leaves at 0.9 and 1.0.
    for e, p99s in (("threads_pool", (3, 3.2, 4, 12, 30)), ("asio_coro", (2, 2.1, 2.5, 4, 9))):
        for load, p99 in zip(loads, p99s):
            share = 0.99 if load < 0.9 else 0.9
            rows += s.open_loop(e, "mixed", 100, 2000, load, p99, share,
                                capacity=mixed_capacity, reps=5, arrivals="poisson")
    return rows


def advise_over_capacity_rows():
    """`kitchen advise --io-us=500 --cpu-us=50 --concurrency=100 --rate=10000` in small: the
    closed loop at 100 chefs, the open loop at the user's 10,000/s that nobody keeps up with
    (served is the capacity there; asio_coro's 3,000/s is below every closed-loop rate), and
    the open loop at 2,100/s that round 1's lowest capacity gives."""
    rows = []
    closed = {"threads_pool": 4600, "asio_coro": 3500, "threads_chefs": 4600,
              "asio_callback": 3600}
    for e, rate in closed.items():
        rows += s.kitchen(e, "mixed", 100, 1288, rate, cpu_util=1.9)
    served = {"threads_pool": (4500, 150), "asio_coro": (3000, 250),
              "threads_chefs": (4800, 140), "asio_callback": (3600, 200)}
    for e, (rate, p99) in served.items():
        rows += s.open_loop(e, "mixed", 100, 1104, 1.0, p99, rate / 10000, capacity=10000,
                            reps=5, arrivals="poisson")
    steady = {"threads_pool": (6.0, 0.99), "asio_coro": (3.0, 0.99),
              "threads_chefs": (6.2, 0.99), "asio_callback": (90.0, 0.9)}
    for e, (p99, share) in steady.items():
        rows += s.open_loop(e, "mixed", 100, 1000, 1.0, p99, share, capacity=2100, reps=5,
                            arrivals="poisson")
    return rows


def open_loop_py_rows():
    rows = []
    for e, p99s in (("py_threads", (8, 35)), ("py_asyncio", (9, 45))):
        for load, p99, share in zip((0.5, 1.2), p99s, (0.98, 0.8)):
            rows += s.open_loop(e, "io", 10, 100, load, p99, share)
    return rows


def _with_net(rows, server_cpu_util, bytes_per_dish, calls=None):
    """Net counters on every entry of a row: the same value on each repetition, so the
    aggregates' median and mean are that value, their stddev and cv 0."""
    for e in rows:
        spread = e.get("aggregate_name") in ("stddev", "cv")
        e["server_cpu_util"] = 0.0 if spread else server_cpu_util
        e["bytes_per_dish"] = 0.0 if spread else bytes_per_dish
        if calls is not None:
            e["socket_calls_per_dish"] = 0.0 if spread else calls
    return rows


def net_rows(uring=False):
    """bench_kitchen's io rows at three chefs levels, with timers and with the pantry server."""
    rows = []
    timer = {1: (180, 182), 10: (1800, 1810), 100: (9000, 15000)}
    net = {1: (170, 160), 10: (1600, 1500), 100: (8000, 8100)}
    for c, (t, a) in timer.items():
        if not uring:
            rows += s.kitchen("threads_pool", "io", c, 1000, t, reps=5, os_threads=c + 1,
                              cooking_threads=c)
            rows += s.kitchen("asio_coro", "io", c, 1000, a, reps=5)
        tail = "/io:net/reactor:io_uring" if uring else "/io:net"
        t_net, a_net = net[c]
        share = {1: 0.05, 10: 0.2, 100: 0.45}[c]
        rows += _with_net(s.kitchen("threads_pool", "io", c, 1000, t_net, tail=tail, reps=5,
                                    os_threads=c + 1, cooking_threads=c), share, 595.8, 10.6)
        rows += _with_net(s.kitchen("asio_coro", "io", c, 1000, a_net * (1.3 if uring else 1),
                                    tail=tail, reps=5), share * 1.1, 595.8)
    return rows


def io_points_rows():
    """The I/O row's points as issue 19 found them: at 1,000 chefs the threads keep 428-784 dishes
    in preparation (median 612) and wait 850 µs per dish for a CPU; net rows of 20 customers at
    100 chefs (not filled), and a busy pantry server at 1,000 chefs."""
    rows = []
    for c, n, t, a in ((10, 1000, 1800, 1810), (100, 1000, 9000, 9360)):
        rows += s.kitchen("threads_pool", "io", c, n, t, os_threads=c + 1, cooking_threads=c,
                          runqueue=2.0)
        rows += s.kitchen("asio_coro", "io", c, n, a, runqueue=1.0)
    rows += s.kitchen("threads_pool", "io", 1000, 10000, 35000, os_threads=1001,
                      cooking_threads=1000, cpu_util=1.61, pantry_wait=36.0, peak=612,
                      per_rep={"peak_in_preparation": [612, 784, 428, 700, 500]}, runqueue=850.0)
    rows += s.kitchen("asio_coro", "io", 1000, 10000, 145000, runqueue=3.0)
    # Net: the server's share of each row's time and 595.8 bytes a dish (5.32 round trips of 24 +
    # 24 + 64 bytes); at 1,000 chefs the threads fill 400 of them.
    for c, n, t, a, share in ((10, 1000, 1600, 1650, 0.08), (100, 20, 2200, 2552, 0.11),
                              (1000, 10000, 2400, 2808, 0.95)):
        rows += _with_net(s.kitchen("threads_pool", "io", c, n, t, tail="/io:net",
                                    os_threads=c + 1, cooking_threads=c,
                                    peak=400 if c == 1000 else None), share, 595.8, 10.6)
        rows += _with_net(s.kitchen("asio_coro", "io", c, n, a, tail="/io:net"), share * 0.75,
                          595.8)
    return rows


def cpython_net_rows():
    rows = []
    for c, t, a in ((1, 153, 104), (10, 1466, 887), (100, 3484, 1542)):
        share = {1: 0.05, 10: 0.29, 100: 0.13}[c]
        rows += _with_net(s.kitchen("py_threads", "io", c, 100, t, tail="/io:net", reps=5,
                                    os_threads=c + 1, cooking_threads=c), share, 595.8, 10.6)
        rows += _with_net(s.kitchen("py_asyncio", "io", c, 100, a, tail="/io:net", reps=5),
                          share, 595.8)
    return rows


FEATURES = (("Concurrency model", "concurrency-model"), ("CPU-bound tasks", "cpu-bound-tasks"),
            ("I/O-bound tasks", "io-bound-tasks"), ("Memory usage", "memory-usage"),
            ("Complexity", "complexity"), ("Error handling", "error-handling"),
            ("Learning curve", "learning-curve"))


def verdict_cell(row, level, counter, a, b, ratio, interval, outcome, band, n=5,
                 higher_is_better=True):
    return {"row": row, "pair": [b, a], "level": level, "counter": counter, "a": a, "b": b,
            "higher_is_better": higher_is_better, "median_a": ratio * 1000.0, "median_b": 1000.0,
            "ratio": ratio, "interval": interval, "band": band, "outcome": outcome, "n_a": n,
            "n_b": n, "rows": [f"kitchen/{a}/io/{level}", f"kitchen/{b}/io/{level}"]}


def verdicts(io, cancel, words):
    """A verdicts.json of four I/O cells (10, 100, 1,000 chefs and net at 100) and one cancel
    cell, each given as (ratio, interval, outcome)."""
    io_cells = [verdict_cell("io-bound-tasks", level, "dishes_per_s", "asio_coro",
                             "threads_pool", *figures, 1.1)
                for level, figures in zip(("10 chefs", "100 chefs", "1,000 chefs",
                                           "net, 100 chefs"), io)]
    cancel_cell = verdict_cell("error-handling", "fail-fast", "cancel_ms", "asio_coro",
                               "threads_pool", *cancel, 2.0, higher_is_better=False)
    rows = []
    for (feature, anchor), word in zip(FEATURES, words):
        found = io_cells if anchor == "io-bound-tasks" else (
            [cancel_cell] if anchor == "error-handling" else [])
        rows.append({"feature": feature, "anchor": anchor, "verdict": word, "short": "",
                     "cells": found})
    return {"format": "kitchen-verdicts", "version": 1, "machine": "fixture",
            "interval": {"statistic": "ratio of medians", "method": "bootstrap percentile",
                         "confidence": 0.95, "resamples": 4000, "seed": 1},
            "rule": "win: the whole interval above the band B; ...", "rows": rows}


WORDS = ["holds", "depends", "depends", "holds", "by construction", "holds", "not measurable"]


def verdict_runs():
    win = (1.5, [1.4, 1.6], "win")
    a = verdicts([(1.08, [1.05, 1.12], "undecided"), (1.3, [1.2, 1.4], "win"), win,
                  (1.2, [1.15, 1.25], "win")], (3.0, [2.5, 3.5], "win"), WORDS)
    b = verdicts([(1.02, [0.99, 1.04], "tie"), (1.12, [1.05, 1.2], "undecided"),
                  (0.8, [0.75, 0.85], "lose"), (1.2, [1.15, 1.25], "win")],
                 (1.5, [1.2, 1.8], "tie"), WORDS[:2] + ["does not hold"] + WORDS[3:5]
                 + ["does not hold", WORDS[6]])
    weaker = copy.deepcopy(a)
    weaker["rows"][2]["cells"][1].update(ratio=1.12, interval=[1.05, 1.2],
                                             outcome="undecided")
    return a, b, weaker


def write_verdicts(name, doc, nan=False):
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    if nan:
        text = text.replace('"ratio": 1.5,', '"ratio": NaN,', 1)
        assert "NaN" in text
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text + "\n")


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def write(name, doc):
    """One benchmark entry per line: small files whose diffs read row by row."""
    entries = ",\n".join(" " + json.dumps(_rounded(e)) for e in doc["benchmarks"])
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write('{"context": ' + json.dumps(doc["context"]) + ',\n"benchmarks": [\n' + entries
                + "\n]}\n")


def main():
    write("async_wins.json", s.document(s.context(), cpp_rows(True)))
    write("threads_win.json", s.document(s.context(), cpp_rows(False)))
    write("loop_overhead.json", s.document(s.context(), cpp_rows(True, loop_dish_us=600)))
    write("both_lose.json", s.document(s.context(), both_lose()))
    write("io_undecided.json", s.document(s.context(), io_undecided()))
    write("io_depends.json", s.document(s.context(), io_depends()))
    write("cpython.json", s.document(s.context("CPython", executable="py_kitchen.py"),
                                     cpython_rows()))
    write("open_loop.json", s.document(s.context(), open_loop_rows()))
    write("open_loop_poisson.json", s.document(s.context(), open_loop_poisson_rows()))
    write("advise_over_capacity.json", s.document(s.context(), advise_over_capacity_rows()))
    write("open_loop_py.json", s.document(s.context("CPython", executable="py_kitchen.py"),
                                          open_loop_py_rows()))
    net = dict(pantry_payload_bytes="64", pantry_capacity_per_s="30000")
    points = dict(pantry_payload_bytes="64", pantry_capacity_per_s="14992")
    write("net.json", s.document(s.context(asio_reactor="epoll", **net), net_rows()))
    write("net_uring.json", s.document(s.context(asio_reactor="io_uring", **net),
                                       net_rows(uring=True)))
    write("same_point.json", s.document(s.context(), same_point_rows()))
    fibers = s.context(entries=s.CPP_CATALOGUE + s.FIBERS_CATALOGUE,
                       fiber_stack="fixedsize_stack 128 KiB (Boost's default size)")
    write("fibers_like_async.json", s.document(fibers, fibers_rows(True)))
    write("fibers_like_threads.json", s.document(fibers, fibers_rows(False)))
    write("races.json", s.document(s.context(), races_rows()))
    write("races_await_safe.json", s.document(s.context(), races_rows(await_races=False)))
    write("io_points.json", s.document(s.context(**points), io_points_rows()))
    write("cpython_net.json", s.document(s.context("CPython", executable="py_kitchen.py",
                                                   pantry_payload_bytes="64"),
                                         cpython_net_rows()))
    a, b, weaker = verdict_runs()
    write_verdicts("verdicts_a.json", a)
    write_verdicts("verdicts_b.json", b)
    write_verdicts("verdicts_weaker.json", weaker)
    write_verdicts("verdicts_nan.json", a, nan=True)
    base, slow = compare_pair()
    write("compare_base.json", s.document(s.context(), base))
    write("compare_2x.json", s.document(s.context(), slow))
    write("aggregates.json", s.document(s.context(), s.kitchen(
        "asio_coro", "io", 10, 1000, 1800, reps=3, offsets=[-0.5, 0.0, 0.05], jitter=0.2)))
    write("some_errors.json", s.document(s.context(), s.kitchen(
        "asio_coro", "io", 10, 100, 2000), s.error_row(
        "kitchen/threads_per_order/io/chefs:4/customers:8",
        "threads_per_order needs 8 threads, --max-threads=2 allows 2")))
    write("pid_max.json", s.document(s.context(), s.kitchen(
        "asio_coro", "overhead", 2, 100000, 2e7), s.error_row(
        "kitchen/threads_per_order/overhead/chefs:2/customers:100000",
        "threads_per_order needs 100000 threads, the OS allows 32255 more (pid_max=32768)")))
    write("all_errors.json", s.document(s.context(), s.error_row(
        "kitchen/threads_per_order/io/chefs:4/customers:8", "refused by --max-threads=2")))
    missing = s.kitchen("asio_coro", "io", 1, 4, 100, reps=1)
    del missing[0]["dishes_per_s"]
    write("missing_counter.json", s.document(s.context(), missing))
    bad = s.kitchen("asio_coro", "io", 1, 4, 100, reps=1)
    bad[0]["os_threads"] = "1"
    write("bad_counter.json", s.document(s.context(), bad))
    old = s.context()
    del old["kitchen_catalogue"]
    write("no_catalogue.json", s.document(old, s.kitchen("asio_coro", "io", 1, 4, 100, reps=1)))
    stranger = s.kitchen("asio_coro", "io", 1, 4, 100, reps=1)
    stranger[0]["name"] = stranger[0]["run_name"] = \
        "kitchen/asio_unknown/io/chefs:1/customers:4/process_time/real_time"
    write("unknown_executor.json", s.document(s.context(), stranger))
    return 0


if __name__ == "__main__":
    sys.exit(main())

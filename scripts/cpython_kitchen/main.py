"""The kitchen in CPython, measured by bench_kitchen's rules, as Google Benchmark JSON.

usage: py_kitchen.py [--executors=LIST] [--profiles=LIST] [--chefs=LIST] [--customers=LIST]
                     [--io-us=LIST] [--cpu-us=LIST] [--seed=N] [--fail-rate=P]
                     [--fail-fast] [--pantry=locked|unlocked|unlocked_await]
                     [--repetitions=N] [--arrival-rate=LIST | --load=LIST]
                     [--arrivals=fixed|poisson] [--io=timer,net] [--payload-bytes=N]
                     [--pantry-server=PATH] [--start-method=METHOD] [--chunksize=N]
                     [--series=NAME]
                     [--quick] [--out=FILE]

Standard library only, Python >= 3.9. The JSON loads with bench_kitchen's into plot.py and
pros_cons.py, so that the charts and the table show CPython beside C++.
"""

import gc
import math
import os
import platform
import re
import sys
import tempfile
from typing import Dict, List, NamedTuple, Optional, Tuple

from kitchen_report import strict_json
from kitchen_report.atomic import write_text

from . import context as py_context
from . import flags as py_flags
from .arrivals import (FIXED, MAX_SERVICE_NS, PATTERNS, POISSON, ideal_capacity,
                       longest_schedule_ns, plan_arrivals, rate_name)
from . import net as py_net
from .executors import EXECUTORS, LOOP_EXECUTORS, PROCESS_POOLS, SERIAL, STREAMS, catalogue
from . import processes as py_processes
from .gbench import error_entry, run_row
from .executors import close_row_loop, row_loop
from .executors import HUB_EXECUTORS, MODULES, link_sockets, start_hub
from .interpreter import run_where_importable
from .model import (LOCKED, MAX_INGREDIENTS, PANTRY_MODES, PROFILES, Costs, Service, calibrate,
                    ideal_makespan_ns, make_orders, plan_failures)

PROG = "py_kitchen.py"
IO_MODES = ("timer", "net")


# Built-in grids as (chefs, customers), chosen to share names with bench_kitchen's rows (its
# default sweep, and the quick passes of bench.sh) so that charts put them side by side.
DEFAULT_GRID: Dict[str, List[Tuple[int, int]]] = {
    "io": [(1, 100), (10, 100), (100, 100), (10, 1000), (100, 1000), (1000, 1000)],
    "cpu": [(1, 100), (2, 100), (4, 100), (10, 100)],
    "mixed": [(1, 100), (10, 100), (100, 100), (10, 1000), (100, 1000), (1000, 1000)],
    "overhead": [(1, 10000), (3, 10000), (100, 10000)],
}
QUICK_GRID: Dict[str, List[Tuple[int, int]]] = {
    "io": [(1, 4), (4, 16), (10, 20)],
    "cpu": [(1, 20), (2, 20), (4, 20)],
    "mixed": [(1, 4), (4, 16)],
    "overhead": [(1, 2000), (3, 2000)],
}
# Repetitions per row, as bench.sh runs bench_kitchen: medians, spreads and CVs need several,
# and with 3 two rows' ranges fail to overlap by chance too often (1 in 10).
REPETITIONS = 5
MIN_TIME_S, QUICK_MIN_TIME_S = 0.2, 0.01  # bench_kitchen's, with and without --quick
SERIAL_BUDGET_S = 1.0  # a serial executor's built-in row may take this long per service


class Options(NamedTuple):
    executors: List[str]
    profiles: List[str]
    chefs: Optional[List[int]]
    customers: Optional[List[int]]
    io_us: Optional[List[int]]
    cpu_us: Optional[List[int]]
    seed: int
    fail_rate: float
    repetitions: int
    quick: bool
    out: Optional[str]
    arrival_rate: Optional[List[float]] = None
    load: Optional[List[float]] = None
    arrivals: str = FIXED
    io: Tuple[str, ...] = ("timer",)
    payload_bytes: int = py_net.DEFAULT_PAYLOAD_BYTES
    pantry_server: str = ""
    # Seconds each repetition of a row runs for at least; None: the default (or --quick's).
    min_time: Optional[float] = None
    # --arrival-rate or --load as given ("--load=0.5,1"), for the refusals of points it cannot
    # serve.
    open_loop_flag: str = ""
    pantry: str = LOCKED
    fail_fast: bool = False
    # py_processes' pool (processes.PoolOptions).
    start_method: str = py_processes.DEFAULT_START_METHOD
    chunksize: int = 1
    # --series: a name every row carries (/series:NAME); "" for none.
    series: str = ""


# py_kitchen.py's flags, once: kind, range or names, and default. Those it shares with
# bench_kitchen take the same kinds, ranges and defaults as bench_kitchen's flag table
# (test_flag_table.py compares them with `bench_kitchen --flags-json`), except the executors,
# which are this kitchen's own, and the profiles run by default, which are all four here.
FLAGS = [
    py_flags.Spec("--executors", py_flags.NAME_LIST, names=tuple(EXECUTORS),
                  default=",".join(e for e in EXECUTORS if e not in PROCESS_POOLS),
                  metavar="LIST", default_note="all but " + ",".join(sorted(PROCESS_POOLS)),
                  help="the executors whose rows run"),
    py_flags.Spec("--profiles", py_flags.NAME_LIST, names=tuple(PROFILES),
                  default=",".join(PROFILES), metavar="LIST", default_note="all four",
                  help="the costs of each ingredient: io = 1000 us wait / 0 us work, cpu = 0 / "
                       "200, mixed = 500 / 50, overhead = 0 / 0"),
    py_flags.Spec("--chefs", py_flags.WHOLE_LIST, 1, 100_000, metavar="LIST",
                  default_note="the profile's grid", help="dishes in preparation at once"),
    py_flags.Spec("--customers", py_flags.WHOLE_LIST, 1, 100_000_000, metavar="LIST",
                  default_note="the profile's grid", help="orders per service"),
    py_flags.Spec("--io-us", py_flags.WHOLE_LIST, 0, 10_000_000, metavar="LIST",
                  default_note="the profile's", help="the wait to fetch each ingredient, in us"),
    py_flags.Spec("--cpu-us", py_flags.WHOLE_LIST, 0, 10_000_000, metavar="LIST",
                  default_note="the profile's", help="the work to cook each ingredient, in us"),
    py_flags.Spec("--seed", py_flags.WHOLE, 0, (1 << 64) - 1, default="1", metavar="N",
                  help="seed of the orders: the same dishes as bench_kitchen"),
    py_flags.Spec("--fail-rate", py_flags.NUMBER, 0.0, 1.0, default="0", metavar="P",
                  help="probability that an ingredient is out of stock: drawn up front from the "
                       "seed as bench_kitchen does, so the same orders fail at the same "
                       "ingredients; a failed order is reported (\"Failed Pizza: out of Yeast\") "
                       "and every other order is still served"),
    py_flags.Spec("--fail-fast", py_flags.SWITCH,
                  help="the first failure cancels every order still waiting or cooking (rows "
                       "carry /fail_fast; counters cancelled, cancel_ms: from the first failure "
                       "until the last cooking chef stopped, teardown_ms: from then until the "
                       "service closed)"),
    py_flags.Spec("--pantry", py_flags.NAME, names=PANTRY_MODES, default=LOCKED, metavar="MODE",
                  help="how the shared pantry stock is updated: unlocked is `seen = stock; "
                       "cook(); stock = seen - 1`, unlocked_await reads it before the "
                       "ingredient's fetch and writes it after its step, as a coroutine "
                       "awaiting inside the update (rows carry /pantry:unlocked or "
                       "/pantry:unlocked_await; counters lost_updates, services, "
                       "services_with_lost_updates, lost_updates_max)"),
    py_flags.Spec("--repetitions", py_flags.WHOLE, 1, 1000, default=str(REPETITIONS),
                  metavar="N", help="run each row N times and add mean/median/stddev/cv rows"),
    # From one order in a million seconds: a row names a rate below 1 to six decimals.
    py_flags.Spec("--arrival-rate", py_flags.NUMBER_LIST, 1e-6, 1e7, metavar="LIST",
                  default_note="every order is placed at open",
                  help="open loop: orders arrive at this rate, per second (rows carry /rate:R); "
                       "latency runs from each order's arrival time; the schedule must fit in "
                       "the clock's 146 years, and the dishes must cost something (not "
                       "overhead)"),
    py_flags.Spec("--load", py_flags.NUMBER_LIST, 0, 100, metavar="LIST",
                  help="open loop at these fractions of each point's ideal capacity, "
                       "min(chefs / dish time, min(chefs, cores) / CPU time per dish), each "
                       "giving at least 1 order per second and a rate of its own; not with "
                       "--arrival-rate"),
    py_flags.Spec("--arrivals", py_flags.NAME, names=PATTERNS, default=FIXED, metavar="KIND",
                  help="evenly spaced arrivals (fixed) or seeded exponential gaps (poisson, the "
                       "same arrival times as bench_kitchen's for the same seed)"),
    py_flags.Spec("--io", py_flags.NAME_LIST, names=IO_MODES, default="timer", metavar="LIST",
                  help="how an ingredient is waited for: timer sleeps, net fetches it from the "
                       "pantry server over a loopback socket (rows carry /io:net): one request, "
                       "one reply after the wait, on the chef's own connection, opened before "
                       "the row and reused"),
    py_flags.Spec("--payload-bytes", py_flags.WHOLE, 1, py_net.MAX_PAYLOAD_BYTES,
                  default=str(py_net.DEFAULT_PAYLOAD_BYTES), metavar="N",
                  help="bytes of payload in each reply of the pantry server"),
    py_flags.Spec("--pantry-server", py_flags.PATH, metavar="PATH",
                  default_note="beside $KITCHEN_BENCH_BIN when set, else "
                               "build/release/bin/pantry_server in the repository",
                  help="the pantry_server program"),
    py_flags.Spec("--start-method", py_flags.NAME, names=py_processes.START_METHODS,
                  default=py_processes.DEFAULT_START_METHOD, metavar="METHOD",
                  default_note=f"the platform's, {py_processes.DEFAULT_START_METHOD}",
                  help="how py_processes' pool starts its worker processes (rows carry "
                       "/start:METHOD unless it is the platform's; the JSON context key "
                       "kitchen_start_method says it)"),
    py_flags.Spec("--chunksize", py_flags.WHOLE, 1, 100_000, default="1", metavar="N",
                  help="orders py_processes' map hands a worker at once, map's chunksize (rows "
                       "carry /chunksize:N above 1); not with an open loop, which submits each "
                       "order at its time"),
    py_flags.Spec("--series", py_flags.PATH, metavar="NAME", default_note="none",
                  help="rows of a series measured for a chart of its own (bench.sh's processes "
                       "crossover), not the plain sweep: every row carries /series:NAME, which "
                       "keeps it out of the sweep's charts and the table; a name of a-z, 0-9 "
                       "and _"),
    py_flags.Spec("--min-time", py_flags.NUMBER, 0.001, 60.0, metavar="S",
                  default_note=f"{MIN_TIME_S:g}, bench_kitchen's --benchmark_min_time",
                  help="each repetition of a row runs for at least S seconds"),
    py_flags.Spec("--quick", py_flags.SWITCH,
                  help=f"a small sweep (a few seconds) with a minimum time of "
                       f"{QUICK_MIN_TIME_S:g} s per row"),
    py_flags.Spec("--out", py_flags.PATH, metavar="FILE", default_note="standard output",
                  help="write the JSON here, atomically"),
]


HELP = ("usage: py_kitchen.py [flags]   (each list is comma-separated, no value twice)\n"
        + py_flags.help_lines(FLAGS) + """\
Rows are named like bench_kitchen's: kitchen/<executor>/<profile>/chefs:<C>/customers:<N>, then
/io_us:<I>/cpu_us:<W> with --io-us or --cpu-us, /pantry:<MODE> unless locked, /fail_rate:<P>
with a fail rate, /fail_fast, and /rate:<R> (then /arrivals:poisson) in an open loop. The
default grid (about half a minute on 2 cores) holds points that bench.sh measures in C++:
io and mixed chefs 1,10,100 x 100 customers and 10,100,1000 x 1,000; cpu chefs 1,2,4,10 x 100;
overhead chefs 1,3,100 x 10,000. Each row runs services until they last 0.2 s (bench_kitchen's
--benchmark_min_time), and each service checks itself: every order served or failed exactly
once, failed only where the plan says. As in bench_kitchen, every ingredient is taken from one
shared pantry, under a lock unless --pantry says otherwise. The asyncio kitchens run every
service of a row on one event loop made for the row. Progress goes to stderr.
""")

def parse_options(argv: List[str]) -> Options:
    """The flags, checked like bench_kitchen's (src/cli/flag_table.cpp); raises UsageError."""
    # --series is a name, not the file name an empty value of its kind would be asked for.
    if "--series" in argv or "--series=" in argv:
        raise py_flags.UsageError("--series: no name given; expected a name of a-z, 0-9 and _")
    found = py_flags.parse_by_table(argv, FLAGS)
    given = {flag.name for flag in map(py_flags.split_flag, argv) if flag is not None}
    o = {name[2:].replace("-", "_"): value for name, (_, value) in found.items()}
    for name in ("chefs", "customers", "io_us", "cpu_us", "out", "min_time", "pantry_server"):
        o.setdefault(name, None)
    o.setdefault("quick", False)
    o.setdefault("fail_fast", False)
    o["io"] = tuple(o["io"])
    o["open_loop_flag"] = ""
    for name in ("--arrival-rate", "--load"):
        if name in found:
            flag = found[name][0]
            o["open_loop_flag"] = f"{flag.name}={flag.value}"
    if "--out" in found:
        o["out"] = _writable_file(found["--out"][0])
    if o.get("arrival_rate") and o.get("load"):
        raise py_flags.UsageError("--arrival-rate and --load both set the arrival rate; give one "
                                  "of them")
    o["pantry_server"] = py_net.server_path(o.get("pantry_server"), "net" in o["io"])
    _refuse_pool_flags_without_effect(o, found, given)
    o["series"] = o.get("series") or ""
    if o["series"] and not re.fullmatch(r"[a-z0-9_]+", o["series"]):
        raise py_flags.UsageError(f"--series={o['series']}: '{o['series']}' is not a name of "
                                  "a-z, 0-9 and _; expected such a name, as bench.sh's passes "
                                  "are named")
    return Options(**o)


def _refuse_pool_flags_without_effect(o: dict, found, given) -> None:
    """--start-method and --chunksize tune py_processes' pool alone: given without a pool among
    the executors, or --chunksize with an open loop (each order submitted at its time, alone),
    they would change nothing."""
    for name in ("--start-method", "--chunksize"):
        if name not in given:
            continue
        flag = found[name][0]
        shown = f"{flag.name}={flag.value}"
        if not PROCESS_POOLS & set(o["executors"]):
            raise py_flags.UsageError(
                f"{shown}: only the process pools ({','.join(sorted(PROCESS_POOLS))}) use it, "
                "and --executors names none; expected --executors to include one, or no "
                f"{name}")
        if name == "--chunksize" and o["chunksize"] > 1 and o["open_loop_flag"]:
            raise py_flags.UsageError(
                f"{shown}: {o['open_loop_flag']} submits each order at its arrival time, one at "
                "a time, so a chunk would hold one order; expected --chunksize=1 with an open "
                "loop")


def _writable_file(flag: py_flags.Flag) -> str:
    """Refused before the sweep runs, so that a long run is never lost to a typo."""
    path = py_flags.parse_path(flag)
    folder = os.path.dirname(os.path.abspath(path))
    accepted = "a file in an existing, writable directory"
    if os.path.isdir(path):
        raise py_flags.UsageError(f"--out={path}: is a directory; expected {accepted}")
    # The JSON is renamed over the file: over /dev/null, say, that would replace the device.
    if os.path.exists(path) and not os.path.isfile(path):
        raise py_flags.UsageError(f"--out={path}: is not a regular file; expected {accepted}")
    if not os.path.isdir(folder):
        raise py_flags.UsageError(f"--out={path}: no directory '{folder}'; expected {accepted}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise py_flags.UsageError(f"--out={path}: '{folder}' is not writable; expected {accepted}")
    # What access() cannot tell (a read-only file system, even for root): the temporary file
    # that will hold the JSON is created once now.
    try:
        fd, probe = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                     dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise py_flags.UsageError(f"--out={path}: cannot create a file in '{folder}' "
                                  f"({e.strerror or e}); expected {accepted}") from None
    return path


class PlannedRow(NamedTuple):
    """One row plan() chose to run (bench/plan.hpp's PlannedRow in C++): its name, executor and
    point."""
    name: str
    executor: str
    costs: Costs
    chefs: int
    customers: int
    rate: float = 0.0  # orders per second in an open loop; 0: every order placed at open
    io: str = "timer"  # how an ingredient is waited for: timer (a sleep) or net (the server)


_YEAR_S = 365.25 * 24 * 3600


def _where(profile: str, chefs: int) -> str:
    return f"{profile} with {chefs} chef{'' if chefs == 1 else 's'}"


def _refuse_rates_named_alike(o: Options) -> None:
    """--arrival-rate's rates name their rows: two that read alike would give rows of one
    name (refuse_rates_named_alike in bench/plan.cpp)."""
    rates = o.arrival_rate or []
    for i, rate in enumerate(rates):
        for earlier in rates[:i]:
            if rate_name(rate) == rate_name(earlier):
                raise py_flags.UsageError(
                    f"{o.open_loop_flag}: {earlier:g} and {rate:g} would both name rows "
                    f"{rate_name(rate)} (a rate is named to the whole order per second from 1 "
                    "up, to six decimals below); expected rates that differ in their names")


def _rates(o: Options, profile: str, costs: Costs, chefs: int, customers: int,
           cores: int) -> List[float]:
    """The arrival rates of one point: those given, those the loads give against the point's
    ideal capacity (rounded to whole orders per second, as bench_kitchen), or a single 0.
    Raises UsageError for a point the kitchen cannot serve as asked, with bench_kitchen's
    words (rates_of in bench/plan.cpp)."""
    if not o.arrival_rate and not o.load:
        return [0.0]
    # Dishes that cost nothing give an infinite capacity: every figure of an open loop's row
    # (its load, its lag against a tenth of a dish) would be infinite or 0.
    if costs.io_us + costs.cpu_us == 0:
        raise py_flags.UsageError(
            f"{o.open_loop_flag}: the {profile} profile's dishes cost nothing here (0 us to "
            "fetch and 0 us to cook), so its kitchen has no finite capacity to offer orders "
            "against; expected a profile other than overhead, or --io-us or --cpu-us above 0")
    capacity = ideal_capacity(costs, chefs, cores)
    rates: List[float] = []
    if o.arrival_rate:
        rates = list(o.arrival_rate)
    else:
        for j, load in enumerate(o.load):
            # Rates are whole orders per second: a load under one would round to 0, a closed
            # batch that the row would not say it is.
            if load * capacity < 1:
                raise py_flags.UsageError(
                    f"{o.open_loop_flag}: a load of {load:g} at {_where(profile, chefs)} (ideal "
                    f"capacity {capacity:.4g} dishes/s) is {load * capacity:.3g} orders per "
                    f"second; expected loads of at least {1 / capacity:.3g} there (1 order per "
                    "second)")
            rate = float(round(load * capacity))
            if rate in rates:
                earlier = o.load[rates.index(rate)]
                raise py_flags.UsageError(
                    f"{o.open_loop_flag}: {earlier:g} and {load:g} both give {rate:g} orders "
                    f"per second at {_where(profile, chefs)}; expected loads that give rates of "
                    "their own")
            rates.append(rate)
    # Arrival times are nanoseconds from the opening on a clock that counts about 146 years.
    for rate in rates:
        span_ns = longest_schedule_ns(customers, rate, o.arrivals)
        if span_ns > MAX_SERVICE_NS:
            raise py_flags.UsageError(
                f"{o.open_loop_flag}: {customers} orders at {rate:g} per second could arrive "
                f"over {span_ns / 1e9 / _YEAR_S:.3g} years, past the "
                f"{MAX_SERVICE_NS / 1e9 / _YEAR_S:.0f} years the clock counts from the opening; "
                f"expected a rate of at least {rate * span_ns / MAX_SERVICE_NS:.3g} for "
                f"{customers} customers")
    return rates


def _refuse_service_past_the_clock(costs: Costs, customers: int) -> None:
    """A service whose orders, cooked one after another, could outlast the clock's 146 years is
    refused, as bench_kitchen refuses it."""
    serial_ns = (costs.io_us + costs.cpu_us) * 1000.0 * MAX_INGREDIENTS * customers
    if serial_ns <= MAX_SERVICE_NS:
        return
    raise py_flags.UsageError(
        f"--customers={customers}: at {costs.io_us} us to fetch and {costs.cpu_us} us to cook "
        f"per ingredient, a service of {customers} orders could last "
        f"{serial_ns / 1e9 / _YEAR_S:.3g} years, past the {MAX_SERVICE_NS / 1e9 / _YEAR_S:.0f} "
        f"years the clock counts; expected at most "
        f"{math.floor(MAX_SERVICE_NS / (serial_ns / customers)):.0f} customers at these costs")


def _grid(profile: str, o: Options) -> List[Tuple[int, int]]:
    base = (QUICK_GRID if o.quick else DEFAULT_GRID)[profile]
    if not o.chefs and not o.customers:
        return sorted(base, key=lambda cell: (cell[1], cell[0]))
    # As bench_kitchen's custom_grid: the flags given, crossed with the base grid's other values.
    chefs = o.chefs or sorted({c for c, _ in base})
    customers = o.customers or sorted({n for _, n in base})
    return [(c, n) for n in customers for c in chefs]


def _refuse_what_pools_cannot_serve(o: Options, executor: str, chefs: int, io: str) -> None:
    """A row a process pool cannot serve is refused (a pool runs only when --executors names
    it)."""
    if executor not in PROCESS_POOLS:
        return
    most = py_processes.MAX_WORKERS
    if chefs > most:
        raise py_flags.UsageError(
            f"--chefs={chefs}: {executor} starts a process per chef, at most {most}; expected "
            f"at most {most} chefs with {executor}")
    if io == "net":
        raise py_flags.UsageError(
            f"--io=net: the workers of {executor} are other processes, which cannot use the "
            f"row's connections; expected --io=timer with {executor}")
    if o.fail_fast:
        raise py_flags.UsageError(
            f"--fail-fast: the first failure's stop cannot reach the workers of {executor}, "
            f"which are other processes; expected {executor} without --fail-fast")


def plan(o: Options, cores: int = 1) -> Tuple[List[PlannedRow], int]:
    """The rows to run, in bench_kitchen's order (profile, cell, costs, rate, executor), and how
    many serial rows a built-in grid or an open loop leaves out: the twin of plan_rows in
    bench/plan.cpp."""
    costs_named = o.io_us is not None or o.cpu_us is not None
    built_in = not o.chefs and not o.customers
    _refuse_rates_named_alike(o)
    rows, left_out = [], 0
    for profile in o.profiles:
        base = PROFILES[profile]
        costs = [Costs(i, c) for i in (o.io_us or [base.io_us])
                 for c in (o.cpu_us or [base.cpu_us])]
        for chefs, customers in _grid(profile, o):
            for c in costs:
                _refuse_service_past_the_clock(c, customers)
            for cost, rate, io in [(c, r, io) for c in costs
                                   for r in _rates(o, profile, c, chefs, customers, cores)
                                   for io in o.io]:
                for executor in o.executors:
                    serial_s = (cost.io_us + cost.cpu_us) * MAX_INGREDIENTS * customers / 1e6
                    # An open loop cannot make a one-at-a-time kitchen faster than one dish
                    # after another: the same budget holds for its rows.
                    if ((built_in or rate > 0) and executor in SERIAL
                            and serial_s > SERIAL_BUDGET_S):
                        left_out += 1
                        continue
                    _refuse_what_pools_cannot_serve(o, executor, chefs, io)
                    name = f"kitchen/{executor}/{profile}/chefs:{chefs}/customers:{customers}"
                    if costs_named:
                        name += f"/io_us:{cost.io_us}/cpu_us:{cost.cpu_us}"
                    if o.pantry != LOCKED:
                        name += f"/pantry:{o.pantry}"
                    if o.fail_rate > 0:
                        name += f"/fail_rate:{o.fail_rate:g}"  # printf's %g, as bench_kitchen
                    if o.fail_fast:
                        name += "/fail_fast"
                    if executor in PROCESS_POOLS:
                        if o.start_method != py_processes.DEFAULT_START_METHOD:
                            name += f"/start:{o.start_method}"
                        if o.chunksize > 1:
                            name += f"/chunksize:{o.chunksize}"
                    if rate > 0:
                        name += rate_name(rate) + ("/arrivals:poisson" if o.arrivals == POISSON
                                                   else "")
                    if io != "timer":
                        name += f"/io:{io}"  # as bench_kitchen's net rows
                    if o.series:
                        name += f"/series:{o.series}"
                    # The suffixes Google Benchmark adds for UseRealTime + MeasureProcessCPUTime.
                    rows.append(PlannedRow(name + "/process_time/real_time", executor, cost,
                                           chefs, customers, rate, io))
    # Two rows of one name would have their repetitions mixed by every reader. The flags' own
    # checks leave none; this says so if one slipped through.
    seen = set()
    for row in rows:
        if row.name in seen:
            shown = row.name.rsplit("/process_time", 1)[0]
            raise py_flags.UsageError(f"two rows would be named {shown}; expected flags whose "
                                      "values give rows of their own")
        seen.add(row.name)
    return rows, left_out


def _say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _progress(i: int, total: int, row: PlannedRow, entries: List[dict]) -> None:
    last = [e for e in entries if e.get("run_type") == "iteration"][-1]
    where = f"[{i}/{total}] {row.name.rsplit('/process_time', 1)[0]}"
    if last.get("error_occurred"):
        _say(f"{where}: ERROR {last['error_message']}")
        return
    n = last["iterations"]
    loop = ""
    if row.rate > 0:
        loop = (f", p99 {_num(last['p99_ms'])} ms, achieved {_num(last['achieved_per_s'])} of "
                f"{_num(row.rate)}/s")
    if "server_cpu_util" in last:
        loop += f", server CPU {last['server_cpu_util']:.0%}"
    _say(f"{where}: {_num(last['real_time'])} ms, {_num(last['dishes_per_s'])} dishes/s, "
         f"efficiency {last['efficiency']:.2f}{loop}, {n} iteration{'s' if n != 1 else ''}")
    runs = [e for e in entries if e.get("run_type") == "iteration" and "iterations" in e]
    late = [e["arrival_lag_ms"] for e in runs if e.get("arrival_lag_suspect")]
    if late:
        _say(f"  in {len(late)} of {len(runs)} repetitions the arrival schedule handed orders "
             f"over up to {max(late):.3g} ms late (p99), more than a tenth of a dish: the "
             "kitchen was offered less than the row says (arrival_lag_suspect=1)")


def _num(x: float) -> str:
    """Three significant figures or so, with thousands separators: 1,234 / 56.7 / 8.90."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}" if abs(x) >= 10 else f"{x:.2f}"


def run(o: Options) -> dict:
    # Before any thread exists, so that every executor's threads inherit it (as bench_kitchen).
    slack = py_context.set_timer_slack_ns(1)
    ns_per_unit = calibrate()
    cores = py_context.usable_cores()
    rows, left_out = plan(o, cores)
    custom = any(v is not None for v in (o.chefs, o.customers, o.io_us, o.cpu_us))
    sweep = "quick" if o.quick else "custom" if custom else "default"
    _say(f"{len(rows)} kitchen rows, CPU work {ns_per_unit:.3g} ns per unit "
         f"({platform.python_implementation()} {sys.version.split()[0]}, "
         f"timer slack {'unknown' if slack is None else f'{slack} ns'})")
    if left_out:
        _say(f"left out {left_out} py_asyncio_blocking rows that would each take over "
             f"{SERIAL_BUDGET_S:g}s (it serves one dish at a time); --chefs/--customers run them"
             + (" in a closed batch" if o.arrival_rate or o.load else ""))
    min_time = o.min_time or (QUICK_MIN_TIME_S if o.quick else MIN_TIME_S)
    server, server_error = None, ""
    if "net" in o.io:
        py_net.raise_open_file_limit()
        try:
            server = py_net.PantryServer(o.pantry_server, o.payload_bytes)
            _say(f"pantry server {o.pantry_server} on port {server.port}")
        except py_net.PantryError as e:
            # Its rows become error rows that say why; the sweep goes on.
            server_error = str(e)
            _say(f"ERROR {server_error}")
    try:
        entries = _run_rows(o, rows, cores, ns_per_unit, min_time, server, server_error)
    finally:
        if server is not None:
            server.stop()
    found = py_context.context(sweep, o.seed, ns_per_unit, slack, catalogue())
    found["kitchen_io"] = ",".join(o.io)
    if any(row.executor in PROCESS_POOLS for row in rows):
        found["kitchen_start_method"] = o.start_method
        found["kitchen_chunksize"] = str(o.chunksize)
    if server is not None:
        found["pantry_payload_bytes"] = str(o.payload_bytes)
    return {"context": found, "benchmarks": entries}


def _run_rows(o: Options, rows: List[PlannedRow], cores: int, ns_per_unit: float, min_time: float,
              server: Optional[py_net.PantryServer], server_error: str) -> List[dict]:
    entries: List[dict] = []
    for i, row in enumerate(rows):
        orders = make_orders(row.customers, o.seed)
        arrivals = plan_arrivals(row.customers, row.rate, o.arrivals, o.seed) if row.rate else None
        service = Service(orders, row.costs, row.chefs, ns_per_unit,
                          plan_failures(orders, o.fail_rate, o.seed), arrivals, o.pantry,
                          o.fail_fast)
        offered = (row.rate, ideal_capacity(row.costs, row.chefs, cores)) if row.rate else None
        gc.collect()  # start each row from the same clean heap; collections inside still count
        try:
            # A net row's connections, one per chef, opened before its services, outside them.
            if row.io == "net":
                if server is None:
                    raise py_net.PantryError(server_error)
                py_net.check_file_budget(row.chefs)
                service.net = py_net.Connections(server, row.chefs, row.executor in STREAMS,
                                                 link_sockets(row.executor))
            try:
                # The asyncio kitchens: one event loop for every service of the row.
                if row.executor in LOOP_EXECUTORS:
                    service.loop = row_loop(service)
                # An executor on gevent's hub: the hub, made before its first row and kept.
                if row.executor in HUB_EXECUTORS:
                    start_hub()
                extra = None
                if row.executor in PROCESS_POOLS:
                    service.pool_options = py_processes.PoolOptions(o.start_method, o.chunksize)
                    # The pool's memory, from a service of its own before the timed ones.
                    extra = py_processes.pool_memory(service)
                found = run_row(row.name, i, EXECUTORS[row.executor], service, min_time,
                                o.repetitions, ideal_makespan_ns(service, cores), offered,
                                extra)
            finally:
                close_row_loop(service)
                if service.net is not None:
                    service.net.close()
        except (py_net.PantryError, py_processes.WorkerLost) as e:
            found = [error_entry(row.name, i, o.repetitions, 0,
                                 (f"{type(e).__name__}: " if isinstance(e, py_processes.WorkerLost)
                                  else "") + str(e))]
        _progress(i + 1, len(rows), row, found)
        entries.extend(found)
    return entries


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a in ("--help", "-h") for a in argv):
        sys.stdout.write(HELP)
        return 0
    if sys.version_info < (3, 9):
        _say(f"needs Python 3.9 or newer; this is {sys.version.split()[0]} ({sys.executable})")
        return 2
    try:
        options = parse_options(argv)
        # Every row is planned (and a point the kitchen cannot serve refused) before any runs.
        plan(options, py_context.usable_cores())
        # Executors needing a module beyond the standard library (executors.MODULES): this
        # interpreter, or py_kitchen.py again on one that has the module.
        run_where_importable(options.executors, MODULES, argv, _say)
    except py_flags.UsageError as e:
        _say(str(e))
        return 2
    try:
        text = strict_json.dumps(run(options), indent=2) + "\n"
        if options.out:
            write_text(options.out, text)
            _say(f"wrote {options.out}")
        else:
            sys.stdout.write(text)
    except KeyboardInterrupt:
        _say("interrupted; nothing written")
        return 130
    except OSError as e:
        _say(f"cannot write {options.out}: {e.strerror or e}")
        return 2
    return 0

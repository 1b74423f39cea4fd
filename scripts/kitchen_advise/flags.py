"""The advisor's command line. Every flag is `--name=value` (or bare, for the switches); a bad
one is one line naming the flag, the value and what is accepted, raised as FlagError (exit 2),
before anything is measured or written. A flag given twice is refused, as bench_kitchen does."""

import math
import os
from dataclasses import dataclass
from typing import Dict, List, Optional

USAGE = """usage: kitchen advise --io-us=US --cpu-us=US --concurrency=N [--rate=R] [--ingredients=K]
                      [--io=timer|net] [--gil] [--budget-s=S] [--json=FILE] [--dry-run]
       kitchen advise accuracy [--set=grid|holdout|both] [--budget-s=S] [--json=FILE]
                               [--from=BENCH.json | --rescore=ADVISE_ACCURACY.json] [--dry-run]
Threads or async for this workload: predicts from a model and this machine's mechanism rows,
then measures the catalogue's pairs with bench_kitchen at N, N/4 and 4N in interleaved rounds.
  --io-us=US          wait per step (an ingredient's fetch), 0..10000000 microseconds
  --cpu-us=US         work per step (cooking it), 0..10000000 microseconds
  --concurrency=N     requests in flight (the kitchen's chefs), 1..100000
  --rate=R            arrival rate per second for an open loop (Poisson), 1..10000000
  --ingredients=K     steps per request, 1..100 (default: the menu's, 5 or 6 a dish)
  --io=timer|net      a wait is a timer (default) or a request over a loopback socket
  --gil               emulate CPython's GIL (also --gil=on|off)
  --budget-s=S        seconds of measuring, 5..3600 (default 60; accuracy: 240 for each set)
  --json=FILE         also write the whole answer there as JSON (whole or not at all)
  --mechanisms=FILE   read spawn/switch/timer/memory rows from this bench_kitchen JSON
  --dry-run           print the prediction and the bench_kitchen commands, measure nothing
  --from=FILE         (accuracy) set the model against the kitchen rows of this run instead
                      of measuring the grid
  --set=NAME          (accuracy) the workloads measured: grid (the development grid, the
                      default), holdout (the seeded held-out workloads, never tuned on) or both
  --rescore=FILE      (accuracy) predict the points of an advise_accuracy.json again with
                      this model and that file's mechanisms (or --mechanisms'); nothing
                      measured"""


class FlagError(ValueError):
    """A bad command line; str() is the one line shown (after 'kitchen advise: ')."""


@dataclass(frozen=True)
class Workload:
    io_us: int
    cpu_us: int
    concurrency: int
    rate: Optional[float] = None
    ingredients: Optional[int] = None
    net: bool = False
    gil: bool = False

    def as_json(self) -> dict:
        return {"io_us": self.io_us, "cpu_us": self.cpu_us, "concurrency": self.concurrency,
                "rate": self.rate, "ingredients": self.ingredients,
                "io": "net" if self.net else "timer", "gil": self.gil}


@dataclass(frozen=True)
class Options:
    workload: Optional[Workload]
    budget_s: float
    json_path: Optional[str]
    mechanisms_path: Optional[str]
    from_path: Optional[str]
    bench: Optional[str]
    dry_run: bool
    accuracy: bool
    # accuracy: the workload set (grid, holdout, both) and a file to score again.
    set_name: str = "grid"
    rescore_path: Optional[str] = None


_VALUED = ("--io-us", "--cpu-us", "--concurrency", "--rate", "--ingredients", "--io",
           "--budget-s", "--json", "--mechanisms", "--from", "--bench", "--set", "--rescore")
_SWITCHES = ("--gil", "--dry-run")
_ACCURACY_FLAGS = ("--set", "--budget-s", "--json", "--mechanisms", "--from", "--rescore",
                   "--bench", "--dry-run")
ACCURACY_SETS = ("grid", "holdout", "both")
# The flags that mean something only to `kitchen advise accuracy`.
_ACCURACY_ONLY = ("--from", "--set", "--rescore")


def _whole(flag: str, text: str, low: int, high: int, unit: str) -> int:
    if not text.isdigit() or len(text) > 12 or not low <= int(text) <= high:
        raise FlagError(f"{flag}={text}: '{text}' is not a whole number from {low:,} to "
                        f"{high:,}; expected {unit}")
    return int(text)


def _number(flag: str, text: str, low: float, high: float, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise FlagError(f"{flag}={text}: '{text}' is not a number from {low:g} to {high:g}; "
                        f"expected {unit}")
    return value


def _output(flag: str, path: str) -> str:
    """A file that can be written: not a directory, in a folder that exists and is writable."""
    if not path:
        raise FlagError(f"{flag}=: no file name; expected {flag}=FILE")
    if os.path.isdir(path):
        raise FlagError(f"{flag}={path}: it is a directory; expected a file name in a folder "
                        "that exists and can be written")
    if os.path.exists(path) and not os.path.isfile(path):
        raise FlagError(f"{flag}={path}: it is not a regular file; expected a file name in a "
                        "folder that exists and can be written")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
        raise FlagError(f"{flag}={path}: the folder {folder} does not exist or cannot be "
                        "written; expected a file name in a folder that exists and can be written")
    return path


def _accuracy_options(given: Dict[str, Optional[str]]) -> dict:
    """--set and --rescore, refused where they would change nothing or clash."""
    set_name = given.get("--set", "grid")
    if set_name not in ACCURACY_SETS:
        raise FlagError(f"--set={set_name}: '{set_name}' is not a workload set; expected "
                        f"{', '.join(ACCURACY_SETS)}")
    rescore = given.get("--rescore")
    if rescore is not None and not os.path.isfile(rescore):
        raise FlagError(f"--rescore={rescore}: no such file; expected an advise_accuracy.json "
                        "written by kitchen advise accuracy --json")
    if "--from" in given and ("--set" in given or rescore is not None):
        other = "--set" if "--set" in given else "--rescore"
        raise FlagError(f"--from with {other}: --from sets the model against that run's own "
                        f"rows, so {other} would change nothing; expected one of them")
    if rescore is not None:
        for flag in ("--budget-s", "--dry-run"):
            if flag in given:
                raise FlagError(f"--rescore with {flag}: --rescore measures nothing, so "
                                f"{flag} would change nothing; expected --rescore with --set, "
                                "--mechanisms and --json only")
    return {"set_name": set_name, "rescore_path": rescore}


def parse(argv: List[str]) -> Options:
    """Options from the arguments after `kitchen advise`."""
    # `kitchen` puts its --bench=PATH before the user's arguments, so the subcommand is the
    # first argument that is not a flag.
    words = [a for a in argv if not a.startswith("-")]
    accuracy = words[:1] == ["accuracy"]
    args = [a for a in argv if a != "accuracy"] if accuracy else argv
    given: Dict[str, Optional[str]] = {}
    for arg in args:
        name, eq, value = arg.partition("=")
        if name in _SWITCHES and name != "--gil" and eq:
            raise FlagError(f"{arg}: {name} takes no value; expected {name} alone")
        if (name not in _VALUED + _SWITCHES or (accuracy and name not in _ACCURACY_FLAGS)
                or (not accuracy and name in _ACCURACY_ONLY)):
            accepted = tuple(f for f in _ACCURACY_FLAGS if f != "--bench") if accuracy else \
                tuple(f for f in _VALUED if f not in _ACCURACY_ONLY + ("--bench",)) + _SWITCHES
            raise FlagError(f"{arg}: unknown flag '{name}'; expected one of "
                            f"{', '.join(accepted)} (kitchen advise --help)")
        if name in _VALUED and not eq:
            raise FlagError(f"{arg}: {name} needs a value; expected {name}=VALUE")
        if name in given:
            raise FlagError(f"{name} is given twice; give it once")
        given[name] = value if eq else None

    budget = _number("--budget-s", given["--budget-s"], 5, 3600, "seconds of measuring") \
        if "--budget-s" in given else (240.0 if accuracy else 60.0)
    json_path = _output("--json", given["--json"]) if "--json" in given else None
    mechanisms = given.get("--mechanisms")
    if mechanisms is not None and not os.path.isfile(mechanisms):
        raise FlagError(f"--mechanisms={mechanisms}: no such file; expected a bench_kitchen "
                        "JSON file with spawn/, switch/, timer/ and memory/ rows")
    source = given.get("--from")
    if source is not None and not os.path.isfile(source):
        raise FlagError(f"--from={source}: no such file; expected a bench_kitchen JSON file "
                        "with kitchen rows (a results folder's bench.json)")
    common = dict(budget_s=budget, json_path=json_path, mechanisms_path=mechanisms,
                  from_path=source,
                  bench=given.get("--bench"), dry_run="--dry-run" in given)
    if accuracy:
        return Options(workload=None, accuracy=True, **_accuracy_options(given), **common)

    for required in ("--io-us", "--cpu-us", "--concurrency"):
        if required not in given:
            raise FlagError(f"{required} is required; expected {required}=N "
                            "(kitchen advise --help)")
    io_us = _whole("--io-us", given["--io-us"], 0, 10_000_000, "microseconds of waiting per step")
    cpu_us = _whole("--cpu-us", given["--cpu-us"], 0, 10_000_000, "microseconds of work per step")
    n = _whole("--concurrency", given["--concurrency"], 1, 100_000, "requests in flight")
    rate = None
    if "--rate" in given:
        rate = _number("--rate", given["--rate"], 1, 10_000_000, "arrivals per second")
        if io_us == 0 and cpu_us == 0:
            raise FlagError(f"--rate={given['--rate']}: requests that cost nothing (--io-us=0 "
                            "--cpu-us=0) have no finite capacity to offer a rate against; "
                            "expected --io-us or --cpu-us above 0")
    ingredients = (_whole("--ingredients", given["--ingredients"], 1, 100, "steps per request")
                   if "--ingredients" in given else None)
    io = given.get("--io", "timer")
    if io not in ("timer", "net"):
        raise FlagError(f"--io={io}: '{io}' is not an I/O kind; expected timer or net")
    gil_text = given.get("--gil", "") if "--gil" in given else "off"
    gil_text = gil_text if gil_text is not None else "on"
    if gil_text not in ("on", "off"):
        raise FlagError(f"--gil={gil_text}: '{gil_text}' is not on or off; expected --gil, "
                        "--gil=on or --gil=off")
    workload = Workload(io_us=io_us, cpu_us=cpu_us, concurrency=n, rate=rate,
                        ingredients=ingredients, net=io == "net", gil=gil_text == "on")
    return Options(workload=workload, accuracy=False, **common)
